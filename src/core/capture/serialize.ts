/**
 * One event, one line: the byte form capture writes. Keys in a fixed order (ts, signal, name,
 * scope, source, value, severity, attrs), scope keys in SCOPE_KEYS order (service, region, pop, host), attrs keys sorted by code
 * unit, `ts` as RFC 3339 UTC with milliseconds always present, so equal events are equal bytes
 * and the file's hash is a function of its content alone.
 */
import { compareStrings } from "../compare.js";
import { SCOPE_KEYS, type NormalizedEvent } from "../event.js";
import { formatTimestamp } from "../time.js";

/** `2016-08-11T16:00:00.000Z`: fixed width, so lines of equal time compare equal as text. */
export function formatTimestampMs(ms: number): string {
  const second = Math.floor(ms / 1000);
  // Events come in bursts within one second: format the date and time once per second.
  if (second !== lastSecond) {
    lastSecond = second;
    lastPrefix = formatTimestamp(second * 1000).slice(0, -1);
  }
  const milli = ms - second * 1000;
  return `${lastPrefix}.${milli < 10 ? "00" : milli < 100 ? "0" : ""}${milli}Z`;
}

let lastSecond = Number.NaN;
let lastPrefix = "";

function isSorted(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (keys[i - 1]! >= keys[i]!) return false;
  return true;
}

/** True for keys a JS object would enumerate before others (array indices): they need the slow path. */
function isIndexLike(key: string): boolean {
  const c = key.charCodeAt(0);
  return c >= 48 && c <= 57;
}

/**
 * Serializes an event as one NDJSON line (without the newline). The object is built in key order
 * and handed to JSON.stringify once: that yields one flat string, where concatenating pieces
 * would leave a rope of small strings per event in the sort buffer (and much more memory).
 */
export function serializeEvent(e: NormalizedEvent): string {
  const scope: Record<string, string> = {};
  for (const k of SCOPE_KEYS) {
    const v = e.scope[k];
    if (v !== undefined) scope[k] = v;
  }
  const out: Record<string, unknown> = { ts: formatTimestampMs(e.ts), signal: e.signal, name: e.name, scope };
  if (e.source !== undefined) out.source = e.source;
  if (e.value !== undefined) out.value = e.value;
  if (e.severity !== undefined) out.severity = e.severity;
  // Label and annotation names are never index-like (Prometheus names start with a letter or _).
  if (e.labels !== undefined) out.labels = sortedRecord(e.labels);
  if (e.annotations !== undefined) out.annotations = sortedRecord(e.annotations);
  if (e.starts_at !== undefined) out.starts_at = formatTimestampMs(e.starts_at);
  if (e.ends_at !== undefined) out.ends_at = formatTimestampMs(e.ends_at);
  if (e.attrs === undefined) return JSON.stringify(out);
  const keys = Object.keys(e.attrs);
  if (keys.length === 0) return JSON.stringify(out);
  if (!keys.some(isIndexLike)) {
    if (isSorted(keys)) out.attrs = e.attrs;
    else {
      const attrs: Record<string, unknown> = {};
      for (const k of keys.sort(compareStrings)) attrs[k] = e.attrs[k];
      out.attrs = attrs;
    }
    return JSON.stringify(out);
  }
  keys.sort(compareStrings);
  // Keys like "10" would be enumerated first by JSON.stringify; write attrs by hand in code-unit order.
  const head = JSON.stringify(out);
  let attrs = "";
  for (const k of keys) attrs += `${attrs === "" ? "" : ","}${JSON.stringify(k)}:${JSON.stringify(e.attrs[k])}`;
  return `${head.slice(0, -1)},"attrs":{${attrs}}}`;
}

function sortedRecord(r: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(r).sort(compareStrings)) out[k] = r[k]!;
  return out;
}
