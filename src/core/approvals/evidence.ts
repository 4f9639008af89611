/**
 * The evidence digest (docs/report.md#inputs) from raw inputs at any commit: the engine version, each
 * policy's name and spec hash, each window's manifest hash, the gate config's settings that change
 * those policies' results (evidence-settings.ts) and, when head's Prometheus rule files are chained
 * into an Alertmanager configuration, that configuration's hash. The same formula as the
 * report's `inputs.evidence_digest` (src/core/report/diff-report.ts), computed here from what
 * `git show` returns so that the digest of an older, reviewed commit can be compared with head's.
 */
import { compareStrings } from "../compare.js";
import { canonicalJson, sha256Hex } from "../hash.js";
import { ENGINE_VERSION } from "../version.js";
import type { EvidenceSettings } from "./evidence-settings.js";

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

/** Everything the digest covers. */
export interface Evidence {
  readonly policies: readonly EvidencePolicy[];
  readonly windows: readonly EvidenceWindow[];
  /**
   * The Alertmanager configuration head's rule files are sent through (`prometheus_rules.alertmanager`):
   * `sha256:` of its bytes, or null when the config names it but head has no file there (the alerts go
   * nowhere). Undefined when nothing is chained — no such setting, or no rule file at head — and then
   * the digest is the one earlier releases computed, so existing approvals keep their digest.
   */
  readonly chainedAlertmanager?: string | null | undefined;
  /**
   * The result-changing settings the policies were replayed under (`evidenceSettings`); undefined
   * when there are none — always for correlation policies alone — and then the digest is the one
   * earlier releases computed.
   */
  readonly settings?: EvidenceSettings | undefined;
  /** Defaults to this build's engine version; a merged report passes the one its parts recorded. */
  readonly engineVersion?: string | undefined;
}

/** `sha256:` digest of the evidence; windows are deduplicated by events hash in the given order. */
export function computeEvidenceDigest(evidence: Evidence): string {
  const seen = new Set<string>();
  const kept = evidence.windows.filter((w) => (seen.has(w.eventsSha256) ? false : (seen.add(w.eventsSha256), true)));
  const body: Record<string, unknown> = {
    engine_version: evidence.engineVersion ?? ENGINE_VERSION,
    policies: [...evidence.policies].sort((a, b) => compareStrings(a.name, b.name)).map((p) => ({ name: p.name, spec_hash: p.specHash })),
    windows: kept.map((w) => ({ id: w.id, manifest: w.manifestSha256 })).sort((a, b) => compareStrings(a.id, b.id)),
  };
  // Only when chained: a digest without it must stay byte-identical to the earlier formula.
  if (evidence.chainedAlertmanager !== undefined) body["chained_alertmanager"] = evidence.chainedAlertmanager;
  // Likewise: a run under default settings keeps the digest it had before settings were covered.
  if (evidence.settings !== undefined) body["settings"] = evidence.settings;
  return `sha256:${sha256Hex(canonicalJson(body))}`;
}
