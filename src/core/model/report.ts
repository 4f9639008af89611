/**
 * `report.json` of `replay-gate diff` (schema `replay-gate/report@1`): the one artifact every
 * later surface is rendered from (Markdown PR comment, text, HTML report, annotations). It
 * carries at least the fields docs/report.md documents under those names; the rest is documented
 * here, field by field, and exported as JSON Schema to `schema/report.schema.json`
 * (`node scripts/export-schema.mjs`).
 *
 * Stability: the builder parses its output through {@link reportSchema}, so key order is the
 * order of the shapes below; times are RFC 3339 strings; numbers are rounded where noted.
 * Versioning: fields are only added within `@1`; a removal or change of meaning is `@2`.
 */
import { z } from "zod";
import { thresholdsSchema } from "../config.js";
import { gateSchema } from "./gate.js";
import { policyInputSchema, windowResultSchema, windowScopeSchema } from "./report-window.js";
import { POLICY_SECTIONS, REASON_CODES, RULE_SECTIONS } from "./vocabulary.js";

export { REASON_CODES };

export const REPORT_SCHEMA = "replay-gate/report@1";

const int = z.number().int();
const nat = z.number().int().nonnegative();
const sha = z.string().describe("`sha256:` + 64 lowercase hex digits");
const strings = z.array(z.string());

/** A policy section entry (or a setting) added, removed or changed, field by field. */
export const ruleChangeSchema = z.strictObject({
  section: z.enum(POLICY_SECTIONS),
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
  kind: z
    .enum(["alertmanager", "prometheus-rules"])
    .optional()
    .describe("The policy's kind when it is not a CorrelationPolicy (absent for CorrelationPolicy); such a policy has no `semantic` list: its changes are shown per window in `kind_diff`"),
  base: policyInputSchema.nullable(),
  head: policyInputSchema.nullable(),
  semantic: z.array(ruleChangeSchema).describe("CorrelationPolicy sections added, removed or changed; always empty for other kinds"),
  text_diff: z.string().describe("Unified diff of the policy files"),
  windows: strings.describe("Ids of the windows replayed under this policy"),
});
export type PolicyDiff = z.infer<typeof policyDiffSchema>;

export const ruleCoverageSchema = z.strictObject({
  policy: z.string(),
  section: z.enum(RULE_SECTIONS),
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
  severe_suppressions: z.array(
    z.strictObject({
      policy: z.string(),
      rule: z.string(),
      window: z.string(),
      events: nat.describe("Major/critical events the head hides beyond what base hid"),
    }),
  ),
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

/** The thresholds part of the verdict (docs/gate.md). Approvals and posture are the Action's `gate`. */
export const evaluationSchema = z.strictObject({
  verdict: z.enum(["pass", "fail"]),
  thresholds: thresholdsSchema,
  reasons: z.array(reasonSchema),
});
export type Evaluation = z.infer<typeof evaluationSchema>;

export const sourceSchema = z.strictObject({
  spec: z.string().describe("What was given: files, globs, or `<ref>:<path>`"),
  git: z.strictObject({ ref: z.string(), commit: z.string() }).nullable(),
  policies: z.array(policyInputSchema),
  chained_alertmanager: z
    .strictObject({
      file: z.string().describe("The path `prometheus_rules.alertmanager` names, as this side read it (`<ref>:<path>` at a git ref)"),
      sha256: sha.nullable().describe("Of the file's bytes; null when this side has no file there (its rule files' alerts went nowhere)"),
    })
    .optional()
    .describe("With `prometheus_rules.alertmanager` and rule files on this side: the Alertmanager configuration their alerts were sent through"),
});

/**
 * The gate config's settings that change what head's policies replay to (docs/report.md#the-evidence-digest),
 * canonical: only those of a kind head has policies of, only when they differ from their default or
 * (the chained path, which has none) are set; durations as their largest whole unit.
 */
export const evidenceSettingsSchema = z.strictObject({
  alertmanager: z
    .strictObject({ emulate: z.enum(["0.25", "0.30", "0.32"]).describe("`alertmanager.emulate`, when not 0.25") })
    .optional()
    .describe("With Alertmanager configurations at head, or rule files chained into one"),
  prometheus_rules: z
    .strictObject({
      evaluation_interval: z.string().optional().describe("`prometheus_rules.evaluation_interval`, when not 1m"),
      resend_delay: z.string().optional().describe("`prometheus_rules.resend_delay`, when not 1m and the rule files are chained"),
      alertmanager: z.string().optional().describe("`prometheus_rules.alertmanager`: the path of the configuration the rule files are chained into, without a leading `./`"),
    })
    .optional()
    .describe("With Prometheus rule files at head"),
});
export type EvidenceSettings = z.infer<typeof evidenceSettingsSchema>;

export const inputsSchema = z.strictObject({
  base: sourceSchema,
  head: sourceSchema,
  windows: z.array(
    z.strictObject({
      id: z.string(),
      dir: z.string(),
      manifest_sha256: sha,
      events: z.strictObject({ path: z.string(), sha256: z.string(), count: nat, bytes: nat, uncompressed_bytes: nat.optional() }),
      policies: strings.describe("Policies whose scope covers the window"),
    }),
  ),
  config: z.strictObject({ file: z.string(), sha256: sha }).nullable(),
  settings: evidenceSettingsSchema
    .optional()
    .describe("The gate config's settings that change head's results and differ from their defaults; absent when there are none (always, for correlation policies alone)"),
  evidence_digest: sha.describe(
    "sha256 of head policy hashes, window manifest hashes, the engine version and, when present, `settings` and head's chained Alertmanager configuration: an approval of an older commit with the same digest still counts",
  ),
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
