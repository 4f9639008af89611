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

/** One line of `events.ndjson`, as written on disk. */
export const eventSchema = z.strictObject({
  /** RFC 3339 with `Z` (or an offset), or epoch milliseconds. */
  ts: z.union([z.string(), z.number().int().nonnegative()]),
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
  attrs: z.record(attrKey, z.union([z.string(), z.number(), z.boolean()])).optional(),
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
}

const SIGNAL_SET: ReadonlySet<string> = new Set(SIGNALS);
const SEVERITY_SET: ReadonlySet<string> = new Set(SEVERITIES);
const EVENT_KEYS: ReadonlySet<string> = new Set(["ts", "signal", "name", "scope", "source", "value", "severity", "attrs"]);
const SCOPE_KEY_SET: ReadonlySet<string> = new Set(SCOPE_KEYS);

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A failed check: the field and what was wrong with it. */
export interface EventIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * Validates a parsed JSON value as an event and converts `ts` to milliseconds.
 * Returns the event, or the first issue found (field path and message).
 */
export function normalizeEvent(raw: unknown): NormalizedEvent | EventIssue {
  if (!isPlainObject(raw)) return { path: "", message: "expected a JSON object" };
  for (const key in raw) {
    if (!EVENT_KEYS.has(key)) return { path: key, message: `unknown field; allowed: ${[...EVENT_KEYS].join(", ")}` };
  }
  const { ts, signal, name, scope, source, value, severity, attrs } = raw;
  let tsMs: number | undefined;
  if (typeof ts === "string") tsMs = parseTimestamp(ts);
  else if (typeof ts === "number" && Number.isInteger(ts) && ts >= 0) tsMs = ts;
  if (tsMs === undefined) return { path: "ts", message: "expected an RFC 3339 time like 2026-02-26T10:12:00Z or epoch milliseconds" };
  if (typeof signal !== "string" || !SIGNAL_SET.has(signal)) return { path: "signal", message: `expected one of ${SIGNALS.join(", ")}` };
  if (typeof name !== "string" || name.length === 0) return { path: "name", message: "expected a non-empty string" };
  if (!isPlainObject(scope)) return { path: "scope", message: "expected an object like {pop: POP-12}" };
  for (const key in scope) {
    if (!SCOPE_KEY_SET.has(key)) return { path: `scope.${key}`, message: `unknown scope key; allowed: ${SCOPE_KEYS.join(", ")}` };
    if (typeof scope[key] !== "string") return { path: `scope.${key}`, message: "expected a string" };
  }
  if (source !== undefined && typeof source !== "string") return { path: "source", message: "expected a string" };
  if (value !== undefined && (typeof value !== "number" || !Number.isFinite(value))) return { path: "value", message: "expected a finite number" };
  if (severity !== undefined && (typeof severity !== "string" || !SEVERITY_SET.has(severity))) {
    return { path: "severity", message: `expected one of ${SEVERITIES.join(", ")}` };
  }
  if (attrs !== undefined) {
    if (!isPlainObject(attrs)) return { path: "attrs", message: "expected an object of strings, numbers and booleans" };
    for (const key of Object.keys(attrs)) {
      if (FORBIDDEN_KEYS.has(key) || key.length === 0) return { path: `attrs.${key}`, message: "reserved or empty key" };
      const v = attrs[key];
      const t = typeof v;
      if (t !== "string" && t !== "boolean" && !(t === "number" && Number.isFinite(v))) {
        return { path: `attrs.${key}`, message: "expected a string, number or boolean" };
      }
    }
  }
  // JSON.parse gives `__proto__` as an own key, which `for…in` above does not always reach.
  if (Object.hasOwn(raw, "__proto__")) return { path: "__proto__", message: "reserved key" };
  if (Object.hasOwn(scope, "__proto__")) return { path: "scope.__proto__", message: "reserved key" };
  const event: { -readonly [K in keyof NormalizedEvent]: NormalizedEvent[K] } = { ts: tsMs, signal: signal as Signal, name, scope: scope as Scope };
  if (source !== undefined) event.source = source as string;
  if (value !== undefined) event.value = value as number;
  if (severity !== undefined) event.severity = severity as Severity;
  if (attrs !== undefined) event.attrs = attrs as Record<string, AttrValue>;
  return event;
}

/** True when {@link normalizeEvent} returned an issue rather than an event. */
export function isEventIssue(r: NormalizedEvent | EventIssue): r is EventIssue {
  return (r as EventIssue).message !== undefined;
}
