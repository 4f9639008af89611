/**
 * The files a pull request changes: the paginated REST list, which stops at 3,000 files — a larger
 * pull request fails closed, since the gate cannot see all of it — and `git diff base...head`
 * when the API is unavailable.
 */
import { log } from "./log.js";
import { compareStrings } from "../core/compare.js";
import { changedFilesByGit } from "./git-evidence.js";
import { httpStatus, type Octokit } from "./octokit.js";

/** GitHub lists at most this many files of a pull request. */
export const MAX_PULL_FILES = 3000;

/** A pull request too large for the gate to see whole. */
export class TooManyFilesError extends Error {
  override readonly name = "TooManyFilesError";
}

/** Changed paths, sorted; renamed files contribute both names. */
export async function pullRequestFiles(
  octokit: Octokit,
  repo: { owner: string; repo: string },
  pullNumber: number,
  git: { base: string; head: string; cwd: string },
): Promise<{ files: string[]; source: "api" | "git" }> {
  try {
    const { data: pull } = await octokit.rest.pulls.get({ ...repo, pull_number: pullNumber });
    if (pull.changed_files > MAX_PULL_FILES) {
      throw new TooManyFilesError(
        `This pull request changes ${pull.changed_files} files; GitHub lists at most ${MAX_PULL_FILES}, so replay-gate cannot see every policy and window it touches and fails closed. Split the pull request.`,
      );
    }
    const listed = await octokit.paginate(octokit.rest.pulls.listFiles, { ...repo, pull_number: pullNumber, per_page: 100 });
    if (listed.length >= MAX_PULL_FILES) throw new TooManyFilesError(`GitHub listed ${listed.length} files, its cap; replay-gate fails closed. Split the pull request.`);
    const names = listed.flatMap((f) => (f.previous_filename ? [f.filename, f.previous_filename] : [f.filename]));
    return { files: [...new Set(names)].sort(compareStrings), source: "api" };
  } catch (error) {
    if (error instanceof TooManyFilesError) throw error;
    const status = httpStatus(error);
    log.warning(
      `Could not list the pull request's files through the API (${status ?? ""} ${(error as Error).message.split("\n")[0]}); using git diff ${git.base.slice(0, 7)}...${git.head.slice(0, 7)}.`,
    );
    return { files: await changedFilesByGit(git.base, git.head, git.cwd), source: "git" };
  }
}
