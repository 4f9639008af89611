/**
 * Checks and rebuilds chunks of the verified window cache (layout: window-cache-layout.ts).
 *
 * Every event handed out is one `normalizeEvent` would have produced from a line within the
 * reader's line limit, inside the window and in order, whatever the bytes say: the checksums
 * guard against corruption, these checks against an entry written by something else. What a
 * check needs to know about a dictionary string or object is worked out once per entry.
 */
import { FORBIDDEN_KEYS, MAX_EPOCH_MS, SCOPE_KEYS, SEVERITIES, SIGNALS, type NormalizedEvent } from "../core/event.js";
import {
  CorruptEntry,
  EVENT_KEYS,
  HEADER_WORDS,
  K_ANNOTATIONS,
  K_ATTRS,
  K_LABELS,
  K_NAME,
  K_SCOPE,
  K_SEVERITY,
  K_SIGNAL,
  K_SOURCE,
  K_STARTS_AT,
  K_TS,
  K_VALUE,
  REQUIRED_KEYS,
  TAG_NUMBER,
  TAG_STRING,
  TAG_TRUE,
  type EventKey,
} from "./window-cache-layout.js";

// What a dictionary string may be used as (every string has S_STRING).
const S_SIGNAL = 1;
const S_SEVERITY = 2;
const S_NONEMPTY = 4;
const S_KEY = 8;
const S_SCOPE_KEY = 16;
const S_STRING = 32;
// What a dictionary object may be used as (every object has O_OBJECT, which is all attrs need: its keys were checked).
const O_SCOPE = 1;
const O_LABELS = 2;
const O_OBJECT = 4;

// What an event's token indexes, by key.
const SLOT_STRING = 0;
const SLOT_OBJECT = 1;
const SLOT_NUMBER = 2;
const SLOT_EPOCH_MS = 3;
/** Per key code: the slot kind and the flags its entry needs. ts (code 0) has its own column. */
const SLOTS: readonly (readonly [number, number])[] = [
  [-1, 0],
  [SLOT_STRING, S_STRING | S_SIGNAL],
  [SLOT_STRING, S_STRING | S_NONEMPTY],
  [SLOT_OBJECT, O_OBJECT | O_SCOPE],
  [SLOT_STRING, S_STRING],
  [SLOT_NUMBER, 0],
  [SLOT_STRING, S_STRING | S_SEVERITY],
  [SLOT_OBJECT, O_OBJECT],
  [SLOT_OBJECT, O_OBJECT | O_LABELS],
  [SLOT_OBJECT, O_OBJECT | O_LABELS],
  [SLOT_EPOCH_MS, 0],
  [SLOT_EPOCH_MS, 0],
];

const SIGNAL_SET: ReadonlySet<string> = new Set(SIGNALS);
const SEVERITY_SET: ReadonlySet<string> = new Set(SEVERITIES);
const SCOPE_KEY_SET: ReadonlySet<string> = new Set(SCOPE_KEYS);

/** What every event of a chunk must satisfy besides the event rules: the window's bounds and order. */
export interface ChunkBounds {
  /** Earliest and latest ts allowed (the window's start and end). */
  readonly startMs: number;
  readonly endMs: number;
  /** The ts of the event before the chunk's first (-Infinity for the first chunk). */
  readonly lastTs: number;
  /** No string of a valid event is longer than the longest line the reader accepts. */
  readonly maxLineBytes: number;
}

type Template = Record<string, unknown>;
type KeyShape = { readonly keys: readonly string[]; readonly scope: boolean };
/**
 * An event shape: its key codes in order, and how many of them are the common prefix ts, signal,
 * name, scope (4) and source (5), which an object literal builds (0 when the shape starts otherwise).
 */
type EventShape = {
  readonly codes: readonly number[];
  readonly prefix: 0 | 4 | 5;
  /** Per key but ts, in order: what its token indexes, and the flags the entry must have. */
  readonly kinds: readonly number[];
  readonly needs: readonly number[];
};
type MutableEvent = { -readonly [K in EventKey]?: unknown };

