/**
 * What a person would see, as plain data for assertions: comments (and whether they are
 * hidden), commit statuses, issues and uploaded artifacts with their files.
 */
import { nodeId } from "./representations.js";
import type { EmulatorState, RepoRecord } from "./state.js";
import { readZip } from "./zip-reader.js";

/** A comment as a person sees it, including whether it is hidden. */
export interface CommentView {
  id: number;
  nodeId: string;
  body: string;
  author: string;
  createdAt: string;
  updatedAt: string;
  /** `minimizedReason` if hidden through GraphQL (e.g. `outdated`), else undefined. */
  minimizedReason: string | undefined;
}

/** A commit status as created. */
export interface StatusView {
  context: string;
  state: "error" | "failure" | "pending" | "success";
  description: string | null;
  targetUrl: string | null;
  creator: string;
  createdAt: string;
}

/** An issue (not pull requests). */
export interface IssueView {
  number: number;
  title: string;
  body: string | null;
  state: "open" | "closed";
  labels: string[];
  author: string;
}

/** An uploaded artifact. */
export interface ArtifactView {
  id: number;
  name: string;
  runId: number;
  finalized: boolean;
  size: number;
  /** `sha256:<hex>` as finalized. */
  digest: string | undefined;
  /** The raw uploaded bytes (a zip unless uploaded with `skipArchive`). */
  content: Buffer | undefined;
  /** The zip's files by path; throws if the content is not a zip. */
  files(): Map<string, Buffer>;
}

/** Comments on an issue or pull request, oldest first. */
export function commentViews(repo: RepoRecord, issueNumber: number): CommentView[] {
  return [...repo.comments.values()]
    .filter((c) => c.issueNumber === issueNumber)
    .sort((a, b) => a.id - b.id)
    .map((c) => ({ id: c.id, nodeId: nodeId("IC", c.id), body: c.body, author: c.user.login, createdAt: c.createdAt, updatedAt: c.updatedAt, minimizedReason: c.minimizedReason }));
}

/** Statuses created for a commit, oldest first. */
export function statusViews(repo: RepoRecord, sha: string): StatusView[] {
  return repo.statuses
    .filter((s) => s.sha === sha.toLowerCase())
    .map((s) => ({ context: s.context, state: s.state, description: s.description, targetUrl: s.targetUrl, creator: s.creator.login, createdAt: s.createdAt }));
}

/** Issues (not pull requests), by number. */
export function issueViews(repo: RepoRecord): IssueView[] {
  return [...repo.issues.values()]
    .filter((i) => i.pull === undefined)
    .sort((a, b) => a.number - b.number)
    .map((i) => ({ number: i.number, title: i.title, body: i.body, state: i.state, labels: i.labels.map((l) => l.name), author: i.user.login }));
}

/** Artifacts in creation order, finalized or not. */
export function artifactViews(state: EmulatorState): ArtifactView[] {
  return state.artifacts.map((a) => ({
    id: a.id,
    name: a.name,
    runId: a.runId,
    finalized: a.finalized,
    size: a.content?.length ?? 0,
    digest: a.digest,
    content: a.content,
    files: () => {
      if (a.content === undefined) throw new Error(`emulator: artifact ${a.name} has no content`);
      return readZip(a.content);
    },
  }));
}
