/**
 * One window of report.json (`windows[]`, schema `replay-gate/report@1`): one window replayed
 * under one policy's base and head versions — counters, incidents, decisions, matching,
 * highlights, expectations and the first divergence. Incidents and decisions are the engine
 * results' shapes (results.ts) with times as RFC 3339 strings and lists counted.
 */
import { z } from "zod";
import { kindDiffSchema } from "../kinds/diff-schema.js";
import { scopeSchema } from "./event.js";
import { decisionOutSchema } from "./replay.js";
import { expectationCheckSchema, incidentSchema as engineIncidentSchema, replayCountsSchema, scopeValuesSchema } from "./results.js";
import { DECISIONS, RUN_MODES, SEVERITIES, SIGNALS } from "./vocabulary.js";

export { scopeValuesSchema };

const int = z.number().int();
const nat = z.number().int().nonnegative();
const time = z.string().describe("RFC 3339 time, UTC");
const sha = z.string().describe("`sha256:` + 64 lowercase hex digits");
const counts = z.record(z.string(), nat);
const strings = z.array(z.string());
const count = replayCountsSchema.shape;

export const windowScopeSchema = scopeSchema.describe("The window manifest's scope");

/** The policy a side ran under. */
export const policyInputSchema = z.strictObject({
  name: z.string(),
  version: z.string(),
  mode: z.enum(RUN_MODES),
  /** As given (`policies/edge-gw.yaml`) or `ref:path` for a git version. */
  file: z.string(),
  spec_hash: sha.describe("sha256 of the policy file's bytes"),
});
export type PolicyInput = z.infer<typeof policyInputSchema>;

/** One side (base or head) of one window: counters and signatures. */
export const sideSchema = z.strictObject({
  policy: z.strictObject({ name: z.string(), version: z.string(), spec_hash: sha }),
  events: count.events,
  out_of_scope: count.out_of_scope,
  alerts: count.alerts,
  groups: count.groups,
  incidents: count.incidents,
  collapse: z.string().describe("`alerts → incidents`, e.g. `146 → 1`"),
  suppressed: count.suppressed,
  suppressed_severe: count.suppressed_severe,
  inhibited: count.inhibited,
  alerts_by_rule: count.alerts_by_rule,
  groups_by_rule: counts.describe("Alert groups per detect rule"),
  decisions: count.decisions,
  trace_length: nat,
  trace_signature: sha,
  timeline_signature: sha,
});
export type Side = z.infer<typeof sideSchema>;

/** An incident: the engine's, with times as RFC 3339 and its groups and events counted. */
export const incidentSchema = engineIncidentSchema.extend({
  start: time,
  end: time,
  groups: nat,
  events: nat.describe("Number of events the incident holds"),
});
export type IncidentOut = z.infer<typeof incidentSchema>;

export const decisionSchema = decisionOutSchema;
export type DecisionOut = z.infer<typeof decisionSchema>;

/** A field of a paired incident that differs. Values are display strings. */
export const fieldChangeSchema = z.strictObject({
  field: z.enum(["rules", "severity", "confidence", "title", "actions", "events", "alerts", "start", "end"]),
  base: z.string(),
  head: z.string(),
});
export type FieldChange = z.infer<typeof fieldChangeSchema>;

/** Base and head incidents paired one to one by Jaccard similarity of their event sets (≥ 0.5). */
export const pairSchema = z.strictObject({
  kind: z.enum(["unchanged", "changed"]),
  base: z.string(),
  head: z.string(),
  jaccard: z.number().describe("Rounded to 4 decimals"),
  changes: z.array(fieldChangeSchema),
});
export type Pair = z.infer<typeof pairSchema>;

/** Incidents regrouped: most events of each listed incident went to the other side's listed incidents. */
export const regroupSchema = z.strictObject({
  kind: z.enum(["split", "merged"]).describe("`split`: one base incident became several head incidents; `merged`: several became one (or more head than base: split)"),
  base: strings,
  head: strings,
  shared_events: nat,
});
export type Regroup = z.infer<typeof regroupSchema>;

export const matchingSchema = z.strictObject({
  unchanged: nat,
  changed: nat,
  added: nat,
  removed: nat,
  split: nat,
  merged: nat,
  pairs: z.array(pairSchema),
  regrouped: z.array(regroupSchema),
  added_ids: strings.describe("Head incidents with no base counterpart"),
  removed_ids: strings.describe("Base incidents with no head counterpart"),
});
export type Matching = z.infer<typeof matchingSchema>;

export const HIGHLIGHT_KINDS = [
  "collapse",
  "fingerprint-tightened",
  "fingerprint-loosened",
  "suppression-added",
  "suppression-removed",
  "inhibition-added",
  "inhibition-removed",
  "link-added",
  "link-removed",
  "decision-changed",
  "severe-suppressed",
  "suppression-candidate",
] as const;

/** One difference, in words. `base`/`head` hold the numbers the words are about. */
export const highlightSchema = z.strictObject({
  kind: z.enum(HIGHLIGHT_KINDS),
  rule: z.string().nullable(),
  text: z.string(),
  base: z.number().nullable(),
  head: z.number().nullable(),
});
export type Highlight = z.infer<typeof highlightSchema>;

