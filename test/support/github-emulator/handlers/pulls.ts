/**
 * Pull requests: get one, list its files (capped at 3000 like GitHub) and its reviews.
 */
import { renderFile, renderPull, renderReview } from "../representations.js";
import type { IssueRecord, PullRecord, RepoRecord } from "../state.js";
import { notFound, paginate, requireRepo, type HandlerContext, type RestHandler } from "./context.js";

/** GitHub stops listing a pull request's files after this many. */
export const MAX_PULL_FILES = 3000;

function requirePull(ctx: HandlerContext): { repo: RepoRecord; issue: IssueRecord & { pull: PullRecord } } {
  const repo = requireRepo(ctx);
  const issue = repo.issues.get(Number(ctx.params["pull_number"]));
  if (issue?.pull === undefined) throw notFound(ctx);
  return { repo, issue: issue as IssueRecord & { pull: PullRecord } };
}

const read = { anyOf: ["pull_requests"], level: "read" } as const;

/** Handlers for pull request reads. */
export const pullHandlers: readonly RestHandler[] = [
  {
    operationId: "pulls/get",
    permission: read,
    handle(ctx) {
      const { repo, issue } = requirePull(ctx);
      const [owner = "", name = ""] = issue.pull.head.repoFullName.split("/");
      const headRepo = ctx.state.repo(owner, name) ?? repo;
      return { status: 200, body: renderPull(ctx.urls, repo, headRepo, issue) };
    },
  },
  {
    operationId: "pulls/list-files",
    permission: read,
    handle(ctx) {
      const { repo, issue } = requirePull(ctx);
      const { page, headers } = paginate(ctx, issue.pull.files, MAX_PULL_FILES);
      return { status: 200, body: page.map((file) => renderFile(ctx.urls, repo, issue.pull.head.sha, file)), headers };
    },
  },
  {
    operationId: "pulls/list-reviews",
    permission: read,
    handle(ctx) {
      const { repo, issue } = requirePull(ctx);
      // Reviews come back oldest first (chronological), as GitHub lists them.
      const { page, headers } = paginate(ctx, issue.pull.reviews);
      return { status: 200, body: page.map((review) => renderReview(ctx.urls, repo, issue.number, review)), headers };
    },
  },
];
