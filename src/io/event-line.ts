/**
 * The fast path of reading an events line: one pass over the line's bytes that parses the JSON,
 * checks the event rules, refuses duplicate keys and converts `ts`, building the same object
 * `normalizeEvent(JSON.parse(line))` builds — same keys, same order, same values — without
 * decoding the line to a string first or walking it again for duplicate keys.
 *
 * It is deliberately narrower than JSON: anything it does not handle in one step (an escape in a
 * string, `null`, a nested array, a number it cannot convert exactly, a key it does not know, a
 * rule that fails) makes it return null, and the caller reads that line the full way
 * (`JSON.parse`, {@link normalizeEvent}, the duplicate-key scan), which also gives every located
 * error. So this parser only ever accepts what the full path accepts, and a test compares the two
 * on valid, mutated and random lines.
 *
 * Strings repeat heavily in telemetry (signals, names, scopes, attribute keys and values), so
 * short ones are interned in a fixed-size table keyed by their bytes: a repeated value costs a
 * hash and a byte comparison, not a new string. The table never grows, so hostile input that
 * never repeats costs what it always did.
 */
import {
  EVENT_KEY_LIST as EVENT_KEYS,
  FORBIDDEN_KEYS,
  K_ATTRS,
  K_ENDS_AT,
  K_NAME,
  K_SCOPE,
  K_SEVERITY,
  K_SIGNAL,
  K_SOURCE,
  K_STARTS_AT,
  K_TS,
  K_VALUE,
  MAX_EPOCH_MS,
  SCOPE_KEYS,
  SEVERITIES,
  SIGNALS,
  type NormalizedEvent,
} from "../core/event.js";
import { parseTimestamp } from "../core/time.js";

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const NL = 0x0a;

const REQUIRED = (1 << K_TS) | (1 << K_SIGNAL) | (1 << K_NAME) | (1 << K_SCOPE);

/**
 * Key names as bytes, found by their length and second byte (unique within each set, checked
 * at load), then compared whole: matching a key costs one lookup and one comparison.
 */
class KeySet {
  private readonly slots = new Int8Array(64 * 256).fill(-1);
  private readonly bytes: Uint8Array[];
  constructor(names: readonly string[]) {
    this.bytes = names.map((n) => new TextEncoder().encode(n));
    this.bytes.forEach((k, code) => {
      const slot = (k.length << 8) | k[1]!;
      if (k.length < 2 || k.length >= 64 || this.slots[slot] !== -1) throw new Error(`key set: ${names[code]} is not told apart by its length and second byte`);
      this.slots[slot] = code;
    });
  }
  /** The code of the key in `b[a, e)`, or -1. */
  match(b: Uint8Array, a: number, e: number): number {
    const len = e - a;
    if (len < 2 || len >= 64) return -1;
    const code = this.slots[(len << 8) | b[a + 1]!]!;
    if (code < 0) return -1;
    const k = this.bytes[code]!;
    for (let j = 0; j < len; j++) if (k[j] !== b[a + j]) return -1;
    return code;
  }
}

const TOP_KEYS = new KeySet(EVENT_KEYS);
const SCOPE = new KeySet(SCOPE_KEYS);
const SIGNAL = new KeySet(SIGNALS);
const SEVERITY = new KeySet(SEVERITIES);

/** Bit n set when a reserved key is n characters long: most keys skip the set lookup. */
const FORBIDDEN_LENGTHS = [...FORBIDDEN_KEYS].reduce((m, k) => (k.length < 32 ? m | (1 << k.length) : m), 0);

/** 10^k for k ≤ 22: exact doubles, so an integer below 2^53 divided by one is correctly rounded. */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/** Interned strings: slots, and the longest string (in bytes) that is interned. */
const INTERN_SLOTS = 4096;
const INTERN_MAX_BYTES = 48;
/** Shared scope slots, and the longest scope text (in bytes) that is shared. */
const SCOPE_SLOTS = 1024;
const SCOPE_MAX_BYTES = 256;
/** More keys than this in one attrs/labels/annotations object: the full path checks it (linearly). */
const MAX_FAST_KEYS = 64;

type Mutable = Record<string, unknown>;

