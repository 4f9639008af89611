/**
 * The comment's content: the verdict and its one line first, the gate section, then the parity
 * report at the most detail that fits {@link MAX_COMMENT_CONTENT_CHARS}. A pure function of the
 * decision, so `check --format markdown` prints the same bytes the Action posts inside its
 * envelope (envelope.ts), and one set of golden files covers both.
 */
import type { GateResult } from "../approvals/types.js";
import { fitBlocks, markdownBlocks } from "../fit.js";
import { MAX_COMMENT_CONTENT_CHARS } from "../limits.js";
import { forMarkdown } from "../neutralize.js";
import { diffMarkdownFooter, diffMarkdownLevels, truncatedNote } from "../report/markdown.js";
import type { Report } from "../report/report-schema.js";

/** Where the content says the full report is: the file beside the comment's source (the artifact, or `--out`). */
export const FULL_REPORT = "report.json";

const ICON = { pass: "✅", fail: "❌", pending: "⏳" } as const;

/** What the comment shows. */
export interface CommentView {
  readonly verdict: GateResult["verdict"];
  /** The verdict's one line, plain text (escaped here). */
  readonly headline: string;
  /** The gate section, neutral Markdown. */
  readonly gateMarkdown: string;
  /** The gated report; undefined when the gate failed closed before anything was replayed. */
  readonly report: Report | undefined;
}

/** Renders the content within its budget: report detail goes first, then whole blocks from the end. */
export function renderCommentContent(view: CommentView, limit: number = MAX_COMMENT_CONTENT_CHARS): string {
  const lead = [`## replay-gate: ${ICON[view.verdict]} ${view.verdict}`, forMarkdown(view.headline), ...markdownBlocks(view.gateMarkdown)];
  const omitted = truncatedNote(FULL_REPORT);
  if (view.report === undefined) return fitBlocks({ levels: [lead], limit, measure: "chars", omitted });
  return fitBlocks({
    levels: diffMarkdownLevels(view.report, FULL_REPORT).map((level) => [...lead, ...level]),
    tail: [diffMarkdownFooter(view.report, FULL_REPORT)],
    limit,
    measure: "chars",
    omitted,
  });
}
