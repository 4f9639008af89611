/**
 * Issue and pull request conversation comments: list, create, update, delete.
 */
import { renderComment } from "../representations.js";
import type { CommentRecord, RepoRecord } from "../state.js";
import { notFound, paginate, requireRepo, validationFailed, type HandlerContext, type RestHandler } from "./context.js";

/** GitHub refuses comment bodies longer than this many characters (Unicode code points). */
export const MAX_COMMENT_BODY = 65536;

// Comments on pull requests may be written with either permission; GitHub accepts both.
const read = { anyOf: ["issues", "pull_requests"], level: "read" } as const;
const write = { anyOf: ["issues", "pull_requests"], level: "write" } as const;

function checkBodyLength(ctx: HandlerContext, body: string): void {
  if ([...body].length > MAX_COMMENT_BODY) {
    // The exact shape GitHub answers today (e.g. vebr/jest-lcov-reporter#14, reg-viz/reg-actions#123).
    throw validationFailed(ctx, { resource: "IssueComment", code: "unprocessable", field: "data", message: `Body is too long (maximum is ${MAX_COMMENT_BODY} characters)` });
  }
}

function requireComment(ctx: HandlerContext): { repo: RepoRecord; comment: CommentRecord } {
  const repo = requireRepo(ctx);
  const comment = repo.comments.get(Number(ctx.params["comment_id"]));
  if (comment === undefined) throw notFound(ctx);
  return { repo, comment };
}

/** Handlers for issue comments. */
export const commentHandlers: readonly RestHandler[] = [
  {
    operationId: "issues/list-comments",
    permission: read,
    handle(ctx) {
      const repo = requireRepo(ctx);
      const number = Number(ctx.params["issue_number"]);
      if (!repo.issues.has(number)) throw notFound(ctx);
      const since = typeof ctx.query["since"] === "string" ? ctx.query["since"] : undefined;
      const comments = [...repo.comments.values()]
        .filter((c) => c.issueNumber === number && (since === undefined || c.updatedAt >= since))
        .sort((a, b) => a.id - b.id);
      const { page, headers } = paginate(ctx, comments);
      return { status: 200, body: page.map((c) => renderComment(ctx.urls, repo, c)), headers };
    },
  },
  {
    operationId: "issues/create-comment",
    permission: write,
    handle(ctx) {
      const repo = requireRepo(ctx);
      const number = Number(ctx.params["issue_number"]);
      if (!repo.issues.has(number)) throw notFound(ctx);
      const body = String(ctx.body["body"]);
      checkBodyLength(ctx, body);
      const now = ctx.state.timestamp();
      const comment: CommentRecord = {
        id: ctx.state.nextId("comment"),
        issueNumber: number,
        body,
        user: ctx.caller,
        createdAt: now,
        updatedAt: now,
        minimizedReason: undefined,
      };
      repo.comments.set(comment.id, comment);
      const rendered = renderComment(ctx.urls, repo, comment);
      return { status: 201, body: rendered, headers: { location: String(rendered["url"]) } };
    },
  },
  {
    operationId: "issues/update-comment",
    permission: write,
    handle(ctx) {
      const { repo, comment } = requireComment(ctx);
      const body = String(ctx.body["body"]);
      checkBodyLength(ctx, body);
      comment.body = body;
      comment.updatedAt = ctx.state.timestamp();
      return { status: 200, body: renderComment(ctx.urls, repo, comment) };
    },
  },
  {
    operationId: "issues/delete-comment",
    permission: write,
    handle(ctx) {
      const { repo, comment } = requireComment(ctx);
      repo.comments.delete(comment.id);
      return { status: 204 };
    },
  },
];
