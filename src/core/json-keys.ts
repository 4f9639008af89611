/**
 * Duplicate keys in JSON text. `JSON.parse` keeps the last of two equal keys silently, so a line
 * can say one thing to a reviewer reading it and another to the engine. Finding them exactly
 * needs a scan of the text; to keep the events hot path fast, {@link countKeyTokens} gives a
 * cheap upper bound on the number of keys a text holds, and only when it exceeds the number of
 * keys the parsed value has is the exact scan ({@link findDuplicateKey}) run.
 */
import { fail } from "./errors.js";

/**
 * An upper bound on the number of object keys in JSON text: the colons whose nearest
 * non-whitespace predecessor is a quote. Every key is a string followed by optional whitespace
 * and a colon, so each key is counted; a colon inside a string is counted only after an escaped
 * quote (`\":`), which can only make the bound larger, never smaller.
 */
export function countKeyTokens(text: string): number {
  let n = 0;
  for (let i = text.indexOf(":"); i !== -1; i = text.indexOf(":", i + 1)) {
    let j = i - 1;
    let c = text.charCodeAt(j);
    while (c === 32 || c === 9 || c === 10 || c === 13) c = text.charCodeAt(--j);
    if (c === 34) n++;
  }
  return n;
}

/** A key that occurs twice in one object. */
export interface DuplicateKey {
  /** The key, decoded. */
  readonly key: string;
  /** Dotted path of the second occurrence (`attrs.peer`, `incidents[3].id`). */
  readonly path: string;
  /** 0-based offset of the second occurrence's opening quote. */
  readonly offset: number;
}

interface Frame {
  readonly object: boolean;
  readonly path: string;
  readonly keys: Set<string> | undefined;
  expectKey: boolean;
  index: number;
  key: string;
}

function childPath(frame: Frame): string {
  if (!frame.object) return `${frame.path}[${frame.index}]`;
  return frame.path === "" ? frame.key : `${frame.path}.${frame.key}`;
}

/**
 * The first key that repeats within one object of `text`, which must be valid JSON (parse it
 * first); undefined when there is none. Keys are compared decoded, as `JSON.parse` compares them
 * (`"a"` and `"\u0061"` are the same key). Linear in the text.
 */
export function findDuplicateKey(text: string): DuplicateKey | undefined {
  const stack: Frame[] = [];
  let top: Frame | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 123 /* { */ || c === 91 /* [ */) {
      const path = top === undefined ? "" : childPath(top);
      top = { object: c === 123, path, keys: c === 123 ? new Set() : undefined, expectKey: c === 123, index: 0, key: "" };
      stack.push(top);
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      stack.pop();
      top = stack[stack.length - 1];
    } else if (c === 44 /* , */) {
      if (top?.object) top.expectKey = true;
      else if (top) top.index++;
    } else if (c === 34 /* " */) {
      const start = i;
      let escaped = false;
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 92) {
          escaped = true;
          i++;
        } else if (d === 34) break;
      }
      if (top?.object && top.expectKey) {
        const raw = text.slice(start, i + 1);
        const key = escaped ? (JSON.parse(raw) as string) : raw.slice(1, -1);
        top.expectKey = false;
        top.key = key;
        if (top.keys!.has(key)) return { key, path: childPath(top), offset: start };
        top.keys!.add(key);
      }
    }
  }
  return undefined;
}

/** 1-based line and column of `offset` in `text`. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1,
    lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * `JSON.parse` that refuses duplicate keys, naming the file, line, column and field of the
 * second occurrence. For documents read back (reports, shard reports), not for the events hot
 * path, which uses {@link countKeyTokens} first.
 */
export function parseJsonStrict(text: string, file: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (err) {
    fail({ file, message: `not valid JSON: ${firstLine((err as Error).message)}` });
  }
  const dup = findDuplicateKey(text);
  if (dup !== undefined) fail({ file, ...lineColumnAt(text, dup.offset), path: dup.path, message: `duplicate key "${dup.key}"`, hint: "each key may appear once per object" });
  return value;
}

function firstLine(s: string): string {
  const nl = s.indexOf("\n");
  return (nl === -1 ? s : s.slice(0, nl)).slice(0, 200);
}
