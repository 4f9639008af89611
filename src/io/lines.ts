/**
 * Chunked line splitting: decode each chunk once, find newlines with indexOf, hand whole lines
 * to a callback. It is both the replay pipeline's reader and the benchmark's parse floor, so
 * the ratio between them measures only what replay adds.
 */
import { StringDecoder } from "node:string_decoder";

/** Called per line with its 1-based number; return false to stop reading. */
export type LineSink = (line: string, lineNo: number) => void | false;

/** Reads every line of a byte stream. A final line without a newline counts too. Returns the line count. */
export async function forEachLine(chunks: AsyncIterable<Buffer | string>, sink: LineSink): Promise<number> {
  const decoder = new StringDecoder("utf8");
  let carry = "";
  let lineNo = 0;
  for await (const chunk of chunks) {
    const text = carry + (typeof chunk === "string" ? chunk : decoder.write(chunk));
    let start = 0;
    let nl: number;
    while ((nl = text.indexOf("\n", start)) !== -1) {
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      if (sink(text.slice(start, end), ++lineNo) === false) return lineNo;
      start = nl + 1;
    }
    carry = text.slice(start);
  }
  carry += decoder.end();
  if (carry.length > 0) sink(carry, ++lineNo);
  return lineNo;
}