/** Reads events lines; one per reader (it keeps the intern table and the last second's parse). */
export class EventLineParser {
  private b: Buffer = Buffer.alloc(0);
  private p = 0;
  /** The last string scanned: [sa, se), its hash, and whether it is all ASCII. */
  private sa = 0;
  private se = 0;
  private sh = 0;
  private ascii = true;
  private readonly internHash = new Int32Array(INTERN_SLOTS);
  private readonly internLength = new Int32Array(INTERN_SLOTS).fill(-1);
  private readonly internBytes = new Uint8Array(INTERN_SLOTS * INTERN_MAX_BYTES);
  private readonly internText: string[] = new Array<string>(INTERN_SLOTS).fill("");
  /** Shared scopes: the bytes of each (from "{" to "}"), and the frozen object read from them. */
  private readonly scopeLength = new Int32Array(SCOPE_SLOTS).fill(-1);
  private readonly scopeBytes = new Uint8Array(SCOPE_SLOTS * SCOPE_MAX_BYTES);
  private readonly scopeObject: (Readonly<Mutable> | undefined)[] = new Array<Readonly<Mutable> | undefined>(SCOPE_SLOTS).fill(undefined);
  /** Keys of the object being read (attrs, labels, annotations), for the duplicate check. */
  private readonly keys: string[] = [];
  /** The first 19 bytes (`YYYY-MM-DDTHH:MM:SS`) of the last timestamp read in full, and its ms. */
  private readonly second = new Uint8Array(19);
  private secondMs = -1;

  /** After a successful {@link parse}: the offset of the line's end (its "\n", or the end of the bytes). */
  end = 0;

  /**
   * The event on the line that starts at `start` in `b` (the line ends at the next "\n" or at
   * the end of `b`), exactly as the full path would read it; null when the full path must read
   * the line (it may be valid, or not).
   */
  parse(b: Buffer, start: number): NormalizedEvent | null {
    this.b = b;
    this.p = start;
    this.ws();
    if (b[this.p] !== LBRACE) return null;
    this.p++;
    const e: Mutable = {};
    let seen = 0;
    this.ws();
    for (;;) {
      const code = this.key(TOP_KEYS, seen);
      if (code < 0) return null;
      seen |= 1 << code;
      const c = b[this.p];
      switch (code) {
        case K_TS:
        case K_STARTS_AT:
        case K_ENDS_AT: {
          const ms = this.time(c);
          if (ms < 0) return null;
          if (code === K_TS) e.ts = ms;
          else e[EVENT_KEYS[code]!] = ms;
          break;
        }
        case K_SIGNAL: {
          if (c !== QUOTE || !this.str()) return null;
          const v = SIGNAL.match(b, this.sa, this.se);
          if (v < 0) return null;
          e.signal = SIGNALS[v];
          break;
        }
        case K_NAME:
          if (c !== QUOTE || !this.str() || this.se === this.sa) return null;
          e.name = this.text();
          break;
        case K_SOURCE:
          if (c !== QUOTE || !this.str()) return null;
          e.source = this.text();
          break;
        case K_SEVERITY: {
          if (c !== QUOTE || !this.str()) return null;
          const v = SEVERITY.match(b, this.sa, this.se);
          if (v < 0) return null;
          e.severity = SEVERITIES[v];
          break;
        }
        case K_VALUE: {
          const v = this.num(c);
          if (v === undefined || !Number.isFinite(v)) return null;
          e.value = v;
          break;
        }
        case K_SCOPE: {
          if (c !== LBRACE) return null;
          const scope = this.sharedScope();
          if (scope === null) return null;
          e.scope = scope;
          break;
        }
        default: {
          // attrs, labels, annotations
          if (c !== LBRACE) return null;
          const o = this.map(code === K_ATTRS);
          if (o === null) return null;
          e[EVENT_KEYS[code]!] = o;
        }
      }
      this.ws();
      const d = b[this.p++];
      if (d === RBRACE) break;
      if (d !== COMMA) return null;
      this.ws();
    }
    this.ws();
    if (this.p < b.length && b[this.p] !== NL) return null;
    if ((seen & REQUIRED) !== REQUIRED) return null;
    this.end = this.p;
    return e as unknown as NormalizedEvent;
  }

