/**
 * The sticky pull request comment: found by its hidden marker at the very start of a body written
 * by a bot account (a person quoting the marker is never edited), written only when what a
 * person sees changes, never over a newer run's comment, and never duplicated when GitHub loses
 * the answer to a create (the comments are re-listed before a create is retried).
 */
import { log } from "./log.js";
import { isStale, isStickyBody, nextHistory, parseCommentState, verdictOfBody, visibleBody, wrapComment, type CommentMeta, type HistoryEntry } from "../core/comment/envelope.js";
import type { ActionSettings } from "./inputs.js";
import { httpStatus, type Octokit } from "./octokit.js";
import type { WriteGuard } from "./writes.js";

/** Where the comment goes. */
export interface CommentTarget {
  readonly octokit: Octokit;
  readonly owner: string;
  readonly repo: string;
  readonly issueNumber: number;
  readonly marker: string;
}

/** What happened, for logs and tests. */
export type CommentOutcome = "created" | "updated" | "unchanged" | "stale" | "off" | "failed";

interface Listed {
  id: number;
  node_id: string;
  body?: string | undefined;
  user: { login: string; type: string } | null;
}

async function listSticky(target: CommentTarget): Promise<Listed[]> {
  const all = await target.octokit.paginate(target.octokit.rest.issues.listComments, { owner: target.owner, repo: target.repo, issue_number: target.issueNumber, per_page: 100 });
  return all.filter((c) => c.user?.type === "Bot" && isStickyBody(c.body ?? "", target.marker)) as Listed[];
}

const CREATE_ATTEMPTS = 3;

/** Creates a comment; after a 5xx or a lost answer, looks for it before trying again. */
async function createOnce(target: CommentTarget, body: string, meta: CommentMeta): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await target.octokit.rest.issues.createComment({ owner: target.owner, repo: target.repo, issue_number: target.issueNumber, body, request: { retries: 0 } });
      return;
    } catch (error) {
      const status = httpStatus(error);
      if (status !== undefined && status < 500) throw error;
      const found = (await listSticky(target)).some((c) => {
        const m = parseCommentState(c.body ?? "").meta;
        return m !== undefined && m.run === meta.run && m.started === meta.started && m.sha === meta.sha;
      });
      if (found) {
        log.info("The comment was created although GitHub answered with an error; not creating it again.");
        return;
      }
      if (attempt >= CREATE_ATTEMPTS) throw error;
      await new Promise((r) => setTimeout(r, attempt * attempt * 1000));
    }
  }
}

async function minimize(target: CommentTarget, nodeId: string): Promise<void> {
  await target.octokit.graphql("mutation($id: ID!) { minimizeComment(input: { subjectId: $id, classifier: OUTDATED }) { minimizedComment { isMinimized } } }", { id: nodeId });
}

/** What this run posts: the rendered content (content.ts) and what the envelope needs besides the history. */
export interface CommentPost {
  readonly meta: CommentMeta;
  readonly verdict: HistoryEntry["verdict"];
  readonly content: string;
  /** The Markdown line that links this run's artifact. */
  readonly runLink: string;
}

/**
 * Publishes the comment. The history is read from the previous comment.
 */
export async function publishComment(target: CommentTarget, guard: WriteGuard, mode: ActionSettings["comment"], parts: CommentPost, currentHead: string | undefined): Promise<CommentOutcome> {
  if (mode === "off") return "off";
  let existing: Listed[];
  try {
    existing = await listSticky(target);
  } catch (error) {
    log.warning(`Could not list the pull request's comments (${(error as Error).message}); not commenting.`);
    return "failed";
  }
  const latest = existing[existing.length - 1];
  const previous = latest === undefined ? { meta: undefined, history: [] as HistoryEntry[] } : parseCommentState(latest.body ?? "");
  if (isStale(parts.meta, previous.meta, currentHead)) {
    log.info(`A newer run already commented for ${previous.meta?.sha.slice(0, 7)}; leaving its comment.`);
    return "stale";
  }
  const mine: HistoryEntry = { sha: parts.meta.sha, verdict: parts.verdict, at: parts.meta.started, run: parts.meta.run };
  const history = nextHistory(previous.history, previous.meta, latest ? verdictOfBody(latest.body ?? "") : undefined, mine);
  const body = wrapComment(parts.content, { marker: target.marker, meta: parts.meta, runLink: parts.runLink, history });
  if (latest !== undefined && visibleBody(latest.body ?? "", previous.meta?.run) === visibleBody(body, parts.meta.run)) return "unchanged";
  if (mode === "update" && latest !== undefined) {
    const done = await guard.attempt("PR comment", () => target.octokit.rest.issues.updateComment({ owner: target.owner, repo: target.repo, comment_id: latest.id, body }));
    return done === undefined ? "failed" : "updated";
  }
  const created = await guard.attempt("PR comment", () => createOnce(target, body, parts.meta).then(() => true));
  if (created === undefined) return "failed";
  for (const old of existing) {
    if (mode === "hide-and-new") await guard.attempt("hide old comment", () => minimize(target, old.node_id));
    if (mode === "delete-and-new") await guard.attempt("delete old comment", () => target.octokit.rest.issues.deleteComment({ owner: target.owner, repo: target.repo, comment_id: old.id }));
  }
  return "created";
}
