/**
 * The normalized event (DESIGN §2): the one shape every adapter produces and the engine reads.
 *
 * `eventSchema` (zod) is the documented definition and the source of the exported JSON Schema.
 * Windows hold millions of events, so the hot path uses {@link normalizeEvent}, a hand-written
 * check of the same rules; a test keeps the two in agreement.
 */
import { z } from "zod";
import { parseTimestamp } from "./time.js";

export const SIGNALS = ["flow", "bgp", "dns", "metric", "alert", "log"] as const;
export type Signal = (typeof SIGNALS)[number];
export const SEVERITIES = ["info", "minor", "major", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];
export const SCOPE_KEYS = ["service", "region", "pop", "host"] as const;
export type ScopeKey = (typeof SCOPE_KEYS)[number];

/** Severity rank for max(): info < minor < major < critical. */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { info: 0, minor: 1, major: 2, critical: 3 };

/** Keys that would reach Object.prototype through a lookup; refused everywhere input names a key. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

const attrKey = z.string().min(1).refine((k) => !FORBIDDEN_KEYS.has(k), { message: "reserved key" });

const labelRecord = z
  .unknown()
  .refine((v) => typeof v !== "object" || v === null || !Object.keys(v).some((k) => FORBIDDEN_KEYS.has(k)), { message: "reserved key" })
  .pipe(z.record(attrKey, z.string()));

/** One line of `events.ndjson`, as written on disk. */
export const eventSchema = z.strictObject({
  /** RFC 3339 with `Z` (or an offset), or epoch milliseconds. */
  ts: z.union([z.string(), z.number().int().nonnegative().max(253_402_300_799_999)]),
  signal: z.enum(SIGNALS),
  /** e.g. `bgp.withdraw`, `dns.response`, `http_latency_p99_ms`. */
  name: z.string().min(1),
  /** The blast-radius dimensions. */
  scope: z.strictObject({
    service: z.string().optional(),
    region: z.string().optional(),
    pop: z.string().optional(),
    host: z.string().optional(),
  }),
  /** Emitting device or agent. */
  source: z.string().optional(),
  /** Metric value. */
  value: z.number().optional(),
  severity: z.enum(SEVERITIES).optional(),
  /** `peer`, `prefix`, `rcode`, `qname`, … */
  attrs: z
    .unknown()
    // Checked on the raw object: a record schema may drop a `__proto__` key before its key check sees it.
    .refine((v) => typeof v !== "object" || v === null || !Object.keys(v).some((k) => FORBIDDEN_KEYS.has(k)), { message: "reserved key" })
    .pipe(z.record(attrKey, z.union([z.string(), z.number(), z.boolean()])))
    .optional(),
  /**
   * A Prometheus / Alertmanager label set, kept exactly as captured (label names are any
   * non-empty strings, `__name__` included). Alert and metric windows carry it; policy kinds
   * that speak labels (Alertmanager configurations, Prometheus rules) read it.
   */
  labels: labelRecord.optional(),
  /** An alert's annotations (Alertmanager's PostableAlert), kept for display only. */
  annotations: labelRecord.optional(),
  /** An alert's `startsAt`: RFC 3339 or epoch milliseconds, like `ts`. */
  starts_at: z.union([z.string(), z.number().int().nonnegative().max(253_402_300_799_999)]).optional(),
  /** An alert's `endsAt` when the sender gave one: RFC 3339 or epoch milliseconds. */
  ends_at: z.union([z.string(), z.number().int().nonnegative().max(253_402_300_799_999)]).optional(),
});
export type RawEvent = z.infer<typeof eventSchema>;

export type AttrValue = string | number | boolean;
export type Scope = { readonly service?: string; readonly region?: string; readonly pop?: string; readonly host?: string };

/** An event after validation: `ts` is integer milliseconds UTC. */
export interface NormalizedEvent {
  readonly ts: number;
  readonly signal: Signal;
  readonly name: string;
  readonly scope: Scope;
  readonly source?: string;
  readonly value?: number;
  readonly severity?: Severity;
  readonly attrs?: Readonly<Record<string, AttrValue>>;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  /** ms UTC. */
  readonly starts_at?: number;
  /** ms UTC. */
  readonly ends_at?: number;
}

/** Largest epoch-milliseconds `ts`: the last millisecond of year 9999, as far as RFC 3339 goes. */
export const MAX_EPOCH_MS = 253_402_300_799_999;

/** A number as a person reads it: `1e+300`, `-5`, `0.5`, never a 300-digit expansion. */
function describeNumber(v: number): string {
  return Number.isFinite(v) ? String(v) : "a non-finite number";
}

const SIGNAL_SET: ReadonlySet<string> = new Set(SIGNALS);
const SEVERITY_SET: ReadonlySet<string> = new Set(SEVERITIES);
const EVENT_KEYS: ReadonlySet<string> = new Set(["ts", "signal", "name", "scope", "source", "value", "severity", "attrs", "labels", "annotations", "starts_at", "ends_at"]);
const SCOPE_KEY_SET: ReadonlySet<string> = new Set(SCOPE_KEYS);

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A failed check: the field and what was wrong with it. */
export interface EventIssue {
  readonly path: string;
  readonly message: string;
}

/** Receives the number of keys a valid event holds (top level, scope and attrs). */
export interface KeyCount {
  n: number;
}

