/**
 * The normalized event (docs/formats.md#normalized-event-one-json-object-per-line): the one shape every adapter produces and the engine reads.
 *
 * `eventSchema` (zod, in core/model/event.ts) is the documented definition and the source of
 * the exported JSON Schema. Windows hold millions of events, so the hot path uses
 * {@link normalizeEvent}, a hand-written check of the same rules; a test keeps the two in agreement.
 */
import { FORBIDDEN_KEYS, MAX_EPOCH_MS } from "./model/event.js";
import { SCOPE_KEYS, SEVERITIES, SIGNALS, type Severity, type Signal } from "./model/vocabulary.js";
import { parseTimestamp } from "./time.js";

export { SCOPE_KEYS, SEVERITIES, SEVERITY_RANK, SIGNALS, type ScopeKey, type Severity, type Signal } from "./model/vocabulary.js";
export { eventSchema, FORBIDDEN_KEYS, MAX_EPOCH_MS, type RawEvent } from "./model/event.js";

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

/** A number as a person reads it: `1e+300`, `-5`, `0.5`, never a 300-digit expansion. */
function describeNumber(v: number): string {
  return Number.isFinite(v) ? String(v) : "a non-finite number";
}

const SIGNAL_SET: ReadonlySet<string> = new Set(SIGNALS);
const SEVERITY_SET: ReadonlySet<string> = new Set(SEVERITIES);
/**
 * An event's keys; a key's index here is its code, which the events-line parser
 * (src/io/event-line.ts) and the window cache's layout use.
 */
export const EVENT_KEY_LIST = ["ts", "signal", "name", "scope", "source", "value", "severity", "attrs", "labels", "annotations", "starts_at", "ends_at"] as const;
export const K_TS = 0,
  K_SIGNAL = 1,
  K_NAME = 2,
  K_SCOPE = 3,
  K_SOURCE = 4,
  K_VALUE = 5,
  K_SEVERITY = 6,
  K_ATTRS = 7,
  K_LABELS = 8,
  K_ANNOTATIONS = 9,
  K_STARTS_AT = 10,
  K_ENDS_AT = 11;
const EVENT_KEYS: ReadonlySet<string> = new Set(EVENT_KEY_LIST);
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
  let seenScope = false,
    seenSignal = false,
    seenName = false,
    tsMs: number | undefined;
  let startsMs: number | undefined, endsMs: number | undefined;
  let n = 0;
  for (const key in raw) {
    n++;
    const v = raw[key];
    switch (key) {
      case "ts":
        if (typeof v === "string") tsMs = parseTimestamp(v);
        else if (typeof v === "number") {
          if (!Number.isInteger(v) || v < 0 || v > MAX_EPOCH_MS)
            return { path: "ts", message: `expected epoch milliseconds, a whole number from 0 to ${MAX_EPOCH_MS} (9999-12-31T23:59:59.999Z); got ${describeNumber(v)}` };
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
          if (!Number.isInteger(v) || v < 0 || v > MAX_EPOCH_MS)
            return { path: key, message: `expected epoch milliseconds, a whole number from 0 to ${MAX_EPOCH_MS} (9999-12-31T23:59:59.999Z); got ${describeNumber(v)}` };
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
