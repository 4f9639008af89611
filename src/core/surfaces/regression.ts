/**
 * The scheduled regression replay's surfaces, pure: whether it fails, its headline, the issue it
 * keeps open while failing (title and body within an issue's limit), and the job summary.
 */
import { fitBlocks } from "../fit.js";
import { MAX_ISSUE_BODY_CHARS } from "../limits.js";
import type { Report } from "../report/report-schema.js";
import { fitSummary } from "./summary.js";

/** What the regression run publishes. */
export interface RegressionSurfaces {
  readonly failing: boolean;
  readonly issueTitle: string;
  /** The issue body without its marker. */
  readonly issueBody: string;
  /** The job summary, given the issue's outcome. */
  readonly summary: (issueOutcome: string) => string;
}

/** Renders the regression run's surfaces from its report and its already rendered Markdown. */
export function renderRegression(report: Report, context: { readonly sha: string; readonly runUrl: string; readonly pointer: string; readonly reportMarkdown: string }): RegressionSurfaces {
  const failing = report.evaluation.verdict === "fail";
  const failures = report.evaluation.reasons.map((r) => `- ${r.code}: ${r.window ?? ""} (${r.policy ?? ""})`);
  const headline = failing
    ? `## replay-gate regression: ❌ ${report.evaluation.reasons.length} failure(s)\n\nScheduled replay of ${report.summary.windows} window(s) at \`${context.sha.slice(0, 7)}\`.`
    : `## replay-gate regression: ✅ green\n\nEvery expectation holds over ${report.summary.windows} window(s) at \`${context.sha.slice(0, 7)}\`.`;
  return {
    failing,
    issueTitle: "replay-gate: scheduled replay found regressions",
    issueBody: fitBlocks({
      levels: [[`${headline}\n\nLast failing run: ${context.runUrl}\n`, ...failures]],
      separator: "\n",
      limit: MAX_ISSUE_BODY_CHARS,
      measure: "chars",
      omitted: (n) => `- … and ${n} more; ${context.pointer}`,
    }),
    summary: (issueOutcome) => fitSummary(`${headline}\n\nRegression issue: ${issueOutcome}`, context.reportMarkdown, context.pointer),
  };
}
