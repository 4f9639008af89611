/** The correlation policy file (docs/formats.md#correlation-policy), as a strict zod schema. */
import { z } from "zod";
import { FORBIDDEN_KEYS, SEVERITIES } from "../event.js";
import { FIELD_PATH_HINT, fieldPathSchema, isFieldPath } from "../field-path.js";
import { RULE_SECTIONS, RUN_MODES } from "../model/vocabulary.js";
import { checkThreshold, THRESHOLD_KEYS } from "../engine/detect/kinds.js";
import { parseTimestamp } from "../time.js";
import { scopeFilterSchema } from "../window/manifest.js";
import { durationSchema } from "./duration.js";

const ruleId = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, { message: "expected a rule id of lowercase letters, digits, '.', '_' and '-'" });

export { durationSchema };

const timestampSchema = z.string({ message: "expected an RFC 3339 time like 2026-02-26T10:00:00Z" }).transform((s, ctx) => {
  const ms = parseTimestamp(s);
  if (ms === undefined) {
    ctx.addIssue({ code: "custom", message: "expected an RFC 3339 time like 2026-02-26T10:00:00Z" });
    return z.NEVER;
  }
  return ms;
});

const scalar = z.union([z.string(), z.number(), z.boolean()]);
const operator = z
  .strictObject({
    gt: z.number().optional(),
    gte: z.number().optional(),
    lt: z.number().optional(),
    lte: z.number().optional(),
    not: z.union([scalar, z.array(scalar)]).optional(),
  })
  .refine((o) => Object.keys(o).length > 0, { message: "an operator object needs one of gt, gte, lt, lte, not" });

/** A matcher value: a scalar (exact, or a glob when it holds `*`), a list (any of), or an operator object. */
export const matchValueSchema = z.union([scalar, z.array(scalar).min(1), operator]);
export type MatchValue = z.infer<typeof matchValueSchema>;

/** All keys must match. Keys are field paths. */
export const matcherSchema = z.record(z.string(), matchValueSchema).superRefine((m, ctx) => {
  for (const key of Object.keys(m)) {
    if (!isFieldPath(key)) ctx.addIssue({ code: "custom", path: [key], message: `unknown match key "${key}"; expected ${FIELD_PATH_HINT}` });
  }
});
export type Matcher = z.infer<typeof matcherSchema>;

const fingerprintPart = z.union([z.literal("rule"), fieldPathSchema]);

export const suppressRuleSchema = z.strictObject({
  id: ruleId,
  match: matcherSchema,
  /** Drop matching events whose `value` is below this. */
  below: z.number().optional(),
  /** Drop matching events whose `value` is above this. */
  above: z.number().optional(),
  /** Drop matching events inside this interval (inclusive start, exclusive end). */
  during: z.strictObject({ from: timestampSchema, to: timestampSchema }).optional(),
});

export const inhibitRuleSchema = z.strictObject({
  id: ruleId,
  /** Detect rule whose open alert group mutes… */
  source: ruleId,
  /** …alerts of this detect rule… */
  target: ruleId,
  /** …when these values are equal on both. */
  equal: z.array(fieldPathSchema).default([]),
});

/** A detect threshold: the keys of every detect kind, of which one kind's must be used (engine/detect/kinds.ts). */
export const thresholdSchema = z.strictObject(THRESHOLD_KEYS).superRefine((t, ctx) => {
  for (const issue of checkThreshold(t)) ctx.addIssue({ code: "custom", ...(issue.key === undefined ? {} : { path: [issue.key] }), message: issue.message });
});

export const detectRuleSchema = z.strictObject({
  id: ruleId,
  match: matcherSchema,
  threshold: thresholdSchema,
  /** Values that identify one alert stream; `rule` stands for the rule id. */
  fingerprint: z.array(fingerprintPart).min(1).default(["rule"]),
  /** Alert severity; without it, the highest severity among the contributing events, else `minor`. */
  severity: z.enum(SEVERITIES).optional(),
  /** May form an incident on its own. */
  standalone: z.boolean().default(false),
});

export const correlateRuleSchema = z.strictObject({
  id: ruleId,
  join: z.array(ruleId).min(2),
  on: z.array(fieldPathSchema).default([]),
  within: durationSchema,
});

const blastRadiusSchema = z.strictObject({
  max_pops: z.number().int().nonnegative().optional(),
  max_regions: z.number().int().nonnegative().optional(),
  max_services: z.number().int().nonnegative().optional(),
  max_hosts: z.number().int().nonnegative().optional(),
});

