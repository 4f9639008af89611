/**
 * `report.json` of `replay-gate diff` (schema `replay-gate/report@1`): the one artifact every
 * later surface is rendered from (Markdown PR comment, text, HTML report, annotations). It
 * carries at least the fields DESIGN §8 promises under those names; the rest is documented
 * here, field by field, and exported as JSON Schema to `schema/report.schema.json`
 * (`node scripts/export-schema.mjs`).
 *
 * Stability: the builder parses its output through {@link reportSchema}, so key order is the
 * order of the shapes below; times are RFC 3339 strings; numbers are rounded where noted.
 * Versioning: fields are only added within `@1`; a removal or change of meaning is `@2`.
 */
import { kindDiffSchema } from "../kinds/diff-schema.js";
import { z } from "zod";
import { thresholdsSchema } from "../config.js";
import { SEVERITIES, SIGNALS } from "../event.js";
import { DECISIONS } from "../window/manifest.js";

export const REPORT_SCHEMA = "replay-gate/report@1";

const int = z.number().int();
const nat = z.number().int().nonnegative();
const time = z.string().describe("RFC 3339 time, UTC");
const sha = z.string().describe("`sha256:` + 64 lowercase hex digits");
const counts = z.record(z.string(), nat);
const strings = z.array(z.string());

export const scopeValuesSchema = z.strictObject({
  service: strings,
  region: strings,
  pop: strings,
  host: strings,
}).describe("Scope values, per dimension, sorted");

const windowScopeSchema = z.strictObject({
  service: z.string().optional(),
  region: z.string().optional(),
  pop: z.string().optional(),
  host: z.string().optional(),
}).describe("The window manifest's scope");

/** The policy a side ran under. */
export const policyInputSchema = z.strictObject({
  name: z.string(),
  version: z.string(),
  mode: z.enum(["dry-run", "enforce"]),
  /** As given (`policies/edge-gw.yaml`) or `ref:path` for a git version. */
  file: z.string(),
  spec_hash: sha.describe("sha256 of the policy file's bytes"),
});
export type PolicyInput = z.infer<typeof policyInputSchema>;

/** One side (base or head) of one window: counters and signatures. */
export const sideSchema = z.strictObject({
  policy: z.strictObject({ name: z.string(), version: z.string(), spec_hash: sha }),
  events: nat.describe("Events read"),
  out_of_scope: nat.describe("Events outside the policy's scope, ignored"),
  alerts: nat,
  groups: nat,
  incidents: nat,
  collapse: z.string().describe("`alerts → incidents`, e.g. `146 → 1`"),
  suppressed: counts.describe("Events dropped per suppress rule"),
  suppressed_severe: counts.describe("Of those, events of severity major or critical"),
  inhibited: counts.describe("Alerts dropped per inhibit rule"),
  alerts_by_rule: counts.describe("Alerts fired per detect rule (before inhibition)"),
  groups_by_rule: counts.describe("Alert groups per detect rule"),
  decisions: z.record(z.enum(DECISIONS), nat).describe("Final action decisions by kind"),
  trace_length: nat,
  trace_signature: sha,
  timeline_signature: sha,
});
export type Side = z.infer<typeof sideSchema>;

export const incidentSchema = z.strictObject({
  id: z.string(),
  title: z.string(),
  rules: strings,
  signals: z.array(z.enum(SIGNALS)),
  scope: scopeValuesSchema,
  start: time,
  end: time,
  severity: z.enum(SEVERITIES),
  confidence: z.number(),
  alerts: nat,
  groups: nat,
  events: nat.describe("Number of events the incident holds"),
});
export type IncidentOut = z.infer<typeof incidentSchema>;

export const decisionSchema = z.strictObject({
  action: z.string(),
  incident: z.string(),
  decision: z.enum(DECISIONS),
  target: strings,
  gate: z.enum(["none", "approval"]),
  at: time,
  reason: z.string(),
});
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