  /**
   * The key at `p`, one of `keys` and none of `seen` (a bit per code), read up to the value after
   * its colon: its code, or -1 for anything else (the full path reads the line).
   */
  private key(keys: KeySet, seen: number): number {
    if (this.b[this.p] !== QUOTE || !this.str()) return -1;
    const code = keys.match(this.b, this.sa, this.se);
    if (code < 0 || (seen & (1 << code)) !== 0 || !this.colon()) return -1;
    return code;
  }

  /** Skips whitespace, a colon and whitespace; false when there is no colon. */
  private colon(): boolean {
    this.ws();
    if (this.b[this.p] !== COLON) return false;
    this.p++;
    this.ws();
    return true;
  }

  /** Skips JSON whitespace other than "\n", which ends the line. */
  private ws(): void {
    const b = this.b;
    let c = b[this.p];
    while (c === 0x20 || c === 0x09 || c === 0x0d) c = b[++this.p];
  }

  /**
   * Scans a string whose opening quote is at `p`: sets [sa, se), its hash and ASCII-ness and moves
   * past the closing quote. False on an escape, a control character or the end of the line.
   */
  private str(): boolean {
    const b = this.b;
    const n = b.length;
    let p = this.p + 1;
    const a = p;
    let high = 0;
    for (;;) {
      if (p >= n) return false;
      const c = b[p]!;
      if (c === QUOTE) break;
      if (c === BACKSLASH || c < 0x20) return false;
      high |= c;
      p++;
    }
    this.sa = a;
    this.se = p;
    // The intern table's hash: the length and the bytes at both ends (the comparison settles the rest).
    const len = p - a;
    this.sh = len === 0 ? 0 : (Math.imul(len, 0x9e3779b1) ^ (b[a]! << 16) ^ (b[p - 1]! << 8) ^ b[a + (len >> 1)]! ^ (len > 3 ? b[a + 1]! << 24 : 0)) | 0;
    this.ascii = high < 0x80;
    this.p = p + 1;
    return true;
  }

  /**
   * The last scanned string's value: interned when short. A key (`asKey`) is stored the way
   * property keys are (internalized), so setting it on an object needs no lookup of its own.
   */
  private text(asKey = false): string {
    const a = this.sa;
    const len = this.se - a;
    if (len > INTERN_MAX_BYTES) return this.decode(a, this.se);
    const h = this.sh;
    const slot = (h ^ (h >>> 11) ^ (len << 7)) & (INTERN_SLOTS - 1);
    const b = this.b;
    const stored = this.internBytes;
    const base = slot * INTERN_MAX_BYTES;
    if (this.internLength[slot] === len && this.internHash[slot] === h) {
      let j = 0;
      while (j < len && stored[base + j] === b[a + j]) j++;
      if (j === len) return this.internText[slot]!;
    }
    const decoded = this.decode(a, this.se);
    const s = asKey ? Object.keys({ [decoded]: 0 })[0]! : decoded;
    for (let j = 0; j < len; j++) stored[base + j] = b[a + j]!;
    this.internLength[slot] = len;
    this.internHash[slot] = h;
    this.internText[slot] = s;
    return s;
  }

  private decode(a: number, e: number): string {
    return this.b.toString(this.ascii ? "latin1" : "utf8", a, e);
  }

  /**
   * A JSON number at `p` (its first byte is `c`): converted exactly as JSON.parse converts it,
   * or undefined when the text is not a JSON number.
   */
  private num(c: number | undefined): number | undefined {
    const b = this.b;
    const start = this.p;
    let p = start;
    let negative = false;
    if (c === 0x2d) {
      negative = true;
      c = b[++p];
    }
    if (c === undefined || c < 0x30 || c > 0x39) return undefined;
    let m = 0;
    let digits = 0;
    let scale = 0;
    if (c === 0x30) {
      c = b[++p];
      if (c !== undefined && c >= 0x30 && c <= 0x39) return undefined;
    } else {
      while (c !== undefined && c >= 0x30 && c <= 0x39) {
        m = m * 10 + (c - 0x30);
        digits++;
        c = b[++p];
      }
    }
    if (c === 0x2e) {
      c = b[++p];
      if (c === undefined || c < 0x30 || c > 0x39) return undefined;
      while (c !== undefined && c >= 0x30 && c <= 0x39) {
        m = m * 10 + (c - 0x30);
        digits++;
        scale++;
        c = b[++p];
      }
    }
    let exact = digits <= 15 && scale <= 22;
    if (c === 0x65 || c === 0x45) {
      c = b[++p];
      if (c === 0x2b || c === 0x2d) c = b[++p];
      if (c === undefined || c < 0x30 || c > 0x39) return undefined;
      while (c !== undefined && c >= 0x30 && c <= 0x39) c = b[++p];
      exact = false;
    }
    this.p = p;
    // Below 2^53 with at most 22 decimals, one division is correctly rounded (Clinger's fast path);
    // anything else is converted from its text, which is what JSON.parse does.
    if (!exact) return Number(b.toString("latin1", start, p));
    const v = scale === 0 ? m : m / POW10[scale]!;
    return negative ? -v : v;
  }

