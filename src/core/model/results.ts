/**
 * What one replay of one window under one CorrelationPolicy produces (docs/engine.md), in memory:
 * times are integer ms UTC, ids are content-derived, event ids are 0-based positions in the
 * window's events file. The replay report (replay.ts) and report.json (report.ts) derive their
 * shapes from these field by field, with times as RFC 3339 strings.
 */
import { z } from "zod";
import type { Frozen } from "./frozen.js";
import { DECISIONS, SCOPE_KEYS, SEVERITIES, SIGNALS, TRACE_LABELS } from "./vocabulary.js";

const nat = z.number().int().nonnegative();
const ms = z.number().int().describe("ms UTC");
const counts = z.record(z.string(), nat);

/** Scope values seen, per dimension, sorted. */
export const scopeValuesSchema = z
  .strictObject(Object.fromEntries(SCOPE_KEYS.map((k) => [k, z.array(z.string())])) as Record<(typeof SCOPE_KEYS)[number], z.ZodArray<z.ZodString>>)
  .describe("Scope values, per dimension, sorted");
export type ScopeValues = Frozen<z.infer<typeof scopeValuesSchema>>;

/** An alert group: alerts of one rule and fingerprint whose gaps are at most `dedupe_within`. */
export const alertGroupSchema = z.strictObject({
  id: z
    .string()
    .regex(/^g-[0-9a-f]{12}$/)
    .describe("Content-derived: `g-` + hash of rule, fingerprint and start"),
  rule: z.string(),
  fingerprint: z.string(),
  start: ms.describe("`at` of the first alert"),
  end: ms.describe("`at` of the last alert"),
  alerts: nat,
  severity: z.enum(SEVERITIES),
  signals: z.array(z.enum(SIGNALS)),
  scope: scopeValuesSchema,
  events: z.array(nat).describe("Contributing event ids, ascending"),
  incident: z.string().nullable().describe("The incident the group ended in, or null when it stayed alone"),
});
export type AlertGroup = Frozen<z.infer<typeof alertGroupSchema>>;

/** One incident per episode of linked groups. */
export const incidentSchema = z.strictObject({
  id: z.string().describe("Content-derived (a CorrelationPolicy's: `inc-` + hash of the first group's fingerprint and start)"),
  title: z.string(),
  rules: z.array(z.string()),
  signals: z.array(z.enum(SIGNALS)),
  scope: scopeValuesSchema,
  start: ms,
  end: ms,
  severity: z.enum(SEVERITIES),
  confidence: z.number().min(0).max(1).describe("`base + per_signal × distinct signals`, capped at 1, rounded to 6 decimals"),
  alerts: nat,
  groups: z.array(z.string()),
  events: z.array(nat).describe("Event ids, ascending"),
});
export type Incident = Frozen<z.infer<typeof incidentSchema>>;

/** An action decision for one (action, incident) pair. A replay never performs an action. */
export const actionDecisionSchema = z.strictObject({
  action: z.string(),
  incident: z.string(),
  decision: z.enum(DECISIONS),
  target: z.array(z.string()).describe("Values of the action's `target` field for the incident (e.g. the POPs to drain)"),
  gate: z.enum(["none", "approval"]),
  at: ms.describe("Time of the step that made the (final) decision"),
  reason: z.string().describe("Why, in words (`spans 2 pops, blast_radius.max_pops is 1`)"),
});
export type ActionDecision = Frozen<z.infer<typeof actionDecisionSchema>>;

/** One step of the engine. */
export const traceEntrySchema = z.strictObject({
  index: nat,
  at_ms: ms,
  label: z.enum(TRACE_LABELS),
  event: z.number().int().describe("The event being processed when the step happened"),
  rule: z.string().describe("Rule responsible (detect, inhibit or action id)"),
  ref: z.string().describe("What the step made or changed: alert fingerprint, group id, incident id or `action→incident`"),
  state_signature: z.string().describe("sha256 of the text of every step up to and including this one: equal signatures, equal histories"),
});
export type TraceEntry = Frozen<z.infer<typeof traceEntrySchema>>;

