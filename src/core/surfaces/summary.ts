/**
 * The job summary's text (the report for runs without a pull request, and the fallback when
 * comments cannot be written), within the runner's limit: the detail is dropped first, then the
 * essential part is kept block by block with a pointer to the artifact.
 */
import type { GateResult } from "../approvals/types.js";
import { fitBlocks, markdownBlocks } from "../fit.js";
import { MAX_SUMMARY_BYTES } from "../limits.js";
import { forMarkdown } from "../neutralize.js";

/** Fits `essential` + `detail` into the summary budget (UTF-8 bytes). */
export function fitSummary(essential: string, detail: string, pointer: string, limit: number = MAX_SUMMARY_BYTES): string {
  return fitBlocks({
    levels: [[essential, detail], [essential, `> The full report does not fit in the job summary; ${pointer}.`], markdownBlocks(essential)],
    limit,
    measure: "utf8-bytes",
    omitted: () => `> … truncated; ${pointer}.`,
  });
}

/** What the gate's job summary shows. */
export interface GateSummaryView {
  readonly verdict: GateResult["verdict"];
  /** A promotion's headline, or "" (plain text). */
  readonly promotion: string;
  /** The verdict's one line (plain text). */
  readonly line: string;
  /** An earlier run's replay of the same base, head and config was reused. */
  readonly reused: boolean;
  /** Notes from publishing (writes that failed, a stale comment, the decision log), neutral Markdown. */
  readonly notes: readonly string[];
  readonly gateMarkdown: string;
  /** The report as Markdown, with more detail than a comment holds. */
  readonly reportMarkdown: string;
  /** Where the full report is. */
  readonly pointer: string;
}

/** The gate's job summary: the verdict and the notes, the gate section, then as much of the report as fits. */
export function renderGateSummary(view: GateSummaryView): string {
  const title = `## replay-gate: ${view.verdict}${view.promotion === "" ? "" : ` — ${forMarkdown(view.promotion)}`}\n\n${forMarkdown(view.line)}${view.reused ? "\n\n_Replay reused from an earlier run of the same base, head and config._" : ""}`;
  return fitSummary([title, ...view.notes, view.gateMarkdown].join("\n\n"), view.reportMarkdown, view.pointer);
}