/** A chunk whose every byte checked: {@link forEach} builds its events. */
export class DecodedChunk {
  /** The ts of the chunk's last event. */
  readonly lastTs: number;
  /** The chunk's size in bytes: what its events' strings and shared objects were read from. */
  readonly byteLength: number;
  private readonly strings: string[];
  private readonly objects: Readonly<Record<string, unknown>>[];
  private readonly shapes: EventShape[];
  private readonly tokens: Uint32Array;
  private readonly ts: Float64Array;
  private readonly numbers: Float64Array;

  /** Checks `bytes` completely; throws {@link CorruptEntry} on anything an events file could not have produced. */
  constructor(
    bytes: Uint8Array,
    bounds: ChunkBounds,
    /** Events in the chunk. */
    readonly events: number,
  ) {
    if (bytes.byteOffset % 8 !== 0 || bytes.length < HEADER_WORDS * 4) throw new CorruptEntry();
    const head = new Uint32Array(bytes.buffer, bytes.byteOffset, HEADER_WORDS);
    const count = head[0]!,
      stringCount = head[1]!,
      encoding = head[2]!,
      blobBytes = head[3]!,
      keyShapeCount = head[4]!,
      keyShapeWords = head[5]!,
      objectCount = head[6]!,
      objectWords = head[7]!,
      shapeCount = head[8]!,
      shapeWords = head[9]!,
      tokenCount = head[10]!,
      numberCount = head[11]!;
    const words = HEADER_WORDS + stringCount + keyShapeWords + objectWords + shapeWords + tokenCount;
    const tsAt = Math.ceil((words * 4) / 8) * 8;
    const numbersAt = tsAt + count * 8;
    const blobAt = numbersAt + numberCount * 8;
    if (count !== events || blobAt + blobBytes !== bytes.length || encoding > 1) throw new CorruptEntry();
    // The encoder writes no dictionary entry that no event uses: more entries than the events could
    // use would only make a forged chunk allocate (an object per word of a 128 MiB chunk).
    if (shapeCount > count || objectCount > 4 * count || keyShapeCount > objectCount || numberCount > 3 * count + objectWords) throw new CorruptEntry();
    if (stringCount > 4 * count + keyShapeWords + objectWords) throw new CorruptEntry();
    this.byteLength = bytes.length;
    const u32 = new Uint32Array(bytes.buffer, bytes.byteOffset, words);
    this.ts = new Float64Array(bytes.buffer, bytes.byteOffset + tsAt, count);
    this.numbers = new Float64Array(bytes.buffer, bytes.byteOffset + numbersAt, numberCount);
    this.lastTs = checkTimes(this.ts, bounds);
    for (let i = 0; i < numberCount; i++) if (!Number.isFinite(this.numbers[i]!)) throw new CorruptEntry();

    const text = Buffer.from(bytes.buffer, bytes.byteOffset + blobAt, blobBytes).toString(encoding === 0 ? "utf8" : "utf16le");
    const strings = (this.strings = new Array<string>(stringCount));
    const flags = new Uint8Array(stringCount);
    let at = HEADER_WORDS,
      pos = 0;
    for (let i = 0; i < stringCount; i++) {
      const len = u32[at++]!;
      if (len > bounds.maxLineBytes) throw new CorruptEntry();
      const s = (strings[i] = text.slice(pos, pos + len));
      pos += len;
      flags[i] = S_STRING | (SIGNAL_SET.has(s) ? S_SIGNAL : 0) | (SEVERITY_SET.has(s) ? S_SEVERITY : 0) | (len > 0 ? S_NONEMPTY : 0);
      if (len > 0 && !FORBIDDEN_KEYS.has(s)) flags[i]! |= S_KEY | (SCOPE_KEY_SET.has(s) ? S_SCOPE_KEY : 0);
    }
    if (pos !== text.length) throw new CorruptEntry();

    const keyShapes = this.readKeyShapes(u32, at, keyShapeCount, keyShapeWords, flags);
    at += keyShapeWords;
    const objectFlags = new Uint8Array(objectCount);
    this.objects = this.readObjects(u32, at, objectCount, objectWords, keyShapes, objectFlags);
    at += objectWords;
    this.shapes = readEventShapes(u32, at, shapeCount, shapeWords);
    at += shapeWords;
    this.tokens = u32.subarray(at, at + tokenCount);
    const refs = this.checkEvents(flags, objectFlags);
    // An object held by two events (or twice by one) is frozen: had a consumer changed it, the other would see the change,
    // as it never could with objects parsed from the file. Freezing every object would cost more than all the rest of decoding.
    for (let i = 0; i < objectCount; i++) if (refs[i]! > 1) Object.freeze(this.objects[i]);
  }

