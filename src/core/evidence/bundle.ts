/**
 * The evidence bundle's contents (docs/evidence.md#evidence-bundle), as files: per window the manifest, and per policy
 * version replayed on it the audit record, incidents and decisions, the trace and the
 * signatures; the report; and MANIFEST.json listing every file with its size and sha256. Pure
 * and deterministic: the same replays give the same bytes, so two runs give identical bundles.
 */
import { compareStrings } from "../compare.js";
import type { EngineResult } from "../engine/types.js";
import { sha256Hex } from "../hash.js";
import { decisionOut, groupOut, incidentOut } from "../report/replay.js";
import type { AuditRecord } from "./audit-record.js";
import type { TarFile } from "./tar.js";

export const EVIDENCE_SCHEMA = "replay-gate/evidence@1";

/** One policy version replayed on one window. */
export interface PolicyEvidence {
  /** Directory under the window: `<policy>@<version>`, or `<policy>/base` and `<policy>/head` for a diff. */
  readonly slot: string;
  readonly audit: AuditRecord;
  readonly result: EngineResult;
}

export interface WindowEvidence {
  readonly id: string;
  /** window.yaml as stored. */
  readonly manifestText: string;
  readonly policies: readonly PolicyEvidence[];
}

export interface EvidenceBundleInput {
  readonly windows: readonly WindowEvidence[];
  /** The run's report: `report.json` of a diff or `replay.json` of a replay, as written. */
  readonly report: { readonly name: string; readonly text: string } | null;
}

const encoder = new TextEncoder();

function json(value: unknown): Uint8Array {
  return encoder.encode(`${JSON.stringify(value, null, 2)}\n`);
}

/** A path segment from data: letters, digits and `._@+-` kept, anything else `_`; never `.` or `..`. */
export function safeSegment(s: string): string {
  let out = "";
  for (const ch of s) out += /^[A-Za-z0-9._@+-]$/.test(ch) ? ch : "_";
  return out === "" || out === "." || out === ".." ? `_${out}` : out;
}

/** Every file of the bundle, MANIFEST.json last-written but listed first by path order in the tar. */
export function bundleFiles(input: EvidenceBundleInput): TarFile[] {
  const files: TarFile[] = [];
  if (input.report !== null) files.push({ path: safeSegment(input.report.name), data: encoder.encode(input.report.text) });
  for (const w of input.windows) {
    const base = `windows/${safeSegment(w.id)}`;
    files.push({ path: `${base}/window.yaml`, data: encoder.encode(w.manifestText) });
    for (const p of w.policies) {
      const dir = `${base}/${p.slot.split("/").map(safeSegment).join("/")}`;
      const r = p.result;
      files.push({ path: `${dir}/audit.json`, data: json(p.audit) });
      files.push({ path: `${dir}/incidents.json`, data: json({ incidents: r.incidents.map(incidentOut), decisions: r.decisions.map(decisionOut), groups: r.groups.map(groupOut) }) });
      files.push({ path: `${dir}/trace.jsonl`, data: encoder.encode(r.trace.map((t) => JSON.stringify(t)).join("\n") + (r.trace.length > 0 ? "\n" : "")) });
      files.push({
        path: `${dir}/signatures.json`,
        data: json({ trace_length: r.trace_length, trace_signature: r.trace_signature, timeline_signature: r.timeline_signature, last_state_signature: r.last_state_signature }),
      });
    }
  }
  files.sort((a, b) => compareStrings(a.path, b.path));
  const manifest = {
    schema: EVIDENCE_SCHEMA,
    files: files.map((f) => ({ path: f.path, bytes: f.data.length, sha256: `sha256:${sha256Hex(f.data)}` })),
  };
  return [{ path: "MANIFEST.json", data: json(manifest) }, ...files];
}