/** Counters of one replay. */
export const replayCountsSchema = z.strictObject({
  events: nat.describe("Events read"),
  out_of_scope: nat.describe("Events outside the policy's scope, ignored"),
  alerts: nat,
  groups: nat,
  incidents: nat,
  suppressed: counts.describe("Events dropped per suppress rule"),
  suppressed_severe: counts.describe("Of those, events of severity major or critical"),
  inhibited: counts.describe("Alerts dropped per inhibit rule"),
  alerts_by_rule: counts.describe("Alerts fired per detect rule (before inhibition)"),
  decisions: z.strictObject(Object.fromEntries(DECISIONS.map((d) => [d, nat])) as Record<(typeof DECISIONS)[number], typeof nat>).describe("Final action decisions by kind"),
});
export type ReplayCounts = Frozen<z.infer<typeof replayCountsSchema>>;

/**
 * Counters every policy kind reports (the kinds' shared result model, core/kinds/kind.ts):
 * `alerts` is what the kind calls an alert, `groups` its grouping unit.
 */
export const kindCountsSchema = z.strictObject({
  events: nat.describe("Events the kind read from the window"),
  alerts: nat.describe("What the kind calls an alert: an alert Alertmanager received, a rule's alert episode"),
  groups: nat.describe("The kind's grouping unit: Alertmanager aggregation groups, rule groups"),
  incidents: nat.describe("Incidents in the shared model: what parity matches base and head on"),
});
export type KindCounts = Frozen<z.infer<typeof kindCountsSchema>>;

const sha = z.string().regex(/^sha256:[0-9a-f]{64}$/);

/** The whole, deterministic result of replaying one window under one policy. */
export const engineResultSchema = z.strictObject({
  counts: replayCountsSchema,
  groups: z.array(alertGroupSchema),
  incidents: z.array(incidentSchema),
  decisions: z.array(actionDecisionSchema),
  trace: z.array(traceEntrySchema).describe("Every step, when the trace was asked for (`trace: true`); otherwise empty"),
  trace_length: nat.describe("Number of steps, whether or not they were kept"),
  last_state_signature: z.string().nullable().describe("The last step's state signature, or null when there was no step"),
  trace_signature: sha,
  timeline_signature: sha,
});
export type EngineResult = Frozen<z.infer<typeof engineResultSchema>>;

/** Engine state at one trace index (time travel: `explain` and the divergence finder). */
export const snapshotSchema = z.strictObject({
  trace_index: z.number().int().describe("-1: before any step"),
  at_ms: ms,
  step: traceEntrySchema.nullable().describe("The step at that index, or null for the state before any step"),
  events_processed: nat,
  counts: replayCountsSchema,
  pending: z.array(z.strictObject({ rule: z.string(), fingerprint: z.string(), events: z.array(nat), since: ms })).describe("Detect windows holding matching events that have not fired yet"),
  open_groups: z.array(alertGroupSchema).describe("Groups still open at that moment (their dedupe gap not yet elapsed)"),
  incidents: z.array(incidentSchema),
  decisions: z.array(actionDecisionSchema),
});
export type Snapshot = Frozen<z.infer<typeof snapshotSchema>>;

/** One of a window's `expect:` expectations and whether it held. */
export const expectationCheckSchema = z.strictObject({
  kind: z.enum(["incidents", "together", "apart", "actions"]),
  subject: z.string().describe("What was checked, in words (`together: bgp-flap + dns-nxdomain-surge`)"),
  expected: z.string(),
  actual: z.string(),
  pass: z.boolean(),
});
export type ExpectationCheck = Frozen<z.infer<typeof expectationCheckSchema>>;

/** A window's expectations checked against one replay; all must hold for `pass`. */
export const expectationResultSchema = z.strictObject({
  status: z.enum(["pass", "fail", "none"]).describe("`none` when the window has no `expect:` block"),
  checks: z.array(expectationCheckSchema),
});
export type ExpectationResult = Frozen<z.infer<typeof expectationResultSchema>>;
