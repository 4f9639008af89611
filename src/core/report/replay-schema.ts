/**
 * The `replay-gate/replay@1` JSON report (`replay --format json`) as a zod schema: the
 * documentation of the format, the source of `schema/replay.schema.json`, and a check the
 * tests run on real output. The TypeScript types in replay.ts are what the code builds.
 */
import { z } from "zod";
import { DECISIONS } from "../window/manifest.js";
import { SCOPE_KEYS, SEVERITIES, SIGNALS } from "../event.js";
import { TRACE_LABELS } from "../engine/types.js";

const time = z.string().describe("RFC 3339, UTC, milliseconds when not zero");
const hash = z.string().regex(/^sha256:[0-9a-f]{64}$/);
const counts = z.record(z.string(), z.number().int().nonnegative());
const scopeValues = z.strictObject(Object.fromEntries(SCOPE_KEYS.map((k) => [k, z.array(z.string())])) as Record<(typeof SCOPE_KEYS)[number], z.ZodArray<z.ZodString>>);

export const replayReportSchema = z.strictObject({
  schema: z.literal("replay-gate/replay@1"),
  tool: z.strictObject({ name: z.literal("replay-gate"), version: z.string() }),
  engine_version: z.string().describe("bumped whenever replay results could change"),
  windows: z.array(z.strictObject({
    window: z.strictObject({
      id: z.string(), title: z.string(), dir: z.string(), start: time, end: time,
      scope: z.record(z.string(), z.string()),
      events: z.strictObject({ path: z.string(), sha256: z.string(), count: z.number().int(), bytes: z.number().int() }),
    }),
    policy: z.strictObject({ file: z.string(), name: z.string(), version: z.string(), mode: z.enum(["dry-run", "enforce"]), spec_hash: hash }),
    counts: z.strictObject({
      events: z.number().int(), out_of_scope: z.number().int(), alerts: z.number().int(), groups: z.number().int(), incidents: z.number().int(),
      suppressed: counts.describe("events dropped per suppress rule"),
      suppressed_severe: counts.describe("of those, major or critical"),
      inhibited: counts.describe("alerts dropped per inhibit rule"),
      alerts_by_rule: counts.describe("alerts fired per detect rule, before inhibition"),
      decisions: z.strictObject(Object.fromEntries(DECISIONS.map((d) => [d, z.number().int()])) as Record<(typeof DECISIONS)[number], z.ZodNumber>),
    }),
    collapse: z.string().describe("alerts → incidents"),
    incidents: z.array(z.strictObject({
      id: z.string().regex(/^inc-[0-9a-f]{12}$/), title: z.string(), rules: z.array(z.string()), signals: z.array(z.enum(SIGNALS)), scope: scopeValues,
      start: time, end: time, severity: z.enum(SEVERITIES), confidence: z.number().min(0).max(1), alerts: z.number().int(),
      groups: z.array(z.string()), events: z.array(z.number().int()).describe("event ids: 0-based line positions"),
    })),
    decisions: z.array(z.strictObject({
      action: z.string(), incident: z.string(), decision: z.enum(DECISIONS), target: z.array(z.string()), gate: z.enum(["none", "approval"]), at: time, reason: z.string(),
    })),
    groups: z.array(z.strictObject({
      id: z.string().regex(/^g-[0-9a-f]{12}$/), rule: z.string(), fingerprint: z.string(), start: time, end: time, alerts: z.number().int(),
      severity: z.enum(SEVERITIES), signals: z.array(z.enum(SIGNALS)), scope: scopeValues, events: z.number().int().describe("event count"), incident: z.string().nullable(),
    })),
    expectations: z.strictObject({
      status: z.enum(["pass", "fail", "none"]),
      checks: z.array(z.strictObject({ kind: z.enum(["incidents", "together", "apart", "actions"]), subject: z.string(), expected: z.string(), actual: z.string(), pass: z.boolean() })),
    }),
    trace_length: z.number().int(),
    trace_signature: hash,
    timeline_signature: hash,
    trace: z.array(z.strictObject({
      index: z.number().int(), at_ms: z.number().int(), label: z.enum(TRACE_LABELS), event: z.number().int(), rule: z.string(), ref: z.string(), state_signature: z.string(),
    })).optional().describe("only with --trace"),
  })),
  status: z.enum(["pass", "fail"]),
});
