/**
 * Every write to GitHub goes through one guard: the first 401/403 stops all later writes (a fork's
 * read-only token would fail each of them the same way) and turns into a cause and a fix; any
 * other failure is recorded and the run goes on. The report is never lost: it is on disk, in the
 * job summary and in the exit status whatever happens here.
 */
import { log } from "./log.js";
import { httpStatus } from "./octokit.js";

/** Docs anchor for fork pull requests. */
export const FORK_HELP = "see docs/action.md#fork-pull-requests: run replay-gate on pull_request for the gate and add the workflow_run commenter workflow to post from a trusted context";

/** What went wrong with a surface, for the summary. */
export interface WriteProblem {
  readonly surface: string;
  readonly message: string;
}

/** The cause and fix of a refused call. */
export function explainRefusal(status: number | undefined, message: string, fork: boolean): string {
  if (status === 401) return `GitHub refused the token (401 ${message}): check the github-token input; the default \${{ github.token }} expires when the job ends`;
  if (status === 403 || status === 404) {
    const base = `GitHub refused the call (${status} ${message})`;
    if (fork) return `${base}: this pull request comes from a fork, so the workflow token is read-only; ${FORK_HELP}`;
    return `${base}: give the job a permissions: block with pull-requests: write, statuses: write and issues: write (and actions: read for artifact reuse, members: read on an org token for team approvers)`;
  }
  return `${status ?? "network"} ${message}`;
}

/** The guard. */
export class WriteGuard {
  private stopped: string | undefined;
  readonly problems: WriteProblem[] = [];

  constructor(private readonly fork: boolean) {}

  /** Why writes stopped, if they did. */
  get stoppedBecause(): string | undefined {
    return this.stopped;
  }

  /** Runs a write; undefined when skipped or failed. */
  async attempt<T>(surface: string, write: () => Promise<T>): Promise<T | undefined> {
    if (this.stopped !== undefined) return undefined;
    try {
      return await write();
    } catch (error) {
      const status = httpStatus(error);
      const message = (error as Error).message.split("\n")[0] ?? "";
      const text = explainRefusal(status, message, this.fork);
      if (status === 401 || status === 403) {
        this.stopped = text;
        log.warning(`${surface}: ${text}. No further writes to GitHub in this run; the report is in the job summary and the artifact.`);
      } else {
        log.warning(`${surface} failed: ${text}`);
      }
      this.problems.push({ surface, message: text });
      return undefined;
    }
  }
}