  /** The keys of each object shape, checked: allowed, unique, and in the order an object enumerates them, so that stores in this order build an object that lists them so. */
  private readKeyShapes(u32: Uint32Array, from: number, count: number, words: number, flags: Uint8Array): KeyShape[] {
    const out: KeyShape[] = [];
    const end = from + words;
    let at = from;
    for (let i = 0; i < count; i++) {
      const n = u32[at++]!;
      if (n > end - at) throw new CorruptEntry();
      const probe: Template = {};
      let scope = true;
      for (let j = 0; j < n; j++) {
        const k = u32[at++]!;
        if (!(flags[k]! & S_KEY)) throw new CorruptEntry();
        if (!(flags[k]! & S_SCOPE_KEY)) scope = false;
        probe[this.strings[k]!] = null;
      }
      // A repeated key, or an order no object enumerates in (integer-like keys come first), is not what the encoder wrote.
      // The probe's keys are also the internalized strings the stores below look up fastest.
      const keys = Object.keys(probe);
      if (keys.length !== n) throw new CorruptEntry();
      for (let j = 0; j < n; j++) if (keys[j] !== this.strings[u32[at - n + j]!]) throw new CorruptEntry();
      out.push({ keys, scope });
    }
    if (at !== end) throw new CorruptEntry();
    return out;
  }

  /** Checks and builds every object of the dictionary once; events share them. */
  private readObjects(u32: Uint32Array, from: number, count: number, words: number, shapes: KeyShape[], flags: Uint8Array) {
    const out = new Array<Readonly<Record<string, unknown>>>(count);
    const end = from + words;
    const strings = this.strings;
    const numbers = this.numbers;
    let at = from;
    for (let i = 0; i < count; i++) {
      const shape = shapes[u32[at++]!];
      if (shape === undefined) throw new CorruptEntry();
      const keys = shape.keys;
      if (keys.length > end - at) throw new CorruptEntry();
      const o: Template = {};
      let onlyStrings = true;
      for (let j = 0; j < keys.length; j++) {
        const w = u32[at++]!;
        const index = w >>> 2;
        let v: string | number | boolean;
        switch (w & 3) {
          case TAG_STRING:
            if (index >= strings.length) throw new CorruptEntry();
            v = strings[index]!;
            break;
          case TAG_NUMBER:
            if (index >= numbers.length) throw new CorruptEntry();
            v = numbers[index]!;
            onlyStrings = false;
            break;
          default:
            if (index !== 0) throw new CorruptEntry();
            v = w === TAG_TRUE;
            onlyStrings = false;
        }
        o[keys[j]!] = v;
      }
      flags[i] = O_OBJECT | (onlyStrings ? O_LABELS : 0) | (onlyStrings && shape.scope ? O_SCOPE : 0);
      out[i] = o;
    }
    if (at !== end) throw new CorruptEntry();
    return out;
  }

  /** Walks every event's tokens: a known shape, and each index in range and fit for its key. Returns how often each object is used (1, or 2 for more). */
  private checkEvents(flags: Uint8Array, objectFlags: Uint8Array): Uint8Array {
    const { tokens, shapes, numbers } = this;
    const refs = new Uint8Array(objectFlags.length);
    let at = 0;
    for (let i = 0; i < this.events; i++) {
      const shape = shapes[tokens[at++]!];
      if (shape === undefined) throw new CorruptEntry();
      const { kinds, needs } = shape;
      for (let j = 0; j < kinds.length; j++) {
        const t = tokens[at++]!;
        const need = needs[j]!;
        // An index past a dictionary reads undefined, whose flags never hold `need`.
        switch (kinds[j]) {
          case SLOT_STRING:
            if ((flags[t]! & need) !== need) throw new CorruptEntry();
            break;
          case SLOT_OBJECT:
            if ((objectFlags[t]! & need) !== need) throw new CorruptEntry();
            if (refs[t]! < 2) refs[t]!++;
            break;
          case SLOT_NUMBER:
            if (!(t < numbers.length)) throw new CorruptEntry();
            break;
          default:
            if (!(t < numbers.length) || !isEpochMs(numbers[t]!)) throw new CorruptEntry();
        }
      }
    }
    if (at !== tokens.length) throw new CorruptEntry();
    return refs;
  }

