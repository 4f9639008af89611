/**
 * The fork commenter (a `workflow_run` in the base repository's context) posts what a fork's run
 * produced — and a fork controls everything in its artifact: its workflow, its action code, every
 * byte of report.json and comment.md. So nothing from it is posted as our verdict:
 *
 * - comment.md must name the sha256 of the report.json beside it (the hidden line the gate writes);
 *   a body whose digest does not match is rejected, not posted;
 * - report.json must validate against the report schema, and its thresholds verdict is re-derived
 *   here, by this repository's code, from the report's own windows, policies and coverage; a report
 *   whose stated verdict disagrees is rejected;
 * - the comment is rendered here from the report (every string neutralised), never copied from
 *   comment.md, under a banner that says it was produced by the fork's run and is unverified; it
 *   shows no ✅ and sets no status.
 */
import { evaluateThresholds } from "../gate/thresholds.js";
import { sha256Hex } from "../hash.js";
import { renderDiffMarkdown } from "../report/markdown.js";
import { forMarkdown } from "../neutralize.js";
import { reportSchema, type Report } from "../report/report-schema.js";

/** The sticky marker of the fork commenter's comment. */
export const FORK_COMMENT_MARKER = "<!-- replay-gate:fork-comment -->";

/** The hidden line the gate writes into comment.md: the sha256 of the report.json beside it. */
export function reportDigestLine(reportText: string): string {
  return `<!-- replay-gate:report sha256:${sha256Hex(reportText)} -->`;
}

const DIGEST_LINE = /^<!-- replay-gate:report sha256:([0-9a-f]{64}) -->$/m;

/** Characters of re-rendered report in the comment (GitHub's limit is 65,536). */
const MAX_FORK_REPORT_CHARS = 55_000;

/** Where the artifact came from, as GitHub (not the artifact) says. */
export interface ForkRun {
  /** The fork run's page. */
  readonly runUrl: string;
  /** The fork's repository (`owner/name`), from the workflow_run event. */
  readonly headRepo: string;
  /** The head commit the fork's run evaluated, from the workflow_run event. */
  readonly headSha: string;
}

export type ForkComment = { readonly ok: true; readonly body: string; readonly verdict: "pass" | "fail" } | { readonly ok: false; readonly reason: string; readonly body: string };

function rejected(run: ForkRun, reason: string): ForkComment {
  const body = [
    FORK_COMMENT_MARKER,
    "## replay-gate: no result from the fork's run",
    "",
    `The artifact of [the fork's run](${run.runUrl}) (${forMarkdown(run.headRepo)} at \`${run.headSha.slice(0, 7)}\`) was **rejected**: ${forMarkdown(reason)}.`,
    "Nothing from it is shown. A maintainer can run the gate on a branch of this repository.",
    "",
  ].join("\n");
  return { ok: false, reason, body };
}

/** Verifies the fork's artifact and renders the comment, or the rejection. Pure. */
export function buildForkComment(run: ForkRun, reportText: string, commentText: string): ForkComment {
  const claimed = DIGEST_LINE.exec(commentText)?.[1];
  const actual = sha256Hex(reportText);
  if (claimed === undefined) return rejected(run, "comment.md names no report digest");
  if (claimed !== actual) return rejected(run, `the report digest in comment.md (sha256:${claimed.slice(0, 12)}…) does not match report.json (sha256:${actual.slice(0, 12)}…)`);
  let report: Report;
  try {
    report = reportSchema.parse(JSON.parse(reportText));
  } catch {
    return rejected(run, "report.json is not a valid replay-gate/report@1 document");
  }
  if (report.inputs.head.git !== null && report.inputs.head.git.commit !== run.headSha) {
    return rejected(run, `report.json is about ${report.inputs.head.git.commit.slice(0, 7)}, not the run's head ${run.headSha.slice(0, 7)}`);
  }
  // The thresholds verdict, recomputed here from the report's own data.
  const derived = evaluateThresholds(report.windows, report.evaluation.thresholds, { policies: report.policies, coverage: report.coverage });
  const codes = (r: { code: string }[]) => r.map((x) => x.code).join(",");
  if (derived.verdict !== report.evaluation.verdict || codes(derived.reasons) !== codes(report.evaluation.reasons)) {
    return rejected(run, `report.json states the thresholds verdict ${report.evaluation.verdict}, but its windows give ${derived.verdict}`);
  }
  const verdict = derived.verdict;
  const rendered = renderDiffMarkdown({ ...report, verdict, evaluation: derived }, { maxChars: MAX_FORK_REPORT_CHARS, fullReport: `the artifact of [the fork's run](${run.runUrl})` });
  // Our heading, not the report's (no ✅ for a result this repository did not produce).
  const withoutHeading = rendered.split("\n").slice(1).join("\n").replace(/^\n+/, "");
  const body = [
    FORK_COMMENT_MARKER,
    `## replay-gate (fork run, unverified): thresholds ${verdict}`,
    "",
    `> **Produced by the fork's run**, not by this repository: [the run](${run.runUrl}) of ${forMarkdown(run.headRepo)} at \`${run.headSha.slice(0, 7)}\` used the fork's own workflow. This comment is re-rendered from its report.json (sha256:${actual.slice(0, 12)}…), whose thresholds verdict was re-derived here; approvals are not evaluated and **no status is set** from it. The required \`replay-gate\` check comes only from a run in this repository.`,
    "",
    withoutHeading,
  ].join("\n");
  return { ok: true, body, verdict };
}