export const expectationCheckSchema = z.strictObject({
  kind: z.enum(["incidents", "together", "apart", "actions"]),
  subject: z.string(),
  expected: z.string(),
  actual: z.string(),
  pass: z.boolean(),
});

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
  open_groups: z.array(z.strictObject({
    id: z.string(),
    rule: z.string(),
    fingerprint: z.string(),
    alerts: nat,
    start: time,
    end: time,
    incident: z.string().nullable(),
  })),
  incidents_total: nat,
  incident_list: z.array(z.strictObject({
    id: z.string(),
    title: z.string(),
    rules: strings,
    alerts: nat,
    severity: z.enum(SEVERITIES),
    confidence: z.number(),
  })),
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
  confidence: z.strictObject({
    level: z.enum(["High", "Medium", "Low"]).nullable(),
    min: z.number().nullable(),
  }).describe("From the head incidents' confidence: the weakest one (≥ 0.8 High, ≥ 0.6 Medium, else Low); null without head incidents"),
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

/** A policy section entry (or a setting) added, removed or changed, field by field. */
export const ruleChangeSchema = z.strictObject({
  section: z.enum(["metadata", "scope", "mode", "suppress", "inhibit", "detect", "group", "correlate", "incident", "actions"]),
  id: z.string().nullable().describe("Rule id; null for a setting section"),
  change: z.enum(["added", "removed", "changed"]),
  base_line: int.nullable().describe("1-based line in the base file"),
  head_line: int.nullable().describe("1-based line in the head file"),
  fields: z.array(z.strictObject({ path: z.string(), base: z.string().nullable(), head: z.string().nullable() })),
});
export type RuleChange = z.infer<typeof ruleChangeSchema>;

export const policyDiffSchema = z.strictObject({
  name: z.string(),
  status: z.enum(["added", "removed", "changed", "unchanged"]),
  base: policyInputSchema.nullable(),
  head: policyInputSchema.nullable(),
  semantic: z.array(ruleChangeSchema),
  text_diff: z.string().describe("Unified diff of the policy files"),
  windows: strings.describe("Ids of the windows replayed under this policy"),
});
export type PolicyDiff = z.infer<typeof policyDiffSchema>;

export const ruleCoverageSchema = z.strictObject({
  policy: z.string(),
  section: z.enum(["suppress", "inhibit", "detect", "correlate", "actions"]),
  id: z.string(),
  change: z.enum(["added", "changed", "unchanged"]),
  windows: strings.describe("Windows in which the head rule fired, suppressed, inhibited, linked or decided something"),
  base_windows: strings.describe("Windows in which the base version of the rule acted (empty for a rule the change added)"),
  hits: nat.describe("Alerts fired, events suppressed, alerts inhibited, incidents linked or decisions made, summed over windows"),
  untested: z.boolean().describe("Added or changed by this change, and no window exercises it under base or head"),
});

export const coverageSchema = z.strictObject({
  rules: z.array(ruleCoverageSchema),
  untested: z.array(z.strictObject({ policy: z.string(), section: z.string(), id: z.string(), change: z.enum(["added", "changed"]) })),
  severe_suppressions: z.array(z.strictObject({
    policy: z.string(),
    rule: z.string(),
    window: z.string(),
    events: nat.describe("Major/critical events the head hides beyond what base hid"),
  })),
});
export type Coverage = z.infer<typeof coverageSchema>;

export const suppressionCandidateSchema = z.strictObject({
  policy: z.string(),
  rule: z.string(),
  fingerprint: z.string(),
  windows: strings,
  groups: nat,
  alerts: nat,
});
export type SuppressionCandidate = z.infer<typeof suppressionCandidateSchema>;

export const REASON_CODES = ["nothing-replayed", "no-evidence", "expectation-regression", "expectation-failed", "parity-below-min", "incidents-added", "incidents-removed", "nondeterministic", "blast-radius", "pages-lost", "notifications-added", "notification-delayed", "alerts-lost", "alerts-added"] as const;

