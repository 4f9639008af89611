/** report.json's `kind_diff` for an Alertmanager policy; the type of `diffAlertmanager`'s result (diff.ts) is inferred from it. */
import { z } from "zod";

const labels = z.record(z.string(), z.string());
const strings = z.array(z.string());
const nat = z.number().int().nonnegative();
const delay = z
  .strictObject({
    /** Alerts notified to the receiver. */
    alerts: nat,
    p50_ms: z.number(),
    max_ms: z.number(),
  })
  .nullable();
const route = z.strictObject({ routes: strings, receivers: strings, notified: strings });

export const amKindDiffSchema = z
  .strictObject({
    kind: z.literal("alertmanager"),
    receivers: z.array(
      z.strictObject({
        receiver: z.string(),
        notifications: z.strictObject({ base: nat, head: nat }),
        pages_lost: z.array(labels).describe("Alerts this receiver was sent (firing) under base and never under head"),
        pages_added: z.array(labels),
        first_delay: z.strictObject({ base: delay, head: delay }).describe("First-notification delay per alert (received → first notification), p50 and max"),
        /** Largest growth of one alert's first-notification delay here (ms), over alerts notified under both. */
        max_added_delay_ms: z.number(),
      }),
    ),
    newly_inhibited: z.array(labels),
    newly_muted: z.array(labels),
    changed_alerts: z.array(z.strictObject({ labels, base: route, head: route })).describe("Alerts whose route, receivers or notifications differ, with the route taken under each version"),
    totals: z.strictObject({
      notifications: z.strictObject({ base: nat, head: nat }),
      pages_lost: nat,
      pages_added: nat,
      max_added_delay_ms: z.number(),
    }),
  })
  .describe("What changes for on-call: notifications per receiver, pages lost and added, delays, inhibition and muting");
export type AmKindDiff = z.infer<typeof amKindDiffSchema>;