  /** Builds each event in order and hands it to `fn`. */
  forEach(fn: (event: NormalizedEvent) => void): void {
    const { tokens, shapes, strings, objects, numbers, ts } = this;
    let at = 0;
    for (let i = 0; i < this.events; i++) {
      const shape = shapes[tokens[at++]!]!;
      // Most events start with the same keys in the same order (the capture writes them so): a
      // literal builds those fastest; the keys that follow are added in their order.
      let e: MutableEvent;
      const prefix = shape.prefix;
      if (prefix === 5) {
        e = { ts: ts[i], signal: strings[tokens[at]!], name: strings[tokens[at + 1]!], scope: objects[tokens[at + 2]!], source: strings[tokens[at + 3]!] };
        at += 4;
      } else if (prefix === 4) {
        e = { ts: ts[i], signal: strings[tokens[at]!], name: strings[tokens[at + 1]!], scope: objects[tokens[at + 2]!] };
        at += 3;
      } else e = {};
      const codes = shape.codes;
      for (let j = prefix; j < codes.length; j++) {
        switch (codes[j]) {
          case K_TS:
            e.ts = ts[i];
            break;
          case K_SIGNAL:
            e.signal = strings[tokens[at++]!];
            break;
          case K_NAME:
            e.name = strings[tokens[at++]!];
            break;
          case K_SCOPE:
            e.scope = objects[tokens[at++]!];
            break;
          case K_SOURCE:
            e.source = strings[tokens[at++]!];
            break;
          case K_VALUE:
            e.value = numbers[tokens[at++]!];
            break;
          case K_SEVERITY:
            e.severity = strings[tokens[at++]!];
            break;
          case K_ATTRS:
            e.attrs = objects[tokens[at++]!];
            break;
          case K_LABELS:
            e.labels = objects[tokens[at++]!];
            break;
          case K_ANNOTATIONS:
            e.annotations = objects[tokens[at++]!];
            break;
          case K_STARTS_AT:
            e.starts_at = numbers[tokens[at++]!];
            break;
          default:
            e.ends_at = numbers[tokens[at++]!];
        }
      }
      fn(e as NormalizedEvent);
    }
  }
}

function isEpochMs(v: number): boolean {
  return Number.isInteger(v) && v >= 0 && v <= MAX_EPOCH_MS;
}

/** Checks every ts: whole epoch milliseconds within the window, in order; returns the last. */
function checkTimes(ts: Float64Array, bounds: ChunkBounds): number {
  const lo = Math.max(bounds.startMs, 0);
  const hi = Math.min(bounds.endMs, MAX_EPOCH_MS);
  let last = bounds.lastTs;
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i]!;
    // Written so that NaN fails too.
    if (!(t >= lo && t <= hi && t >= last) || !Number.isInteger(t)) throw new CorruptEntry();
    last = t;
  }
  return last;
}

/** The event shapes: known keys, each once, the required ones present. */
function readEventShapes(u32: Uint32Array, from: number, count: number, words: number): EventShape[] {
  const out: EventShape[] = [];
  const end = from + words;
  let at = from;
  for (let i = 0; i < count; i++) {
    const n = u32[at++]!;
    if (n > EVENT_KEYS.length || n > end - at) throw new CorruptEntry();
    const codes: number[] = [];
    let seen = 0;
    for (let j = 0; j < n; j++) {
      const code = u32[at++]!;
      if (code >= EVENT_KEYS.length || seen & (1 << code)) throw new CorruptEntry();
      seen |= 1 << code;
      codes.push(code);
    }
    if ((seen & REQUIRED_KEYS) !== REQUIRED_KEYS) throw new CorruptEntry();
    const startsAsCaptured = codes[0] === K_TS && codes[1] === K_SIGNAL && codes[2] === K_NAME && codes[3] === K_SCOPE;
    const slots = codes.filter((c) => c !== K_TS).map((c) => SLOTS[c]!);
    out.push({ codes, prefix: !startsAsCaptured ? 0 : codes[4] === K_SOURCE ? 5 : 4, kinds: slots.map(([kind]) => kind), needs: slots.map(([, need]) => need) });
  }
  if (at !== end) throw new CorruptEntry();
  return out;
}
