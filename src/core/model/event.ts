/**
 * The normalized event (docs/formats.md#normalized-event-one-json-object-per-line) as written on disk: one line of `events.ndjson`. This zod
 * schema is the documented definition and the source of `schema/event.schema.json`; the hot
 * path checks the same rules by hand (core/event.ts `normalizeEvent`), and a test keeps the
 * two in agreement.
 */
import { z } from "zod";
import { SEVERITIES, SIGNALS } from "./vocabulary.js";

/** Keys that would reach Object.prototype through a lookup; refused everywhere input names a key. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

const attrKey = z
  .string()
  .min(1)
  .refine((k) => !FORBIDDEN_KEYS.has(k), { message: "reserved key" });

const labelRecord = z
  .unknown()
  .refine((v) => typeof v !== "object" || v === null || !Object.keys(v).some((k) => FORBIDDEN_KEYS.has(k)), { message: "reserved key" })
  .pipe(z.record(attrKey, z.string()));

/** A scope: some of the blast-radius dimensions, each one value. Events, window manifests and policies use it. */
export const scopeSchema = z.strictObject({
  service: z.string().optional(),
  region: z.string().optional(),
  pop: z.string().optional(),
  host: z.string().optional(),
});

/** Largest epoch-milliseconds time: the last millisecond of year 9999, as far as RFC 3339 goes. */
export const MAX_EPOCH_MS = 253_402_300_799_999;

/** A time as input gives it: RFC 3339 with `Z` (or an offset), or epoch milliseconds. */
const timeInput = z.union([z.string(), z.number().int().nonnegative().max(MAX_EPOCH_MS)]);

/** One line of `events.ndjson`, as written on disk. */
export const eventSchema = z.strictObject({
  ts: timeInput.describe("RFC 3339 with `Z` (or an offset), or epoch milliseconds"),
  signal: z.enum(SIGNALS),
  name: z.string().min(1).describe("e.g. `bgp.withdraw`, `dns.response`, `http_latency_p99_ms`"),
  scope: scopeSchema.describe("The blast-radius dimensions"),
  source: z.string().optional().describe("Emitting device or agent"),
  value: z.number().optional().describe("Metric value"),
  severity: z.enum(SEVERITIES).optional(),
  attrs: z
    .unknown()
    // Checked on the raw object: a record schema may drop a `__proto__` key before its key check sees it.
    .refine((v) => typeof v !== "object" || v === null || !Object.keys(v).some((k) => FORBIDDEN_KEYS.has(k)), { message: "reserved key" })
    .pipe(z.record(attrKey, z.union([z.string(), z.number(), z.boolean()])))
    .optional()
    .describe("`peer`, `prefix`, `rcode`, `qname`, …"),
  // Label names are any non-empty strings, `__name__` included; kinds that speak labels
  // (Alertmanager configurations, Prometheus rules) read them.
  labels: labelRecord.optional().describe("A Prometheus / Alertmanager label set, kept exactly as captured"),
  annotations: labelRecord.optional().describe("An alert's annotations (Alertmanager's PostableAlert), kept for display only"),
  starts_at: timeInput.optional().describe("An alert's `startsAt`: RFC 3339 or epoch milliseconds, like `ts`"),
  ends_at: timeInput.optional().describe("An alert's `endsAt` when the sender gave one: RFC 3339 or epoch milliseconds"),
});
export type RawEvent = z.infer<typeof eventSchema>;