export const actionRuleSchema = z.strictObject({
  id: ruleId,
  when: z.strictObject({
    rules: z.array(ruleId).min(1),
    min_confidence: z.number().min(0).max(1).default(0),
  }),
  target: fieldPathSchema,
  gate: z.enum(["none", "approval"]).default("none"),
  blast_radius: blastRadiusSchema.default({}),
});

export const TITLE_PLACEHOLDERS = ["scope.service", "scope.region", "scope.pop", "scope.host", "rules", "signals", "severity", "policy"] as const;

export const policySchema = z
  .strictObject({
    apiVersion: z.literal("replay-gate/v1"),
    kind: z.literal("CorrelationPolicy"),
    metadata: z.strictObject({
      name: ruleId,
      version: z.string().min(1),
      description: z.string().optional(),
      owners: z.array(z.string()).optional(),
    }),
    /** Events outside this scope are ignored; also selects which windows the policy applies to. */
    scope: scopeFilterSchema.default({}),
    mode: z.enum(RUN_MODES).default("dry-run"),
    suppress: z.array(suppressRuleSchema).default([]),
    inhibit: z.array(inhibitRuleSchema).default([]),
    detect: z.array(detectRuleSchema).min(1),
    group: z.strictObject({ dedupe_within: durationSchema }).default({ dedupe_within: 300_000 } as never),
    correlate: z.array(correlateRuleSchema).default([]),
    incident: z
      .strictObject({
        title: z.string().max(200).default("{scope.service} {scope.pop} {rules}"),
        confidence: z
          .strictObject({
            base: z.number().min(0).max(1).default(0.4),
            per_signal: z.number().min(0).max(1).default(0.2),
          })
          .default({ base: 0.4, per_signal: 0.2 }),
      })
      .default({ title: "{scope.service} {scope.pop} {rules}", confidence: { base: 0.4, per_signal: 0.2 } }),
    actions: z.array(actionRuleSchema).default([]),
  })
  .superRefine((p, ctx) => {
    const detectIds = new Set(p.detect.map((d) => d.id));
    const seen = new Map<string, string>();
    for (const section of RULE_SECTIONS) {
      (p[section] as readonly { id: string }[]).forEach((rule, i) => {
        const prior = seen.get(rule.id);
        if (prior) ctx.addIssue({ code: "custom", path: [section, i, "id"], message: `duplicate id "${rule.id}" (also ${prior})` });
        else seen.set(rule.id, `${section}[${i}]`);
      });
    }
    const needDetect = (id: string, path: (string | number)[]) => {
      if (!detectIds.has(id)) ctx.addIssue({ code: "custom", path, message: `"${id}" is not a detect rule id; known: ${[...detectIds].join(", ")}` });
    };
    p.inhibit.forEach((r, i) => {
      needDetect(r.source, ["inhibit", i, "source"]);
      needDetect(r.target, ["inhibit", i, "target"]);
    });
    p.correlate.forEach((r, i) => r.join.forEach((id, j) => needDetect(id, ["correlate", i, "join", j])));
    p.actions.forEach((r, i) => r.when.rules.forEach((id, j) => needDetect(id, ["actions", i, "when", "rules", j])));
    const title = p.incident.title;
    for (const ph of placeholdersOf(title)) {
      if (!(TITLE_PLACEHOLDERS as readonly string[]).includes(ph)) {
        ctx.addIssue({ code: "custom", path: ["incident", "title"], message: `unknown placeholder {${ph}}; allowed: ${TITLE_PLACEHOLDERS.map((x) => `{${x}}`).join(" ")}` });
      }
    }
    for (const [i, s] of p.suppress.entries()) {
      if (s.during && s.during.to <= s.during.from) ctx.addIssue({ code: "custom", path: ["suppress", i, "during", "to"], message: "to must be after from" });
    }
  });
export type PolicyDoc = z.infer<typeof policySchema>;
export type DetectRule = z.infer<typeof detectRuleSchema>;
export type ActionRule = z.infer<typeof actionRuleSchema>;

/** The `{name}` placeholders of a title template, in order. */
export function placeholdersOf(template: string): string[] {
  const out: string[] = [];
  let i = 0;
  while ((i = template.indexOf("{", i)) !== -1) {
    const j = template.indexOf("}", i);
    if (j === -1) break;
    out.push(template.slice(i + 1, j));
    i = j + 1;
  }
  return out;
}

export { FORBIDDEN_KEYS };