/** Why the verdict is what it is; missing evidence first, then regressions. */
export const reasonSchema = z.strictObject({
  code: z.enum(REASON_CODES),
  window: z.string().nullable(),
  policy: z.string().nullable(),
  message: z.string(),
  value: z.number().nullable(),
  limit: z.number().nullable(),
});
export type Reason = z.infer<typeof reasonSchema>;

/** The thresholds part of the verdict (DESIGN §7). Approvals and posture are the Action's `gate`. */
export const evaluationSchema = z.strictObject({
  verdict: z.enum(["pass", "fail"]),
  thresholds: thresholdsSchema,
  reasons: z.array(reasonSchema),
});
export type Evaluation = z.infer<typeof evaluationSchema>;

/**
 * Added by the Action (issue 4): approvals counted and refused, posture, and the final verdict.
 * Open here on purpose (loose object) so the Action can extend it within `@1`.
 */
export const gateSchema = z.looseObject({
  verdict: z.enum(["pass", "fail", "pending"]),
  reasons: z.array(z.strictObject({ code: z.string(), message: z.string() })),
});

export const sourceSchema = z.strictObject({
  spec: z.string().describe("What was given: files, globs, or `<ref>:<path>`"),
  git: z.strictObject({ ref: z.string(), commit: z.string() }).nullable(),
  policies: z.array(policyInputSchema),
});

export const inputsSchema = z.strictObject({
  base: sourceSchema,
  head: sourceSchema,
  windows: z.array(z.strictObject({
    id: z.string(),
    dir: z.string(),
    manifest_sha256: sha,
    events: z.strictObject({ path: z.string(), sha256: z.string(), count: nat, bytes: nat, uncompressed_bytes: nat.optional() }),
    policies: strings.describe("Policies whose scope covers the window"),
  })),
  config: z.strictObject({ file: z.string(), sha256: sha }).nullable(),
  evidence_digest: sha.describe("sha256 of head policy hashes, window manifest hashes and the engine version (DESIGN §7)"),
});

export const summarySchema = z.strictObject({
  windows: nat.describe("Window × policy comparisons replayed"),
  identical: nat,
  changed: nat.describe("Changed, added or removed"),
  regressions: nat.describe("Expectations pass on base and fail on head"),
  min_parity: z.number().nullable(),
  added_incidents: nat,
  removed_incidents: nat,
  split: nat,
  merged: nat,
  uncovered: nat.describe("Windows no policy covers, reported and not replayed"),
  policies_changed: nat,
  untested_rules: nat,
  scope_changed: z.strictObject({ service: strings, region: strings, pop: strings }),
});
export type Summary = z.infer<typeof summarySchema>;

export const reportSchema = z.strictObject({
  schema: z.literal(REPORT_SCHEMA),
  verdict: z.enum(["pass", "fail", "pending"]).describe("`evaluation.verdict`, or `gate.verdict` once the Action adds approvals"),
  summary: summarySchema,
  windows: z.array(windowResultSchema),
  evaluation: evaluationSchema,
  gate: gateSchema.optional(),
  uncovered_windows: z.array(z.strictObject({ id: z.string(), title: z.string(), dir: z.string(), scope: windowScopeSchema })),
  policies: z.array(policyDiffSchema),
  coverage: coverageSchema,
  suppression_candidates: z.array(suppressionCandidateSchema),
  inputs: inputsSchema,
  tool: z.strictObject({ name: z.string(), version: z.string() }),
  engine_version: z.string(),
});
export type Report = z.infer<typeof reportSchema>;

/** The JSON Schema (draft 2020-12) of report.json, as `scripts/export-schema.mjs` writes it. */
export function reportJsonSchema(): Record<string, unknown> {
  return { ...z.toJSONSchema(reportSchema, { target: "draft-2020-12", io: "output" }), $id: "https://replay-gate.dev/schema/report@1.json", title: "replay-gate report.json (replay-gate/report@1)" };
}
