/**
 * Locating the first invalid UTF-8 sequence, for error messages only: decoding itself is done by
 * a fatal `TextDecoder`, and this runs after it refused, to say where. The rules are the
 * WHATWG decoder's (no overlong forms, no surrogates, nothing above U+10FFFF).
 */

/** Where the first invalid byte is: 0-based byte offset, 1-based line and column (in bytes). */
export interface Utf8Position {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
  /** The offending byte (or the lead byte of a truncated sequence). */
  readonly byte: number;
}

/** Length of the valid sequence starting at `i`, or 0 when it is invalid or truncated. */
function sequenceLength(b: Uint8Array, i: number): number {
  const c = b[i]!;
  if (c < 0x80) return 1;
  let need: number,
    lo = 0x80,
    hi = 0xbf;
  if (c >= 0xc2 && c <= 0xdf) need = 1;
  else if (c >= 0xe0 && c <= 0xef) {
    need = 2;
    if (c === 0xe0) lo = 0xa0;
    if (c === 0xed) hi = 0x9f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    need = 3;
    if (c === 0xf0) lo = 0x90;
    if (c === 0xf4) hi = 0x8f;
  } else return 0;
  for (let k = 1; k <= need; k++) {
    const d = b[i + k];
    if (d === undefined) return 0;
    if (k === 1 ? d < lo || d > hi : d < 0x80 || d > 0xbf) return 0;
  }
  return need + 1;
}

/** The first invalid sequence in `bytes`, or undefined when all of it is valid UTF-8. */
export function findInvalidUtf8(bytes: Uint8Array): Utf8Position | undefined {
  let line = 1,
    lineStart = 0;
  for (let i = 0; i < bytes.length;) {
    const n = sequenceLength(bytes, i);
    if (n === 0) return { offset: i, line, column: i - lineStart + 1, byte: bytes[i]! };
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
    i += n;
  }
  return undefined;
}

/** Like {@link findInvalidUtf8} for bytes known to be invalid; points past the end when nothing is found. */
export function locateInvalidUtf8(bytes: Uint8Array): Utf8Position {
  return findInvalidUtf8(bytes) ?? { offset: bytes.length, line: 1, column: bytes.length + 1, byte: 0 };
}