export { expectationCheckSchema };

const expectStatus = z.enum(["pass", "fail", "none", "n/a"]).describe("`none`: the window declares no expectations; `n/a`: the side was not replayed");

export const expectationsSchema = z.strictObject({
  base: expectStatus,
  head: expectStatus,
  regression: z.boolean().describe("Pass on base, fail on head"),
  base_checks: z.array(expectationCheckSchema),
  head_checks: z.array(expectationCheckSchema),
});

export const traceStepSchema = z.strictObject({
  index: nat,
  at: time,
  label: z.string(),
  event: int,
  rule: z.string(),
  ref: z.string(),
});
export type TraceStepOut = z.infer<typeof traceStepSchema>;

/** Engine state at a trace index, compacted (lists capped, see `*_total`). */
export const snapshotSchema = z.strictObject({
  trace_index: int.describe("-1: before any step"),
  at: time,
  step: traceStepSchema.nullable(),
  events_processed: nat,
  alerts: nat,
  groups: nat,
  incidents: nat,
  suppressed: counts,
  inhibited: counts,
  pending: nat.describe("Detect windows holding events that have not fired yet"),
  open_groups_total: nat,
  open_groups: z.array(
    z.strictObject({
      id: z.string(),
      rule: z.string(),
      fingerprint: z.string(),
      alerts: nat,
      start: time,
      end: time,
      incident: z.string().nullable(),
    }),
  ),
  incidents_total: nat,
  incident_list: z.array(
    z.strictObject({
      id: z.string(),
      title: z.string(),
      rules: strings,
      alerts: nat,
      severity: z.enum(SEVERITIES),
      confidence: z.number(),
    }),
  ),
  decisions: z.array(z.strictObject({ action: z.string(), incident: z.string(), decision: z.enum(DECISIONS) })),
});
export type SnapshotOut = z.infer<typeof snapshotSchema>;

/** How one policy treats one event: in scope, dropped by a suppress rule, matched by detect rules. */
export const treatmentSchema = z.strictObject({
  in_scope: z.boolean(),
  suppressed_by: z.string().nullable(),
  detect_matches: strings,
});
export type Treatment = z.infer<typeof treatmentSchema>;

export const eventOutSchema = z.strictObject({
  id: nat.describe("0-based line position in the window's events file"),
  ts: time,
  signal: z.enum(SIGNALS),
  name: z.string(),
  scope: windowScopeSchema,
  source: z.string().nullable(),
  value: z.number().nullable(),
  severity: z.enum(SEVERITIES).nullable(),
  attrs: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
});
export type EventOut = z.infer<typeof eventOutSchema>;

/** Why it differs: the first trace index at which base and head diverge, with both states there (time travel). */
export const divergenceSchema = z.strictObject({
  index: nat.describe("First trace index whose state signature differs (or where one trace ends)"),
  explanation: z.string(),
  event: eventOutSchema.nullable().describe("The first event the two versions treated differently"),
  treatment: z.strictObject({ base: treatmentSchema.nullable(), head: treatmentSchema.nullable() }),
  base: snapshotSchema.nullable(),
  head: snapshotSchema.nullable(),
});
export type Divergence = z.infer<typeof divergenceSchema>;

/** One window replayed under one policy's base and head versions. */
export const windowResultSchema = z.strictObject({
  id: z.string(),
  title: z.string(),
  dir: z.string(),
  policy: z.string().describe("The policy's metadata.name"),
  scope: windowScopeSchema,
  status: z.enum(["identical", "changed", "added", "removed"]).describe("`added`: no base version covers the window; `removed`: no head version does"),
  parity: z.number().nullable().describe("B-cubed F1 of base vs head incidents, 4 decimals; null when one side is missing"),
  confidence: z
    .strictObject({
      level: z.enum(["High", "Medium", "Low"]).nullable(),
      min: z.number().nullable(),
    })
    .describe("From the head incidents' confidence: the weakest one (≥ 0.8 High, ≥ 0.6 Medium, else Low); null without head incidents"),
  base: sideSchema.nullable(),
  head: sideSchema.nullable(),
  expectations: expectationsSchema,
  determinism: z.enum(["equal", "differs", "skipped"]).describe("Head replayed twice in the same pass"),
  incidents: z.strictObject({ base: z.array(incidentSchema), head: z.array(incidentSchema) }),
  decisions: z.strictObject({ base: z.array(decisionSchema), head: z.array(decisionSchema) }),
  matching: matchingSchema,
  highlights: z.array(highlightSchema),
  scope_changed: z.strictObject({ service: strings, region: strings, pop: strings }).describe("Scope values whose results differ: the change's blast radius"),
  divergence: divergenceSchema.nullable(),
  kind: z.enum(["alertmanager", "prometheus-rules"]).optional().describe("The policy's kind when it is not a CorrelationPolicy (absent for CorrelationPolicy windows)"),
  kind_diff: kindDiffSchema.optional().describe("The kind's own comparison of the window (absent for CorrelationPolicy windows)"),
});
export type WindowResult = z.infer<typeof windowResultSchema>;
