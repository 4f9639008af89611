/**
 * Chunked line splitting in linear time with bounded memory: newlines are found in the bytes,
 * the complete lines of each chunk are decoded in one call and split with indexOf, and the
 * unfinished tail is kept as bytes (a list, joined once when its newline arrives — never
 * re-concatenated per chunk). A line longer than the limit is refused as soon as its bytes pass
 * the limit, before it is decoded or joined. It is both the replay pipeline's reader and the
 * benchmark's parse floor, so the ratio between them measures only what replay adds.
 */
import { isUtf8 } from "node:buffer";
import { findInvalidUtf8 } from "../core/utf8.js";

/** Called per line with its 1-based number; return false to stop reading. */
export type LineSink = (line: string, lineNo: number) => void | false;

/** Limits and decoding for {@link forEachLine}. */
export interface LineOptions {
  /** Longest line accepted, in bytes without its line ending; unset: no limit. */
  readonly maxLineBytes?: number | undefined;
  /** Refuse invalid UTF-8 with a {@link LineError} (default); false replaces it with U+FFFD. */
  readonly strictUtf8?: boolean | undefined;
}

/** A line that could not be read: too long, or not UTF-8. */
export class LineError extends Error {
  constructor(
    readonly kind: "too-long" | "invalid-utf8",
    /** 1-based line number. */
    readonly lineNo: number,
    /** 1-based byte column of the invalid byte (invalid-utf8 only). */
    readonly column: number | undefined,
    message: string,
  ) {
    super(message);
    this.name = "LineError";
  }
}

const NL = 0x0a;

/**
 * Complete lines are decoded in pieces of about this many bytes, each ending at a newline. A
 * string of more than 128 KiB goes to V8's large-object space, whose allocation costs some
 * forty times the decoding itself (measured: 256 KiB pieces 73 ms, 64 KiB pieces 2 ms for the
 * same 11.6 MB); a line longer than a piece is decoded whole.
 */
const PIECE_BYTES = 64 * 1024;

/**
 * Reads every line of a byte stream. A final line without a newline counts too; `\r\n` endings
 * lose their `\r`. Returns the number of lines handed to `sink`. Throws {@link LineError}.
 */
export async function forEachLine(chunks: AsyncIterable<Uint8Array | string>, sink: LineSink, options: LineOptions = {}): Promise<number> {
  const strict = options.strictUtf8 ?? true;
  const decoder = new TextDecoder("utf-8", { fatal: strict, ignoreBOM: true });
  const at = { lineNo: 0 };

  // Decodes bytes that start at the beginning of line `first`, locating an invalid sequence exactly.
  const decode = (bytes: Buffer, first: number): string => {
    try {
      return decoder.decode(bytes);
    } catch {
      throw invalidUtf8(bytes, first);
    }
  };
  // Hands the decoded complete lines of `text` (which ends with "\n") to the sink; false = stop.
  const deliver = (text: string): boolean => {
    let start = 0;
    let nl: number;
    while ((nl = text.indexOf("\n", start)) !== -1) {
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      if (sink(text.slice(start, end), ++at.lineNo) === false) return false;
      start = nl + 1;
    }
    return true;
  };

  return splitChunks(chunks, options.maxLineBytes ?? Infinity, at, {
    // Strict input is validated whole first, so an invalid byte anywhere in it is refused before
    // any of its lines is delivered, exactly as one decode of all of it would.
    complete: (joined, bytes) => {
      if (strict) {
        if (joined !== undefined && !isUtf8(joined)) decode(joined, at.lineNo + 1);
        if (!isUtf8(bytes)) decode(bytes, at.lineNo + (joined === undefined ? 1 : 2));
      }
      if (joined !== undefined && !deliver(decode(joined, at.lineNo + 1))) return false;
      for (let from = 0; from < bytes.length;) {
        let end = from + PIECE_BYTES >= bytes.length ? bytes.length : bytes.lastIndexOf(NL, from + PIECE_BYTES - 1) + 1;
        if (end <= from) end = bytes.indexOf(NL, from + PIECE_BYTES) + 1 || bytes.length;
        if (!deliver(decode(bytes.subarray(from, end), at.lineNo + 1))) return false;
        from = end;
      }
      return true;
    },
    last: (bytes) => {
      const text = decode(bytes, at.lineNo + 1);
      const end = text.charCodeAt(text.length - 1) === 13 ? text.length - 1 : text.length;
      sink(text.slice(0, end), ++at.lineNo);
    },
  });
}

/**
 * Called per line with the bytes that hold it, the offset where it starts and its 1-based
 * number. The line runs to the first "\n" at or after `start`, or to the end of `bytes` when
 * there is none (a last line without a newline); the sink returns that end's offset (found
 * while reading the line, or with {@link lineEnd}), or false to stop reading.
 */
export type ByteLineSink = (bytes: Buffer, start: number, lineNo: number) => number | false;

/** The end of the line starting at `start`: its "\n", or the end of `bytes`. */
export function lineEnd(bytes: Buffer, start: number): number {
  const nl = bytes.indexOf(NL, start);
  return nl === -1 ? bytes.length : nl;
}

/** `end` without a `\r` just before it (a `\r\n` line ending), as {@link forEachLine} delivers lines. */
export function withoutCr(bytes: Buffer, start: number, end: number): number {
  return end > start && bytes[end - 1] === 13 ? end - 1 : end;
}

/**
 * {@link forEachLine} without decoding: each line is handed over as its bytes, validated as
 * UTF-8 (when strict) and within the limit, so a parser can read it without a string copy.
 */
