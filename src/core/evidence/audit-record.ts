/**
 * The replay audit record (schema `replay-gate/audit@1`, docs/evidence.md#replay-audit-record): one per window and policy
 * version, saying what was evaluated (the input records, by count, bytes and sampled hashes),
 * under which policy and posture, and what every rule and action decided. It holds no clock
 * time and no duration, so the same inputs give the same bytes on every machine.
 */
import { z } from "zod";
import { compareStrings } from "../compare.js";
import type { EngineResult } from "../engine/types.js";
import type { LoadedPolicy } from "../policy/load.js";
import { POSTURES, RUN_MODES, type Posture, type RunMode } from "../model/vocabulary.js";
import { ENGINE_VERSION, TOOL } from "../version.js";
import { DECISIONS } from "../window/manifest.js";
import type { ScanResult, Selection } from "./sample.js";

export const AUDIT_SCHEMA = "replay-gate/audit@1";

const nat = z.number().int().nonnegative();
const sha = z
  .string()
  .regex(/^sha256:[0-9a-f]{64}$/)
  .describe("`sha256:` + 64 lowercase hex digits");

export { POSTURES, RUN_MODES, type Posture, type RunMode };
export const APPROVAL_STATUSES = ["not-required", "approved", "missing"] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

/** One thing the pipeline did under this policy: a rule that dropped, muted or fired, or an action decision. */
export const auditActionSchema = z.strictObject({
  /** What kind of policy entry acted: a suppress, inhibit or detect rule, or an action. */
  role: z.enum(["suppress", "inhibit", "detect", "action"]),
  /** The pipeline stage it acted in (docs/engine.md#the-pipeline). */
  stage: z.enum(["suppress", "detect", "actions"]),
  /** The rule or action id. */
  id: z.string(),
  /** What it acted on: a suppress/detect rule's match (`key=value`), an inhibit rule's muted rule, an action's target values (e.g. the POPs to drain). */
  target: z.array(z.string()),
  /** `dropped` (events), `muted` (alerts), `fired` (alerts), or the action's decision. */
  decision: z.enum(["dropped", "muted", "fired", ...DECISIONS]),
  /** Events dropped, alerts muted or fired; 1 for an action decision. */
  count: nat,
  /** The incident an action was decided for; null for rules. */
  incident: z.string().nullable(),
  /** `none` or `approval` for actions; null for rules. */
  gate: z.enum(["none", "approval"]).nullable(),
  /** Why, in words. */
  reason: z.string(),
});
export type AuditAction = z.infer<typeof auditActionSchema>;

export const auditRecordSchema = z.strictObject({
  /** Audit schema version. */
  schema: z.literal(AUDIT_SCHEMA),
  window: z.strictObject({
    id: z.string(),
    /** The window directory, relative to the working directory when inside it. */
    dir: z.string(),
    /** sha256 of window.yaml's bytes. */
    manifest_sha256: sha,
    /** The policy in effect when the window was captured (`policy_spec_hash` of the manifest), if recorded. */
    captured_policy_spec_hash: sha.nullable(),
  }),
  /** sha256 of the policy file's bytes: the version evaluated. */
  policy_spec_hash: sha,
  input: z.strictObject({
    /** The events file, under the window directory. */
    events_path: z.string(),
    /** sha256 of the events file as stored (the pin). */
    events_sha256: z.string(),
    /** Records read and verified. */
    records_scanned: nat,
    /** Records the policy's scope selected (the rest is out of scope, ignored). */
    records_selected: nat,
    /** Bytes of the events file as stored. */
    bytes_scanned: nat,
    /** UTF-8 bytes of the selected records in their canonical form (RFC 8785 JSON of the normalized event, plus a newline each). */
    bytes_selected: nat,
    sample: z.strictObject({
      /** `stride`: record ids `floor(i × n / k)` for `i < k`. */
      method: z.literal("stride"),
      size: nat,
      /** sha256 of each sampled record's canonical JSON. */
      records: z.array(z.strictObject({ id: nat, sha256: sha })),
    }),
  }),
  policy: z.strictObject({
    name: z.string(),
    version: z.string(),
    /** As given: a path, or `ref:path` for a git version. */
    file: z.string(),
    /** The environment the replay stands for (`--environment`, else the window's `source.environment`), or null. */
    environment: z.string().nullable(),
    /** The environment's posture from the config; `open` without a config. */
    posture: z.enum(POSTURES),
    /** `not-required` in dry-run or when no approval rule applies; `approved` when enforce's approval rules were covered. */
    approval_status: z.enum(APPROVAL_STATUSES),
    /** The mode the replay ran in: dry-run decisions are `would-run`; enforce decisions are `gated` or `run`. */
    mode: z.enum(RUN_MODES),
  }),
  /** Counters and signatures of the replay. */
  result: z.strictObject({
    alerts: nat,
    groups: nat,
    incidents: nat,
    trace_length: nat,
    trace_signature: sha,
    timeline_signature: sha,
  }),
  /** Every rule that acted and every action decision, in pipeline order. */
  actions: z.array(auditActionSchema),
  engine_version: z.string(),
  tool: z.strictObject({ name: z.string(), version: z.string() }),
});
export type AuditRecord = z.infer<typeof auditRecordSchema>;

