/**
 * One event, one line: the byte form capture writes. Keys in a fixed order (ts, signal, name,
 * scope, source, value, severity, attrs), scope keys in DESIGN order, attrs keys sorted by code
 * unit, `ts` as RFC 3339 UTC with milliseconds always present, so equal events are equal bytes
 * and the file's hash is a function of its content alone.
 */
import { compareStrings } from "../compare.js";
import { SCOPE_KEYS, type NormalizedEvent } from "../event.js";
import { formatTimestamp } from "../time.js";

/** `2016-08-11T16:00:00.000Z`: fixed width, so lines of equal time compare equal as text. */
export function formatTimestampMs(ms: number): string {
  const s = formatTimestamp(ms);
  return ms % 1000 === 0 ? `${s.slice(0, -1)}.000Z` : s;
}

/** Serializes an event as one NDJSON line (without the newline). */
export function serializeEvent(e: NormalizedEvent): string {
  let out = `{"ts":"${formatTimestampMs(e.ts)}","signal":"${e.signal}","name":${JSON.stringify(e.name)},"scope":{`;
  let first = true;
  for (const k of SCOPE_KEYS) {
    const v = e.scope[k];
    if (v === undefined) continue;
    out += `${first ? "" : ","}"${k}":${JSON.stringify(v)}`;
    first = false;
  }
  out += "}";
  if (e.source !== undefined) out += `,"source":${JSON.stringify(e.source)}`;
  if (e.value !== undefined) out += `,"value":${JSON.stringify(e.value)}`;
  if (e.severity !== undefined) out += `,"severity":"${e.severity}"`;
  if (e.attrs !== undefined) {
    const keys = Object.keys(e.attrs).sort(compareStrings);
    if (keys.length > 0) {
      out += `,"attrs":{`;
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!;
        out += `${i === 0 ? "" : ","}${JSON.stringify(k)}:${JSON.stringify(e.attrs[k])}`;
      }
      out += "}";
    }
  }
  return out + "}";
}
