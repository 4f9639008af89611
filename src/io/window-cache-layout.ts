/**
 * The layout of one chunk of a verified window cache entry (window-cache.ts): how up to
 * {@link CHUNK_EVENTS} normalized events are stored. window-cache-encode.ts writes chunks,
 * window-cache-decode.ts checks and rebuilds them.
 *
 * A chunk is column-oriented so that decoding does the least work per event:
 *
 * - every string (value or key) is stored once, in one blob decoded with one call;
 * - the objects inside events (scope, attrs, labels, annotations) are stored once per distinct
 *   content, checked once and built once, and shared by the events that hold them;
 * - every number but ts is stored once per distinct value (-0 apart from 0);
 * - an event is its shape (its top-level keys in order) and one index per key; `ts` has a column
 *   of its own, so window bounds and order are checked in one loop over a `Float64Array`.
 *
 * Layout (little-endian, u32 unless said):
 *
 *   header       events strings encoding blobBytes keyShapes keyShapeWords objects objectWords
 *                eventShapes eventShapeWords tokens numbers
 *   stringLengths[strings]                         UTF-16 code units each
 *   keyShapes    (n, key string index × n)*        the keys of an object, in order
 *   objects      (keyShape, value × n)*            value = index << 2 | tag (string, number, false, true)
 *   eventShapes  (n, key code × n)*                codes index {@link EVENT_KEYS}
 *   tokens       (eventShape, index per key but ts)*  string, number or object index by key
 *   pad to 8, ts: f64[events], numbers: f64[numbers], string blob (UTF-8, or UTF-16LE when a
 *   string is not well-formed)
 */

/** Events per chunk. */
export const CHUNK_EVENTS = 8192;
/** The encoder starts a new chunk once this many bytes are pending, whatever the event count. */
export const SOFT_CHUNK_BYTES = 64 * 1024 * 1024;
/** u32 words before the string lengths. */
export const HEADER_WORDS = 12;

/** An event's keys, by the code a chunk stores for each. */
import { EVENT_KEY_LIST, K_ANNOTATIONS, K_ATTRS, K_ENDS_AT, K_LABELS, K_NAME, K_SCOPE, K_SEVERITY, K_SIGNAL, K_SOURCE, K_STARTS_AT, K_TS, K_VALUE } from "../core/event.js";

export { EVENT_KEY_LIST as EVENT_KEYS, K_ANNOTATIONS, K_ATTRS, K_ENDS_AT, K_LABELS, K_NAME, K_SCOPE, K_SEVERITY, K_SIGNAL, K_SOURCE, K_STARTS_AT, K_TS, K_VALUE };
export type EventKey = (typeof EVENT_KEY_LIST)[number];
export const KEY_CODE: ReadonlyMap<string, number> = new Map(EVENT_KEY_LIST.map((k, i) => [k, i]));
export const REQUIRED_KEYS = (1 << K_TS) | (1 << K_SIGNAL) | (1 << K_NAME) | (1 << K_SCOPE);
export const STRING_KEYS = (1 << K_SIGNAL) | (1 << K_NAME) | (1 << K_SOURCE) | (1 << K_SEVERITY);
export const NUMBER_KEYS = (1 << K_VALUE) | (1 << K_STARTS_AT) | (1 << K_ENDS_AT);
export const OBJECT_KEYS = (1 << K_SCOPE) | (1 << K_ATTRS) | (1 << K_LABELS) | (1 << K_ANNOTATIONS);

export const TAG_STRING = 0;
export const TAG_NUMBER = 1;
export const TAG_FALSE = 2;
export const TAG_TRUE = 3;

/** Thrown for a chunk that fails any check: the caller ignores the entry. */
export class CorruptEntry extends Error {}
