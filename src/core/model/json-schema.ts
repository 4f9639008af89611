/**
 * The JSON Schemas (draft 2020-12) of the model's documents, as `scripts/export-schema.mjs`
 * writes them to `schema/` and `npm run ci` checks them for freshness. Output shapes (what
 * replay-gate writes) are exported as written; input shapes (events, manifests) as read.
 */
import { z } from "zod";
import { amReplayReportSchema } from "./alertmanager-replay.js";
import { eventSchema } from "./event.js";
import { replayReportSchema } from "./replay.js";
import { reportSchema } from "./report.js";
import { rulesReportSchema } from "./rules-replay.js";
import { manifestSchema } from "./window.js";

/** A JSON Schema with the `$id` and `title` a reader sees first. */
function named(schema: z.ZodType, id: string, title: string): Record<string, unknown> {
  return { ...z.toJSONSchema(schema, { target: "draft-2020-12", io: "output" }), $id: `https://replay-gate.dev/schema/${id}.json`, title };
}

/** The JSON Schema of report.json. */
export function reportJsonSchema(): Record<string, unknown> {
  return named(reportSchema, "report@1", "replay-gate report.json (replay-gate/report@1)");
}

/** The JSON Schema of `replay --format json`. */
export function replayJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(replayReportSchema, { target: "draft-2020-12" });
}

/** The JSON Schema of `replay --format json` for an Alertmanager configuration. */
export function alertmanagerReplayJsonSchema(): Record<string, unknown> {
  return named(amReplayReportSchema, "alertmanager-replay@1", "replay-gate replay of an Alertmanager configuration (replay-gate/alertmanager-replay@1)");
}

/** The JSON Schema of `replay --format json` for a Prometheus rule file. */
export function rulesReplayJsonSchema(): Record<string, unknown> {
  return named(rulesReportSchema, "rules-replay", "replay-gate replay of a Prometheus rule file (kind prometheus-rules)");
}

/** The JSON Schema of one line of a window's events file. */
export function eventJsonSchema(): Record<string, unknown> {
  return named(eventSchema, "event", "replay-gate normalized event (one line of events.ndjson)");
}

/** The JSON Schema of a window's manifest (`window.yaml`, as its YAML reads into JSON). */
export function windowJsonSchema(): Record<string, unknown> {
  return named(manifestSchema, "window", "replay-gate window manifest (window.yaml)");
}
