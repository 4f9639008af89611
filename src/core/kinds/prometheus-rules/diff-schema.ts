/** report.json's `kind_diff` for a Prometheus rule file: what the change stops and starts firing, per window. */
import { z } from "zod";
import { amKindDiffSchema } from "../alertmanager/diff-schema.js";

const labels = z.record(z.string(), z.string());
const nat = z.number().int().nonnegative();
const sides = z.strictObject({ base: nat, head: nat });
const time = z.string().describe("RFC 3339, UTC");

const alert = z.strictObject({
  rule: z.string(),
  labels: labels.describe("The alert's full label set, alertname included"),
  fired_at: time,
  resolved_at: time.nullable().describe("null: still firing at the window's end"),
});

const shifted = z.strictObject({
  rule: z.string(),
  labels,
  base_fired_at: time,
  head_fired_at: time,
  shift_ms: z.number().int().describe("head − base: negative fires earlier under head"),
});

export const rulesKindDiffSchema = z
  .strictObject({
    kind: z.literal("prometheus-rules"),
    lost: z.array(alert).describe("Alert episodes that fired under base with no overlapping episode of the same alert under head: what this change stops firing"),
    gained: z.array(alert).describe("Alert episodes that fire under head with none under base: what it starts firing"),
    earlier: z.array(shifted).describe("Alerts both fire, head earlier"),
    later: z.array(shifted).describe("Alerts both fire, head later"),
    rules: z
      .array(
        z.strictObject({
          rule: z.string(),
          episodes: sides.describe("Firing episodes; more episodes than alerts is flapping"),
          alerts: sides.describe("Distinct alerts (label sets) that fired"),
          recorded_series: sides.describe("Series a recording rule produced over the window (cardinality)"),
        }),
      )
      .describe("Rules whose episodes, alerts or recorded series differ"),
    definitions: z
      .array(
        z.strictObject({
          rule: z.string(),
          base: z.string().nullable().describe("expr, for and keep_firing_for under base; null: no such rule"),
          head: z.string().nullable(),
        }),
      )
      .describe("The definitions of the rules behind the differences, where base and head differ"),
    notifications: amKindDiffSchema
      .omit({ kind: true })
      .nullable()
      .describe("With prometheus_rules.alertmanager: the alerts sent as Prometheus sends them, through the Alertmanager configuration, compared as an Alertmanager diff; null when not chained"),
    totals: z.strictObject({ lost: nat, gained: nat, earlier: nat, later: nat, fired_episodes: sides }),
  })
  .describe("What a rule-file change does to the alerts a window fires");
export type RulesKindDiff = z.infer<typeof rulesKindDiffSchema>;