  /** A timestamp value (RFC 3339 string or epoch ms) at `p` as ms, or -1 for the full path. */
  private time(c: number | undefined): number {
    if (c !== QUOTE) {
      const v = this.num(c);
      return v !== undefined && Number.isInteger(v) && v >= 0 && v <= MAX_EPOCH_MS ? v : -1;
    }
    const b = this.b;
    // Consecutive events mostly share their second: when the 19 bytes after the quote are the
    // second read last, only `.fff…Z"` is left to read (digits, a Z, the quote: nothing to unescape).
    if (this.secondMs >= 0) {
      const from = this.p + 1;
      const s = this.second;
      let j = 0;
      while (j < 19 && s[j] === b[from + j]) j++;
      if (j === 19) {
        let i = from + 19;
        let ms = 0;
        let digits = 0;
        if (b[i] === 0x2e) {
          let scale = 100;
          for (let d = b[++i]! - 0x30; d >= 0 && d <= 9; d = b[++i]! - 0x30) {
            if (scale >= 1) ms += d * scale;
            scale /= 10;
            digits++;
          }
        }
        const z = b[i];
        if ((z === 0x5a || z === 0x7a) && b[i + 1] === QUOTE && (b[from + 19] !== 0x2e || digits > 0) && i + 1 - from <= 40) {
          this.p = i + 2;
          return this.secondMs + ms;
        }
      }
    }
    if (!this.str() || !this.ascii) return -1;
    const a = this.sa;
    const len = this.se - a;
    if (len < 20 || len > 40) return -1;
    const tail = b[a + 19];
    const zulu = tail === 0x2e || tail === 0x5a || tail === 0x7a;
    // Consecutive events mostly share their second: reuse its parse when the 19 bytes match.
    if (zulu && this.secondMs >= 0) {
      const s = this.second;
      let j = 0;
      while (j < 19 && s[j] === b[a + j]) j++;
      if (j === 19) {
        const frac = fractionZ(b, a + 19, this.se);
        if (frac >= 0) return this.secondMs + frac;
      }
    }
    const ms = parseTimestamp(b.toString("latin1", a, this.se));
    if (ms === undefined) return -1;
    if (zulu) {
      const frac = fractionZ(b, a + 19, this.se);
      if (frac >= 0) {
        for (let j = 0; j < 19; j++) this.second[j] = b[a + j]!;
        this.secondMs = ms - frac;
      }
    }
    return ms;
  }

  /**
   * The scope at `p` (on its "{"), shared: a window's events come from a handful of places, so
   * a scope whose bytes (up to the first "}") equal one read before is that same object, frozen.
   * The bytes up to the first "}" are a whole scope only if the stored scope ended there too;
   * then the text is that scope, byte for byte.
   */
  private sharedScope(): Readonly<Mutable> | null {
    const b = this.b;
    const a = this.p;
    const n = Math.min(b.length, a + SCOPE_MAX_BYTES);
    let close = a + 1;
    let h = 0;
    for (; close < n; close++) {
      const c = b[close]!;
      if (c === RBRACE) break;
      h = (Math.imul(h, 31) + c) | 0;
    }
    const len = close - a + 1;
    if (close >= n) return this.scope();
    const slot = (h ^ (h >>> 15)) & (SCOPE_SLOTS - 1);
    const stored = this.scopeBytes;
    const base = slot * SCOPE_MAX_BYTES;
    if (this.scopeLength[slot] === len) {
      let j = 0;
      while (j < len && stored[base + j] === b[a + j]) j++;
      if (j === len) {
        this.p = close + 1;
        return this.scopeObject[slot]!;
      }
    }
    const scope = this.scope();
    if (scope === null || this.p !== close + 1) return scope;
    for (let j = 0; j < len; j++) stored[base + j] = b[a + j]!;
    this.scopeLength[slot] = len;
    this.scopeObject[slot] = Object.freeze(scope);
    return scope;
  }

