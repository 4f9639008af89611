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
