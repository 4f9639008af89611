/**
 * Scheduled regression runs keep one issue per config: opened (or updated) while expectations
 * fail, found again by a hidden marker at the start of a bot-written body (never duplicated, even
 * when GitHub loses the answer to the create), and closed when the library is green again.
 */
import { log } from "./log.js";
import { sha256Hex } from "../core/hash.js";
import { httpStatus, type Octokit } from "./octokit.js";
import type { WriteGuard } from "./writes.js";

/** The label the issue carries (and is found by). */
export const REGRESSION_LABEL = "replay-gate";

/** The hidden marker of the regression issue for one config. */
export function regressionMarker(configPath: string): string {
  return `<!-- replay-gate:regression ${sha256Hex(configPath).slice(0, 16)} -->`;
}

/** Where the issue lives. */
export interface IssueTarget {
  readonly octokit: Octokit;
  readonly owner: string;
  readonly repo: string;
  readonly marker: string;
}

export type IssueOutcome = "opened" | "updated" | "unchanged" | "closed" | "none" | "failed";

async function findOpen(target: IssueTarget): Promise<{ number: number; body: string } | undefined> {
  const issues = await target.octokit.paginate(target.octokit.rest.issues.listForRepo, { owner: target.owner, repo: target.repo, state: "open", labels: REGRESSION_LABEL, per_page: 100 });
  const mine = issues.filter((i) => i.pull_request === undefined && i.user?.type === "Bot" && (i.body ?? "").startsWith(`${target.marker}\n`));
  const first = mine.sort((a, b) => a.number - b.number)[0];
  return first === undefined ? undefined : { number: first.number, body: first.body ?? "" };
}

/** Opens, updates or closes the regression issue. `body` excludes the marker. */
export async function syncRegressionIssue(target: IssueTarget, guard: WriteGuard, failing: boolean, title: string, body: string, runUrl: string): Promise<IssueOutcome> {
  let open: { number: number; body: string } | undefined;
  try {
    open = await findOpen(target);
  } catch (error) {
    log.warning(`Could not list issues (${(error as Error).message}); the regression issue is not updated.`);
    return "failed";
  }
  const full = `${target.marker}\n${body}`;
  const repo = { owner: target.owner, repo: target.repo };
  if (!failing) {
    if (open === undefined) return "none";
    const n = open.number;
    await guard.attempt("regression issue", () =>
      target.octokit.rest.issues.createComment({ ...repo, issue_number: n, body: `Green again in [this run](${runUrl}): every window's expectations hold.` }),
    );
    const closed = await guard.attempt("regression issue", () => target.octokit.rest.issues.update({ ...repo, issue_number: n, state: "closed", state_reason: "completed" }));
    return closed === undefined ? "failed" : "closed";
  }
  if (open !== undefined) {
    if (open.body === full) return "unchanged";
    const n = open.number;
    const done = await guard.attempt("regression issue", () => target.octokit.rest.issues.update({ ...repo, issue_number: n, body: full, title }));
    return done === undefined ? "failed" : "updated";
  }
  const created = await guard.attempt("regression issue", async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        await target.octokit.rest.issues.create({ ...repo, title, body: full, labels: [REGRESSION_LABEL], request: { retries: 0 } });
        return true;
      } catch (error) {
        const status = httpStatus(error);
        if (status !== undefined && status < 500) throw error;
        if ((await findOpen(target)) !== undefined) return true;
        if (attempt >= 3) throw error;
        await new Promise((r) => setTimeout(r, attempt * attempt * 1000));
      }
    }
  });
  return created === undefined ? "failed" : "opened";
}
