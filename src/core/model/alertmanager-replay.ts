/**
 * `replay --format json` of an Alertmanager configuration (schema
 * `replay-gate/alertmanager-replay@1`): per window, the notifications in time order and every
 * alert's fate. The source of `schema/alertmanager-replay.schema.json` and of the types
 * core/kinds/alertmanager/render.ts builds; fields are in the order the report prints them.
 */
import { z } from "zod";
import type { Frozen } from "./frozen.js";
import { kindCountsSchema } from "./results.js";

export const AM_REPLAY_SCHEMA = "replay-gate/alertmanager-replay@1";

/** The fates of an alert, strongest first: notified beats muted beats inhibited beats never notified. */
const AM_FATES = ["notified", "muted", "inhibited", "never-notified"] as const;

const nat = z.number().int().nonnegative();
const time = z.string().describe("RFC 3339, UTC, always with milliseconds");
const labels = z.record(z.string(), z.string()).describe("A label set, names sorted");

const notificationSchema = z.strictObject({
  at: time.describe("When the integration was called: the group's flush"),
  receiver: z.string(),
  integration: z.string().describe("The receiver's integration and its index, e.g. `pagerduty[0]`"),
  route: z.string().describe("The route that grouped the alerts, e.g. `root.0` (the root route's first child)"),
  group_labels: labels.describe("The aggregation group's labels (the route's group_by)"),
  firing: z.array(z.strictObject({ labels, starts_at: time })),
  resolved: z.array(z.strictObject({ labels, starts_at: time, ends_at: time })),
});

const alertFateSchema = z.strictObject({
  labels,
  fate: z.enum(AM_FATES).describe("notified if any receiver was called for it; else muted, inhibited or never notified, in that order"),
  routes: z.array(z.string()).describe("The routes the alert matched"),
  receivers: z.array(z.string()).describe("Those routes' receivers"),
  first_notified: z.record(z.string(), time).describe("Per receiver, the first notification that carried the alert"),
  inhibited: z
    .strictObject({ rule: nat.describe("Index into inhibit_rules"), source: labels.describe("The source alert that inhibited it") })
    .nullable()
    .describe("The first inhibition seen; null when never inhibited"),
  muted: z.array(z.string()).describe("The time intervals that muted it (`mute:<name>`, or `inactive:<names>` when outside its active_time_intervals)"),
});

const amIncidentSchema = z.strictObject({
  id: z.string().regex(/^inc-[0-9a-f]{12}$/),
  title: z.string().describe("The receiver and the group's labels"),
  start: time,
  end: time,
  alerts: nat,
  events: nat.describe("Event count"),
});

/** One window of an Alertmanager replay. */
const amWindowReportSchema = z.strictObject({
  id: z.string(),
  dir: z.string(),
  start: time,
  end: time,
  counts: kindCountsSchema.extend({
    notifications: nat.describe("Integration calls"),
    ignored_events: nat.describe("Events whose signal is not `alert`, ignored"),
  }),
  trace_signature: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .describe("sha256 over every step of the replay: equal signatures, equal histories"),
  notifications: z.array(notificationSchema).describe("In time order"),
  alerts: z.array(alertFateSchema).describe("Every alert received, with its fate"),
  incidents: z.array(amIncidentSchema).describe("Group episodes in the shared model (what parity matches)"),
});
export type AmWindowReport = Frozen<z.infer<typeof amWindowReportSchema>>;

export const amReplayReportSchema = z.strictObject({
  schema: z.literal(AM_REPLAY_SCHEMA),
  policy: z.strictObject({
    kind: z.literal("alertmanager"),
    name: z.string().describe("The file's base name"),
    version: z.string().describe("The first 12 hex digits of the file's sha256"),
    file: z.string(),
  }),
  windows: z.array(amWindowReportSchema),
});
export type AmReplayReport = Frozen<z.infer<typeof amReplayReportSchema>>;
