/**
 * A gate config the gate cannot read (invalid, or an explicitly named file that is missing) is
 * a result, not a crash: the status turns `failure` — never `error` for ever, never `success` —
 * and the comment says what to fix. The config is read from the base commit, so the fix is a
 * commit to the base branch: the pull request itself cannot fix it (nor relax it).
 */
import { formatProblem, type Problem } from "../errors.js";
import { forGitHubText } from "../neutralize.js";

/** Where the config was read. */
export interface ConfigErrorContext {
  /** Repository-relative path of the config. */
  readonly path: string;
  /** The base commit it was read at. */
  readonly baseSha: string;
  /** The base branch's name, when the event names it. */
  readonly baseBranch: string | undefined;
}

/** The one-line status description (≤ 140 characters with the verdict prefix). */
export function configErrorSummary(ctx: ConfigErrorContext, problems: readonly Problem[]): string {
  const n = problems.length;
  return `gate config ${ctx.path} at the base cannot be read (${n} problem${n === 1 ? "" : "s"}); fix it on ${ctx.baseBranch ?? "the base branch"}`;
}

/** The gate section of the comment and summary: each problem with its location, and how to fix it. */
export function renderConfigErrorMarkdown(ctx: ConfigErrorContext, problems: readonly Problem[]): string {
  const branch = ctx.baseBranch === undefined ? "the base branch" : `\`${forGitHubText(ctx.baseBranch)}\``;
  const lines = [
    "### Gate",
    "",
    `- **config-unreadable**: the gate config \`${forGitHubText(ctx.path)}\` at the base commit \`${ctx.baseSha.slice(0, 7)}\` cannot be read, so nothing was replayed and the gate fails closed.`,
    "",
    "**What to fix** — on " + branch + " (the config is always read from the base commit; a change in this pull request does not apply until it is merged):",
    "",
    "```text",
    ...problems.map((p) => forGitHubText(formatProblem(p)).replace(/```/g, "ʼʼʼ")),
    "```",
    "",
    `Commit the fix to ${branch}, then re-run this workflow (or push to this pull request). Check it locally with \`replay-gate check --base <base branch> --config ${forGitHubText(ctx.path)}\`.`,
    "",
  ];
  return lines.join("\n");
}
