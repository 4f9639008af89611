/**
 * The one size-fitting routine every renderer uses (comment, job summary, regression issue):
 * text is a list of whole blocks — a paragraph, a table, a code fence, a `<details>` — at one or
 * more detail levels. The most detailed level that fits is taken; when even the least detailed
 * does not fit, its blocks are kept in order while they fit and a note names how many were left
 * out. A block is never cut, so no table, fence or `<details>` is left open.
 */

/** How a limit is measured: UTF-16 code units (GitHub's character limits) or UTF-8 bytes (files the runner uploads). */
export type Measure = "chars" | "utf8-bytes";

/** One way to lay out the text. */
export interface FitRequest {
  /** Candidate block lists, from the most detail to the least. At least one. */
  readonly levels: readonly (readonly string[])[];
  /** Blocks after the fitted ones that are always kept (a footer, hidden state). */
  readonly tail?: readonly string[];
  /** Between blocks (default a blank line). */
  readonly separator?: string;
  /** After the last block (default a newline). */
  readonly end?: string;
  readonly limit: number;
  readonly measure: Measure;
  /** The note standing for `n` left-out blocks of the least detailed level. */
  readonly omitted: (n: number) => string;
}

/** The size of `text` in a measure. */
export function sizeOf(text: string, measure: Measure): number {
  return measure === "chars" ? text.length : Buffer.byteLength(text, "utf8");
}

/** Joins blocks the way {@link fitBlocks} does. */
function join(blocks: readonly string[], separator: string, end: string): string {
  return blocks.join(separator) + end;
}

/**
 * The most detailed level that fits `limit`; else the least detailed level's leading blocks and
 * the `omitted` note. The result never exceeds the limit unless the tail and the note alone do.
 */
export function fitBlocks(request: FitRequest): string {
  const separator = request.separator ?? "\n\n";
  const end = request.end ?? "\n";
  const tail = request.tail ?? [];
  const fits = (blocks: readonly string[]) => sizeOf(join(blocks, separator, end), request.measure) <= request.limit;
  for (const level of request.levels) {
    const all = [...level, ...tail];
    if (fits(all)) return join(all, separator, end);
  }
  const least = request.levels[request.levels.length - 1] ?? [];
  // Whole blocks while they fit with the note and the tail; the size grows with each block, so
  // the first that does not fit ends the search (linear, not quadratic, in the text).
  const fixed = sizeOf(join([request.omitted(least.length), ...tail], separator, end), request.measure);
  const sep = sizeOf(separator, request.measure);
  let used = fixed;
  let kept = 0;
  for (const block of least) {
    const next = used + sizeOf(block, request.measure) + sep;
    if (next > request.limit) break;
    used = next;
    kept++;
  }
  return join([...least.slice(0, kept), request.omitted(least.length - kept), ...tail], separator, end);
}

/**
 * One line within `limit` UTF-16 code units: cut at a word when one ends late enough, else at a
 * character (never inside a surrogate pair), with an ellipsis.
 */
export function fitLine(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let cut = limit - 1;
  const high = text.charCodeAt(cut - 1);
  if (high >= 0xd800 && high <= 0xdbff) cut--;
  const head = text.slice(0, cut);
  const space = head.lastIndexOf(" ");
  return `${space > limit * 0.6 ? head.slice(0, space) : head}…`;
}

/**
 * Splits Markdown into blocks at blank lines, never inside a code fence or a `<details>`, so
 * {@link fitBlocks} can drop whole blocks of text that was rendered as one string.
 */
export function markdownBlocks(text: string): string[] {
  const out: string[] = [];
  let current: string[] = [];
  let fence = false;
  let depth = 0;
  for (const line of text.split("\n")) {
    if (line.trimStart().startsWith("```")) fence = !fence;
    else if (!fence) depth = Math.max(0, depth + (line.split("<details>").length - 1) - (line.split("</details>").length - 1));
    if (line === "" && !fence && depth === 0) {
      if (current.length > 0) out.push(current.join("\n"));
      current = [];
    } else current.push(line);
  }
  if (current.length > 0) out.push(current.join("\n"));
  return out;
}
