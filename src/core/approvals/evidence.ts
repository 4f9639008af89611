/**
 * The evidence digest (docs/report.md#inputs) from raw inputs at any commit: the engine version, each
 * policy's name and spec hash, and each window's manifest hash. The same formula as the report's
 * `inputs.evidence_digest` (src/core/report/diff-report.ts), computed here from what `git show`
 * returns so that the digest of an older, reviewed commit can be compared with head's.
 */
import { compareStrings } from "../compare.js";
import { canonicalJson, sha256Hex } from "../hash.js";
import { ENGINE_VERSION } from "../version.js";

/** One policy at a commit. */
export interface EvidencePolicy {
  readonly name: string;
  /** `sha256:` of the file's bytes. */
  readonly specHash: string;
}

/** One window manifest at a commit. */
export interface EvidenceWindow {
  readonly id: string;
  /** `sha256:` of window.yaml's bytes. */
  readonly manifestSha256: string;
  /** The pinned events hash; two windows pinning one events file are one window. */
  readonly eventsSha256: string;
}

/** `sha256:` digest of the evidence; windows are deduplicated by events hash in the given order. */
export function computeEvidenceDigest(policies: readonly EvidencePolicy[], windows: readonly EvidenceWindow[], engineVersion: string = ENGINE_VERSION): string {
  const seen = new Set<string>();
  const kept = windows.filter((w) => (seen.has(w.eventsSha256) ? false : (seen.add(w.eventsSha256), true)));
  const body = {
    engine_version: engineVersion,
    policies: [...policies].sort((a, b) => compareStrings(a.name, b.name)).map((p) => ({ name: p.name, spec_hash: p.specHash })),
    windows: kept.map((w) => ({ id: w.id, manifest: w.manifestSha256 })).sort((a, b) => compareStrings(a.id, b.id)),
  };
  return `sha256:${sha256Hex(canonicalJson(body))}`;
}
