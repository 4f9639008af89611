/**
 * The merge block: a commit status with a fixed context on the evaluated commit. `pending` when
 * the run starts, then `success`/`failure` with one line and a link to the run. A run yields to a
 * run that started later on the same commit (its `pending` is newer than ours), so a slow run
 * cannot turn back what a newer one decided.
 */
import type { Octokit } from "./octokit.js";
import type { WriteGuard } from "./writes.js";
import { forStatus } from "../core/neutralize.js";

/** Where and as whom statuses are written. */
export interface StatusTarget {
  readonly octokit: Octokit;
  readonly owner: string;
  readonly repo: string;
  readonly sha: string;
  readonly context: string;
  /** This run's URL (the status link, and how we recognise our own `pending`). */
  readonly runUrl: string;
}

export type StatusState = "pending" | "success" | "failure" | "error";

/** Writes one status. */
export async function setStatus(target: StatusTarget, guard: WriteGuard, state: StatusState, description: string): Promise<boolean> {
  const done = await guard.attempt(`commit status ${target.context}`, () =>
    target.octokit.rest.repos.createCommitStatus({
      owner: target.owner,
      repo: target.repo,
      sha: target.sha,
      state,
      context: target.context,
      // The description quotes untrusted text (an error line, a summary): neutralised, at most 140 characters.
      description: forStatus(description),
      target_url: target.runUrl,
    }),
  );
  return done !== undefined;
}

/**
 * True when another run posted to our context on this commit after our `pending`: it started
 * later and read fresher reviews, so its answer stands.
 */
export async function supersededByNewerRun(target: StatusTarget): Promise<boolean> {
  try {
    // Newest first, as GitHub lists them.
    const statuses = await target.octokit.paginate(target.octokit.rest.repos.listCommitStatusesForRef, { owner: target.owner, repo: target.repo, ref: target.sha, per_page: 100 });
    const mine = statuses.filter((s) => s.context.toLowerCase() === target.context.toLowerCase());
    const ownPending = mine.findIndex((s) => s.target_url === target.runUrl && s.state === "pending");
    if (ownPending === -1) return false;
    return mine.slice(0, ownPending).some((s) => s.target_url !== target.runUrl && s.state === "pending");
  } catch {
    return false;
  }
}
