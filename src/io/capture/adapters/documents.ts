/**
 * Exports that are JSON documents rather than JSON lines (a Prometheus API response, an
 * Alertmanager webhook body) arrive either one per file, pretty-printed over many lines, or one
 * per line (a log of webhook calls). The first non-blank line decides: if it is a whole JSON
 * value, every line is a document; otherwise the whole file is one.
 *
 * A whole-file document is held in memory to parse it (at most `--max-bytes`); split very large
 * ranges into several files or one document per line.
 */
import { isBlank } from "./json-line.js";
import type { AdapterContext, LineParser } from "./types.js";

/** Called per document with the line it starts on. */
export type DocumentSink = (doc: unknown, lineNo: number) => void;

export function documentParser(ctx: AdapterContext, sink: DocumentSink): LineParser {
  let mode: "unknown" | "lines" | "whole" = "unknown";
  let parts: string[] = [];
  let firstLineNo = 0;
  const parse = (text: string, lineNo: number) => {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (err) {
      ctx.reject(lineNo, `not valid JSON (${(err as Error).message})`);
      return;
    }
    sink(doc, lineNo);
  };
  return {
    line(text, lineNo) {
      if (mode === "lines") {
        if (!isBlank(text)) parse(text, lineNo);
        return;
      }
      if (mode === "unknown") {
        if (isBlank(text)) return;
        firstLineNo = lineNo;
        try {
          const doc = JSON.parse(text) as unknown;
          mode = "lines";
          sink(doc, lineNo);
          return;
        } catch {
          mode = "whole";
        }
      }
      parts.push(text);
    },
    end() {
      if (mode !== "whole") return;
      const text = parts.join("\n");
      parts = [];
      parse(text, firstLineNo);
    },
  };
}