export async function forEachLineBytes(chunks: AsyncIterable<Uint8Array | string>, sink: ByteLineSink, options: LineOptions = {}): Promise<number> {
  const strict = options.strictUtf8 ?? true;
  const at = { lineNo: 0 };
  const deliver = (bytes: Buffer): boolean => {
    for (let from = 0; from < bytes.length;) {
      const end = sink(bytes, from, ++at.lineNo);
      if (end === false) return false;
      // The sink's end is trusted to be the line's first newline (or the end); a bug must not loop.
      if (end < from || end > bytes.length || (end < bytes.length && bytes[end] !== NL)) throw new Error(`line sink returned ${end} for a line starting at ${from}`);
      from = end + 1;
    }
    return true;
  };
  const check = (bytes: Buffer, first: number) => {
    if (strict && !isUtf8(bytes)) throw invalidUtf8(bytes, first);
  };
  return splitChunks(chunks, options.maxLineBytes ?? Infinity, at, {
    complete: (joined, bytes) => {
      if (joined !== undefined) check(joined, at.lineNo + 1);
      check(bytes, at.lineNo + (joined === undefined ? 1 : 2));
      return (joined === undefined || deliver(joined)) && deliver(bytes);
    },
    last: (bytes) => {
      check(bytes, at.lineNo + 1);
      deliver(bytes);
    },
  });
}

function invalidUtf8(bytes: Buffer, first: number): LineError {
  const at = findInvalidUtf8(bytes);
  const line = first + (at ? at.line - 1 : 0);
  return new LineError("invalid-utf8", line, at?.column, `invalid UTF-8 (byte 0x${(at?.byte ?? 0).toString(16).padStart(2, "0")})`);
}

/**
 * Where the lines go: the complete lines of each chunk, then a last line without a newline.
 * A chunk's lines come as the line that continued from the chunk before, joined (one line,
 * ending with "\n"), and the chunk's own complete lines (ending with "\n", or empty): joining
 * only the one line, not the whole chunk, saves copying (and allocating) every chunk again.
 */
interface LineDelivery {
  /** Both are validated before either is delivered. Returns false to stop reading. */
  complete(joined: Buffer | undefined, bytes: Buffer): boolean;
  last(bytes: Buffer): void;
}

/**
 * The splitting both readers share: cuts the stream after its last newline per chunk, keeps the
 * unfinished tail as bytes, and refuses a line over `max` before it is delivered (the lines
 * before it are delivered first). `at.lineNo` is the number of the last line delivered.
 */
async function splitChunks(chunks: AsyncIterable<Uint8Array | string>, max: number, at: { lineNo: number }, out: LineDelivery): Promise<number> {
  let tail: Buffer[] = [];
  let tailBytes = 0;
  const tooLong = (line: number) => new LineError("too-long", line, undefined, `line is longer than ${max} bytes`);

  for await (const raw of chunks) {
    const buf = typeof raw === "string" ? Buffer.from(raw, "utf8") : Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    const lineNo = at.lineNo;
    let lastNl = -1;
    let overLine = 0;
    let seen = 0;
    if (buf.length <= max) {
      // No line that starts and ends in this chunk can be over the limit: only the first one
      // (which continues the tail) or an unfinished one can, so one search from each end will do.
      lastNl = buf.lastIndexOf(NL);
      if (lastNl === -1) {
        if (tailBytes + buf.length > max) overLine = lineNo + 1;
      } else {
        seen = 1;
        if (tailBytes + buf.indexOf(NL) > max) overLine = lineNo + 1;
      }
    } else {
      // One pass over the bytes: where the last newline is, and the first line over the limit.
      let run = tailBytes;
      for (let nl = buf.indexOf(NL); nl !== -1; nl = buf.indexOf(NL, nl + 1)) {
        seen++;
        if (overLine === 0 && run + (nl - lastNl - 1) > max) overLine = lineNo + seen;
        run = 0;
        lastNl = nl;
      }
      if (overLine === 0 && run + (buf.length - lastNl - 1) > max) overLine = lineNo + seen + 1;
    }
    const rest = buf.length - lastNl - 1;
    if (lastNl === -1) {
      if (overLine !== 0) throw tooLong(overLine);
      if (buf.length > 0) tail.push(buf);
      tailBytes += buf.length;
      continue;
    }
    // A line over the limit is refused before it is joined or decoded; the lines before it are delivered first.
    const limitAt = overLine === 0 || overLine - lineNo > seen ? 0 : overLine - lineNo;
    let bytes = buf.subarray(0, lastNl + 1);
    let joined: Buffer | undefined;
    if (limitAt === 1) bytes = bytes.subarray(0, 0);
    else {
      if (tail.length > 0) {
        const firstEnd = buf.indexOf(NL) + 1;
        joined = Buffer.concat([...tail, buf.subarray(0, firstEnd)], tailBytes + firstEnd);
        bytes = bytes.subarray(firstEnd);
      }
      if (limitAt > 1) bytes = bytes.subarray(0, cutBeforeLine(bytes, joined === undefined ? limitAt : limitAt - 1));
    }
    if (!out.complete(joined, bytes)) return at.lineNo;
    if (overLine !== 0) throw tooLong(overLine);
    tail = rest > 0 ? [buf.subarray(lastNl + 1)] : [];
    tailBytes = rest;
  }
  if (tailBytes > 0) out.last(tail.length === 1 ? tail[0]! : Buffer.concat(tail, tailBytes));
  return at.lineNo;
}

/** Byte offset where line `n` (1-based, counted from the start of `bytes`) begins. */
function cutBeforeLine(bytes: Buffer, n: number): number {
  let at = 0;
  for (let k = 1; k < n; k++) at = bytes.indexOf(NL, at) + 1;
  return at;
}
