/**
 * `replay --format json` of a Prometheus rule file (`kind: "prometheus-rules"`): per window,
 * the alert episodes and per-rule statistics. The source of
 * `schema/rules-replay.schema.json` and of the types core/kinds/prometheus-rules/report.ts
 * builds; fields are in the order the report prints them.
 */
import { z } from "zod";
import type { Frozen } from "./frozen.js";

const nat = z.number().int().nonnegative();
const time = z.string().describe("RFC 3339, UTC, milliseconds when not zero");
const labels = z.record(z.string(), z.string());

/** One alert episode: from active (pending) to resolved, with times as RFC 3339 strings. */
const alertOutSchema = z.strictObject({
  rule: z.string().describe("The alerting rule's name"),
  labels: labels.describe("The alert's full label set, alertname included, names sorted"),
  annotations: labels.describe("Templated annotations, names sorted"),
  active_at: time.describe("The first evaluation whose expression returned the series"),
  fired_at: time.nullable().describe("When `for` was first met; null: the episode stayed pending"),
  resolved_at: time.nullable().describe("null: still active at the window's end"),
});

/** One rule's statistics over one window. */
export const ruleStatsSchema = z.strictObject({
  group: z.string(),
  rule: z.string().describe("The alert's or recorded series' name"),
  kind: z.enum(["alert", "record"]),
  evaluations: nat,
  samples_read: nat.describe("Samples the rule's expression read"),
  samples_produced: nat.describe("Samples (series × evaluations) the rule produced"),
  series_produced: nat.describe("Distinct series the rule produced over the window"),
  errors: nat.describe("Evaluations that failed"),
  first_error: z.string().nullable().describe("The first failure's message; null without errors"),
});

/** One window's replay. */
const rulesWindowReportSchema = z.strictObject({
  window: z.string().describe("The window's id"),
  dir: z.string(),
  samples: nat.describe("Metric samples read from the window"),
  evaluations: nat.describe("Distinct evaluation times"),
  alerts: z.array(alertOutSchema).describe("Every alert episode, pending ones included"),
  rules: z.array(ruleStatsSchema),
  trace_signature: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .describe("sha256 over the episodes and rule statistics: equal signatures, equal histories"),
});

export const rulesReportSchema = z.strictObject({
  kind: z.literal("prometheus-rules"),
  policy: z.strictObject({
    name: z.string().describe("A PrometheusRule resource's metadata.name, else the file's base name"),
    version: z.string().describe("The first 12 hex digits of the file's sha256"),
    file: z.string(),
  }),
  evaluation_interval_ms: z.number().int().positive().describe("--evaluation-interval (default 1m), for groups without an interval of their own"),
  prometheus_semantics: z.union([z.literal(2), z.literal(3)]).describe("`3` (left-open ranges) or `2` (closed ranges, 2.42 extrapolation order)"),
  windows: z.array(rulesWindowReportSchema),
});
export type RulesReport = Frozen<z.infer<typeof rulesReportSchema>>;
