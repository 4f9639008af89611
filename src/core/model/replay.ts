/**
 * The `replay` command's result (`replay --format json`, schema `replay-gate/replay@1`): per
 * window, counts, incidents, decisions, groups, expectations and signatures under one policy.
 * Its shapes are the engine results' (results.ts) with times as RFC 3339 strings; this schema is
 * the source of `schema/replay.schema.json` and the types core/report/replay.ts builds.
 */
import { z } from "zod";
import type { Frozen } from "./frozen.js";
import { scopeSchema } from "./event.js";
import { actionDecisionSchema, alertGroupSchema, expectationResultSchema, incidentSchema, replayCountsSchema, traceEntrySchema } from "./results.js";
import { RUN_MODES } from "./vocabulary.js";
import { manifestSchema } from "./window.js";

export const REPLAY_SCHEMA = "replay-gate/replay@1";

const time = z.string().describe("RFC 3339, UTC, milliseconds when not zero");
const hash = z.string().regex(/^sha256:[0-9a-f]{64}$/);

/** The policy a replay ran under. */
export const policyRefSchema = z.strictObject({
  file: z.string(),
  name: z.string(),
  version: z.string(),
  mode: z.enum(RUN_MODES),
  spec_hash: hash.describe("sha256 of the policy file's bytes"),
});
export type PolicyRef = Frozen<z.infer<typeof policyRefSchema>>;

/** The window a replay read. */
export const windowRefSchema = z.strictObject({
  id: z.string(),
  title: z.string(),
  dir: z.string(),
  start: time,
  end: time,
  scope: scopeSchema,
  events: manifestSchema.shape.events,
});
export type WindowRef = Frozen<z.infer<typeof windowRefSchema>>;

/** Incidents, decisions and groups with times as RFC 3339 strings, for people and scripts alike. */
export const incidentOutSchema = incidentSchema.extend({ id: z.string().regex(/^inc-[0-9a-f]{12}$/), start: time, end: time });
export type IncidentOut = Frozen<z.infer<typeof incidentOutSchema>>;
export const decisionOutSchema = actionDecisionSchema.extend({ at: time });
export type DecisionOut = Frozen<z.infer<typeof decisionOutSchema>>;
export const groupOutSchema = alertGroupSchema.extend({ start: time, end: time, events: z.number().int().nonnegative().describe("Event count") });
export type GroupOut = Frozen<z.infer<typeof groupOutSchema>>;

/** One window replayed under one policy. */
export const windowReplaySchema = z.strictObject({
  window: windowRefSchema,
  policy: policyRefSchema,
  counts: replayCountsSchema,
  collapse: z.string().describe("`alerts → incidents`, e.g. `146 → 1`"),
  incidents: z.array(incidentOutSchema),
  decisions: z.array(decisionOutSchema),
  groups: z.array(groupOutSchema),
  expectations: expectationResultSchema,
  trace_length: z.number().int().nonnegative(),
  trace_signature: hash,
  timeline_signature: hash,
  trace: z.array(traceEntrySchema).optional().describe("The full trace, only with --trace"),
});
export type WindowReplay = Frozen<z.infer<typeof windowReplaySchema>>;

export const replayReportSchema = z.strictObject({
  schema: z.literal(REPLAY_SCHEMA),
  tool: z.strictObject({ name: z.literal("replay-gate"), version: z.string() }),
  engine_version: z.string().describe("Bumped whenever replay results could change"),
  windows: z.array(windowReplaySchema),
  status: z.enum(["pass", "fail"]).describe("`pass` when every window's expectations hold (or it has none)"),
});
export type ReplayReport = Frozen<z.infer<typeof replayReportSchema>>;
