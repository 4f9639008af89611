/**
 * Unambiguous keys for tuples of event values (issue 10): joining values with a separator lets
 * `A/B` + `C` equal `A` + `B/C`, a missing value equal the string `-`, and `1` equal `"1"`.
 * These encodings keep every part's boundaries and types.
 */
import type { AttrValue } from "./event.js";

/**
 * An exact lookup key for a tuple whose parts are all present (JSON of the array, so `1`,
 * `"1"` and `true` differ), or undefined when a part is missing: a missing value equals nothing.
 */
export function presentTupleKey(values: readonly (AttrValue | undefined)[]): string | undefined {
  for (const v of values) if (v === undefined) return undefined;
  return JSON.stringify(values);
}

/** Characters that end a bare fingerprint part, or make it invisible or hard to read. */
const UNSAFE_BARE = /[/"\\\u0000-\u001f\u007f-\u009f\u2028\u2029\s]/u;
/** Strings that would read back as a number, a boolean, null or the missing marker. */
const OTHER_TYPE = /^(?:-|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|true|false|null|)$/;

/**
 * One part of a readable fingerprint: a plain string stays bare (`POP-1`, `198.51.100.1` reads
 * as a string only because it cannot parse as anything else); a string that could read as a
 * number, a boolean or the missing marker, or that holds `/`, quotes, spaces or control
 * characters, is JSON-quoted (`"1"`, `"-"`, `"A/B"`); a number or boolean is its JSON text; a
 * missing value is `-`. Parts joined with `/` therefore split back into exactly one tuple.
 */
export function fingerprintPart(v: AttrValue | undefined): string {
  if (v === undefined) return "-";
  if (typeof v !== "string") return JSON.stringify(v);
  return UNSAFE_BARE.test(v) || OTHER_TYPE.test(v) ? JSON.stringify(v) : v;
}

/**
 * Values whose key a compiled key function remembers, at most: a window
 * holds few distinct POPs or services but may hold millions of distinct peers, so the memory
 * is cleared when full rather than grown.
 */
const REMEMBERED_VALUES = 1024;

type Getter<E> = (e: E) => AttrValue | undefined;

/**
 * `value → f(value)`, remembered for up to {@link REMEMBERED_VALUES} values: events of one POP
 * then share one key string instead of each making its own (a string a group keeps, a map
 * looks up and the collector traces). A Map tells `1` from `"1"`, so the memory is exact.
 */
function remembered(f: (v: AttrValue) => string): (v: AttrValue) => string {
  const memory = new Map<AttrValue, string>();
  return (v) => {
    let out = memory.get(v);
    if (out === undefined) {
      if (memory.size >= REMEMBERED_VALUES) memory.clear();
      out = f(v);
      memory.set(v, out);
    }
    return out;
  };
}

/** The {@link presentTupleKey} of the values `getters` read from an event, as a function of the event. */
export function compileTupleKey<E>(getters: readonly Getter<E>[]): (e: E) => string | undefined {
  if (getters.length === 1) {
    const get = getters[0]!;
    const key = remembered((v) => JSON.stringify([v]));
    return (e) => {
      const v = get(e);
      return v === undefined ? undefined : key(v);
    };
  }
  return (e) => {
    const values = new Array<AttrValue>(getters.length);
    for (let i = 0; i < getters.length; i++) {
      const v = getters[i]!(e);
      if (v === undefined) return undefined;
      values[i] = v;
    }
    return JSON.stringify(values);
  };
}

/** `prefix/part/part`: the parts `getters` read from an event, each by {@link fingerprintPart}. */
export function compileFingerprint<E>(prefix: string, getters: readonly Getter<E>[]): (e: E) => string {
  // A string sliced from a policy text that holds any character past U+00FF (a dash in a
  // comment) is stored with two bytes per character, and so is every string joined from it: a
  // copy through JSON is stored with one where it can be, halving what each group keeps.
  const head = JSON.parse(JSON.stringify(prefix)) as string;
  if (getters.length === 0) return () => head;
  const n = getters.length;
  // The values and fingerprint of the previous event: events of one stream often come in a
  // row (a peer's withdrawals), and then they share one string, which a map finds by identity.
  let values = new Array<AttrValue | undefined>(n);
  let previous = new Array<AttrValue | undefined>(n);
  let last: string | null = null;
  return (e) => {
    let same = last !== null;
    for (let i = 0; i < n; i++) {
      const v = getters[i]!(e);
      values[i] = v;
      if (v !== previous[i]) same = false;
    }
    if (same) return last!;
    // join makes one flat string (a group keeps its fingerprint), where + makes a rope.
    const out = new Array<string>(n + 1);
    out[0] = head;
    for (let i = 0; i < n; i++) out[i + 1] = fingerprintPart(values[i]);
    const swap = previous;
    previous = values;
    values = swap;
    last = out.join("/");
    return last;
  };
}