/**
 * Validates a parsed JSON value as an event and converts `ts` to milliseconds.
 * Returns the event, or the first issue found (field path and message). When `keys` is given,
 * it receives the event's key count (for the duplicate-key check, at no extra pass).
 *
 * This is the hot path of every replay (millions of calls): it checks in place and reuses the
 * parsed object as the event, replacing only `ts`, instead of copying it.
 */
export function normalizeEvent(raw: unknown, keys?: KeyCount): NormalizedEvent | EventIssue {
  if (!isPlainObject(raw)) return { path: "", message: "expected a JSON object" };
  let seenScope = false, seenSignal = false, seenName = false, tsMs: number | undefined;
  let startsMs: number | undefined, endsMs: number | undefined;
  let n = 0;
  for (const key in raw) {
    n++;
    const v = raw[key];
    switch (key) {
      case "ts":
        if (typeof v === "string") tsMs = parseTimestamp(v);
        else if (typeof v === "number") {
          if (!Number.isInteger(v) || v < 0 || v > MAX_EPOCH_MS) return { path: "ts", message: `expected epoch milliseconds, a whole number from 0 to ${MAX_EPOCH_MS} (9999-12-31T23:59:59.999Z); got ${describeNumber(v)}` };
          tsMs = v;
        }
        if (tsMs === undefined) return { path: "ts", message: "expected an RFC 3339 time like 2026-02-26T10:12:00Z or epoch milliseconds" };
        break;
      case "signal":
        if (typeof v !== "string" || !SIGNAL_SET.has(v)) return { path: "signal", message: `expected one of ${SIGNALS.join(", ")}` };
        seenSignal = true;
        break;
      case "name":
        if (typeof v !== "string" || v.length === 0) return { path: "name", message: "expected a non-empty string" };
        seenName = true;
        break;
      case "scope": {
        if (!isPlainObject(v)) return { path: "scope", message: "expected an object like {pop: POP-12}" };
        for (const k in v) {
          n++;
          if (!SCOPE_KEY_SET.has(k)) return { path: `scope.${k}`, message: `unknown scope key; allowed: ${SCOPE_KEYS.join(", ")}` };
          if (typeof v[k] !== "string") return { path: `scope.${k}`, message: "expected a string" };
        }
        seenScope = true;
        break;
      }
      case "source":
        if (typeof v !== "string") return { path: "source", message: "expected a string" };
        break;
      case "value":
        if (typeof v !== "number" || !Number.isFinite(v)) return { path: "value", message: "expected a finite number" };
        break;
      case "severity":
        if (typeof v !== "string" || !SEVERITY_SET.has(v)) return { path: "severity", message: `expected one of ${SEVERITIES.join(", ")}` };
        break;
      case "attrs": {
        if (!isPlainObject(v)) return { path: "attrs", message: "expected an object of strings, numbers and booleans" };
        for (const k in v) {
          n++;
          if (k.length === 0 || FORBIDDEN_KEYS.has(k)) return { path: `attrs.${k}`, message: "reserved or empty key" };
          const a = v[k];
          const t = typeof a;
          if (t !== "string" && t !== "boolean" && !(t === "number" && Number.isFinite(a))) return { path: `attrs.${k}`, message: "expected a string, number or boolean" };
        }
        break;
      }
      case "labels":
      case "annotations": {
        if (!isPlainObject(v)) return { path: key, message: "expected an object of strings like {alertname: HighLatency}" };
        for (const k in v) {
          n++;
          if (k.length === 0 || FORBIDDEN_KEYS.has(k)) return { path: `${key}.${k}`, message: "reserved or empty key" };
          if (typeof v[k] !== "string") return { path: `${key}.${k}`, message: "expected a string" };
        }
        break;
      }
      case "starts_at":
      case "ends_at": {
        let ms: number | undefined;
        if (typeof v === "string") ms = parseTimestamp(v);
        else if (typeof v === "number") {
          if (!Number.isInteger(v) || v < 0 || v > MAX_EPOCH_MS) return { path: key, message: `expected epoch milliseconds, a whole number from 0 to ${MAX_EPOCH_MS} (9999-12-31T23:59:59.999Z); got ${describeNumber(v)}` };
          ms = v;
        }
        if (ms === undefined) return { path: key, message: "expected an RFC 3339 time like 2026-02-26T10:12:00Z or epoch milliseconds" };
        if (key === "starts_at") startsMs = ms;
        else endsMs = ms;
        break;
      }
      default:
        return { path: key, message: `unknown field; allowed: ${[...EVENT_KEYS].join(", ")}` };
    }
  }
  if (tsMs === undefined) return { path: "ts", message: "required" };
  if (!seenSignal) return { path: "signal", message: "required" };
  if (!seenName) return { path: "name", message: "required" };
  if (!seenScope) return { path: "scope", message: "required (use {} for an event without scope)" };
  raw.ts = tsMs;
  if (startsMs !== undefined) raw.starts_at = startsMs;
  if (endsMs !== undefined) raw.ends_at = endsMs;
  if (keys !== undefined) keys.n = n;
  return raw as unknown as NormalizedEvent;
}

/** True when {@link normalizeEvent} returned an issue rather than an event. */
export function isEventIssue(r: NormalizedEvent | EventIssue): r is EventIssue {
  return (r as EventIssue).message !== undefined;
}