  /** The scope object at `p` (on its "{"): keys from SCOPE_KEYS, string values, no repeats. */
  private scope(): Mutable | null {
    const b = this.b;
    this.p++;
    const o: Mutable = {};
    this.ws();
    if (b[this.p] === RBRACE) {
      this.p++;
      return o;
    }
    let seen = 0;
    for (;;) {
      const code = this.key(SCOPE, seen);
      if (code < 0) return null;
      seen |= 1 << code;
      if (b[this.p] !== QUOTE || !this.str()) return null;
      // Named stores: scopes mostly list their keys in one order, so these stay monomorphic.
      const v = this.text();
      if (code === 0) o.service = v;
      else if (code === 1) o.region = v;
      else if (code === 2) o.pop = v;
      else o.host = v;
      this.ws();
      const d = b[this.p++];
      if (d === RBRACE) return o;
      if (d !== COMMA) return null;
      this.ws();
    }
  }

  /**
   * An attrs (strings, finite numbers, booleans) or labels/annotations (strings) object at `p`:
   * keys non-empty, not reserved, not repeated.
   */
  private map(scalars: boolean): Mutable | null {
    const b = this.b;
    this.p++;
    const o: Mutable = {};
    this.ws();
    if (b[this.p] === RBRACE) {
      this.p++;
      return o;
    }
    const keys = this.keys;
    let n = 0;
    for (;;) {
      // A long key is left to the full path, whose duplicate check hashes keys: comparing long
      // keys pairwise here could cost the square of a hostile line.
      if (b[this.p] !== QUOTE || !this.str() || this.se === this.sa || this.se - this.sa > INTERN_MAX_BYTES || n === MAX_FAST_KEYS) return null;
      const key = this.text(true);
      if ((key.length >= 32 || (FORBIDDEN_LENGTHS >>> key.length) & 1) && FORBIDDEN_KEYS.has(key)) return null;
      for (let i = 0; i < n; i++) if (keys[i] === key) return null;
      keys[n++] = key;
      if (!this.colon()) return null;
      const c = b[this.p];
      let v: string | number | boolean;
      if (c === QUOTE) {
        if (!this.str()) return null;
        v = this.text();
      } else if (!scalars) {
        return null;
      } else if (c === 0x74) {
        if (b[this.p + 1] !== 0x72 || b[this.p + 2] !== 0x75 || b[this.p + 3] !== 0x65) return null;
        this.p += 4;
        v = true;
      } else if (c === 0x66) {
        if (b[this.p + 1] !== 0x61 || b[this.p + 2] !== 0x6c || b[this.p + 3] !== 0x73 || b[this.p + 4] !== 0x65) return null;
        this.p += 5;
        v = false;
      } else {
        const x = this.num(c);
        if (x === undefined || !Number.isFinite(x)) return null;
        v = x;
      }
      o[key] = v;
      this.ws();
      const d = b[this.p++];
      if (d === RBRACE) return o;
      if (d !== COMMA) return null;
      this.ws();
    }
  }
}

/** Milliseconds of a `.fff…Z` or `Z` tail in `b[i, e)` (fractions past ms truncated), or -1. */
function fractionZ(b: Uint8Array, i: number, e: number): number {
  let ms = 0;
  if (b[i] === 0x2e) {
    i++;
    const start = i;
    let scale = 100;
    while (i < e) {
      const c = b[i]! - 0x30;
      if (c < 0 || c > 9) break;
      if (scale >= 1) ms += c * scale;
      scale /= 10;
      i++;
    }
    if (i === start) return -1;
  }
  const z = b[i];
  return (z === 0x5a || z === 0x7a) && i + 1 === e ? ms : -1;
}

let shared: EventLineParser | undefined;

/**
 * The thread's parser. Its tables are caches keyed by content, and a parse is one synchronous
 * call, so every read in the thread can share one: its tables stay warm from window to window
 * and are allocated once (half a megabyte of typed arrays), not per window.
 */
export function sharedEventLineParser(): EventLineParser {
  return (shared ??= new EventLineParser());
}
