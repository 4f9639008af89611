/**
 * Test-side seeding of pull requests and reviews, in the shapes a test finds natural.
 */
import type { EmulatorState, IssueRecord, PullFileRecord, RepoRecord, ReviewRecord } from "./state.js";

/** A changed file to put in a pull request. */
export interface PullFileInput {
  filename: string;
  /** Default `modified`. */
  status?: PullFileRecord["status"];
  additions?: number;
  deletions?: number;
  patch?: string;
  previous_filename?: string;
}

/** A pull request to create. */
export interface AddPullOptions {
  /** Default: the next free issue number. */
  number?: number;
  title?: string;
  body?: string;
  /** Login of the author; default `octocat`. */
  author?: string;
  /** Head commit; `repo` (`owner/name`) makes it a fork pull request (that repository is created if needed). */
  head: { sha: string; ref?: string; repo?: string };
  /** Base commit; `ref` defaults to `main`. */
  base: { sha: string; ref?: string };
  files?: readonly PullFileInput[];
  draft?: boolean;
  labels?: readonly string[];
}

/** A review to submit on a pull request. */
export interface AddReviewOptions {
  user: string;
  state: ReviewRecord["state"];
  /** Commit reviewed; default the pull request's head sha. */
  commitId?: string;
  body?: string;
  /** Default: the clock's now. */
  submittedAt?: string;
}

/** Opens a pull request in `repo`; a fork's head repository is created if needed. */
export function seedPull(state: EmulatorState, repo: RepoRecord, options: AddPullOptions): { number: number } {
  const number = options.number ?? state.nextNumber(repo);
  if (repo.issues.has(number)) throw new Error(`emulator: #${number} already exists`);
  const headRepo = options.head.repo ?? `${repo.owner.login}/${repo.name}`;
  const [headOwner = "", headName = ""] = headRepo.split("/");
  if (state.repo(headOwner, headName) === undefined) state.addRepo(headOwner, headName);
  const now = state.timestamp();
  const issue: IssueRecord = {
    id: state.nextId("issue"),
    number,
    title: options.title ?? `Pull request #${number}`,
    body: options.body ?? null,
    user: state.user(options.author ?? "octocat"),
    state: "open",
    stateReason: null,
    labels: (options.labels ?? []).map((name) => state.label(repo, name)),
    assignees: [],
    createdAt: now,
    updatedAt: now,
    closedAt: null,
    closedBy: null,
    pull: {
      id: state.nextId("pull"),
      head: { sha: options.head.sha, ref: options.head.ref ?? "feature", repoFullName: headRepo },
      base: { sha: options.base.sha, ref: options.base.ref ?? repo.defaultBranch },
      draft: options.draft ?? false,
      merged: false,
      files: pullFiles(options.files ?? []),
      reviews: [],
    },
  };
  repo.issues.set(number, issue);
  return { number };
}

function pullFiles(files: readonly PullFileInput[]) {
  return files.map((file, index) => ({
    filename: file.filename,
    status: file.status ?? "modified",
    additions: file.additions ?? 1,
    deletions: file.deletions ?? 0,
    patch: file.patch,
    previousFilename: file.previous_filename,
    sha: (index + 1).toString(16).padStart(40, "0"),
  }));
}

/** A push to the pull request's branch (GitHub's `synchronize`): a new head commit and changed-file list. */
export function seedPush(state: EmulatorState, repo: RepoRecord, pullNumber: number, headSha: string, files: readonly PullFileInput[]): void {
  const issue = repo.issues.get(pullNumber);
  if (issue?.pull === undefined) throw new Error(`emulator: no pull request #${pullNumber}`);
  issue.pull.head.sha = headSha;
  issue.pull.files = pullFiles(files);
  issue.updatedAt = state.timestamp();
}

/** Submits a review on pull request `pullNumber` of `repo`. */
export function seedReview(state: EmulatorState, repo: RepoRecord, pullNumber: number, options: AddReviewOptions): { id: number } {
  const pull = repo.issues.get(pullNumber)?.pull;
  if (pull === undefined) throw new Error(`emulator: no pull request #${pullNumber}`);
  const review: ReviewRecord = {
    id: state.nextId("review"),
    user: state.user(options.user),
    state: options.state,
    body: options.body ?? "",
    commitId: options.commitId ?? pull.head.sha,
    submittedAt: options.submittedAt ?? state.timestamp(),
  };
  pull.reviews.push(review);
  return { id: review.id };
}