/** Everything {@link buildAuditRecord} needs; all of it is data the shell already has. */
export interface AuditInput {
  readonly window: { readonly id: string; readonly dir: string; readonly manifestSha256: string; readonly capturedSpecHash: string | null };
  readonly events: { readonly path: string; readonly sha256: string; readonly bytes: number };
  readonly policy: LoadedPolicy;
  readonly scan: ScanResult;
  /** This policy's entry of `scan.selected`. */
  readonly selection: Selection;
  readonly result: EngineResult;
  readonly environment: string | null;
  readonly posture: Posture;
  readonly approvalStatus: ApprovalStatus;
  readonly mode: RunMode;
}

function describeMatch(match: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(match)
    .sort(compareStrings)
    .map((k) => `${k}=${JSON.stringify(match[k])}`);
}

/** Rules that acted and action decisions, in pipeline order: suppress, then detect (inhibit, fire), then actions. */
export function auditActions(policy: LoadedPolicy, result: EngineResult): AuditAction[] {
  const doc = policy.doc;
  const c = result.counts;
  const out: AuditAction[] = [];
  for (const s of doc.suppress) {
    const n = c.suppressed[s.id] ?? 0;
    if (n === 0) continue;
    const severe = c.suppressed_severe[s.id] ?? 0;
    out.push({
      role: "suppress",
      stage: "suppress",
      id: s.id,
      target: describeMatch(s.match),
      decision: "dropped",
      count: n,
      incident: null,
      gate: null,
      reason: severe > 0 ? `dropped ${n} events, ${severe} of them major or critical` : `dropped ${n} events`,
    });
  }
  for (const i of doc.inhibit) {
    const n = c.inhibited[i.id] ?? 0;
    if (n === 0) continue;
    out.push({
      role: "inhibit",
      stage: "detect",
      id: i.id,
      target: [i.target],
      decision: "muted",
      count: n,
      incident: null,
      gate: null,
      reason: `muted ${n} ${i.target} alerts while a ${i.source} group was open`,
    });
  }
  for (const d of doc.detect) {
    const n = c.alerts_by_rule[d.id] ?? 0;
    if (n === 0) continue;
    out.push({ role: "detect", stage: "detect", id: d.id, target: describeMatch(d.match), decision: "fired", count: n, incident: null, gate: null, reason: `fired ${n} alerts` });
  }
  for (const d of result.decisions) {
    out.push({ role: "action", stage: "actions", id: d.action, target: [...d.target], decision: d.decision, count: 1, incident: d.incident, gate: d.gate, reason: d.reason });
  }
  return out;
}

/** Builds one audit record; parsing through the schema fixes the key order. */
export function buildAuditRecord(input: AuditInput): AuditRecord {
  const { policy, result } = input;
  return auditRecordSchema.parse({
    schema: AUDIT_SCHEMA,
    window: { id: input.window.id, dir: input.window.dir, manifest_sha256: input.window.manifestSha256, captured_policy_spec_hash: input.window.capturedSpecHash },
    policy_spec_hash: policy.specHash,
    input: {
      events_path: input.events.path,
      events_sha256: input.events.sha256,
      records_scanned: input.scan.scanned,
      records_selected: input.selection.records,
      bytes_scanned: input.events.bytes,
      bytes_selected: input.selection.bytes,
      sample: { method: "stride", size: input.scan.sample.length, records: input.scan.sample },
    },
    policy: {
      name: policy.doc.metadata.name,
      version: policy.doc.metadata.version,
      file: policy.file,
      environment: input.environment,
      posture: input.posture,
      approval_status: input.approvalStatus,
      mode: input.mode,
    },
    result: {
      alerts: result.counts.alerts,
      groups: result.counts.groups,
      incidents: result.counts.incidents,
      trace_length: result.trace_length,
      trace_signature: result.trace_signature,
      timeline_signature: result.timeline_signature,
    },
    actions: auditActions(policy, result),
    engine_version: ENGINE_VERSION,
    tool: { name: TOOL.name, version: TOOL.version },
  });
}

/** The JSON Schema (draft 2020-12) of an audit record, as committed in `schema/audit.schema.json`. */
export function auditJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(auditRecordSchema, { target: "draft-2020-12", io: "output" }),
    $id: "https://replay-gate.dev/schema/audit@1.json",
    title: "replay-gate replay audit record (replay-gate/audit@1)",
  };
}
