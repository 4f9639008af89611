/**
 * Issues: create, update, get and list with GitHub's filters (state, labels, creator) and sort.
 */
import { renderIssue } from "../representations.js";
import type { IssueRecord, RepoRecord } from "../state.js";
import { MAX_COMMENT_BODY } from "./comments.js";
import { notFound, paginate, requireRepo, validationFailed, type HandlerContext, type RestHandler } from "./context.js";

function requireIssue(ctx: HandlerContext): { repo: RepoRecord; issue: IssueRecord } {
  const repo = requireRepo(ctx);
  const issue = repo.issues.get(Number(ctx.params["issue_number"]));
  if (issue === undefined) throw notFound(ctx);
  return { repo, issue };
}

/** Issue bodies share the comment limit; GitHub words this one differently (oke-py/npm-audit-action#170). */
function checkBodyLength(ctx: HandlerContext, body: unknown): void {
  if (typeof body === "string" && [...body].length > MAX_COMMENT_BODY) {
    throw validationFailed(ctx, { resource: "Issue", code: "custom", field: "body", message: `body is too long (maximum is ${MAX_COMMENT_BODY} characters)` });
  }
}

function labelNames(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.map((label: unknown) => (typeof label === "string" ? label : String((label as { name?: unknown }).name ?? "")));
}

function byCreatedAtThenNumber(a: IssueRecord, b: IssueRecord): number {
  return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.number - b.number;
}

function byUpdatedAtThenNumber(a: IssueRecord, b: IssueRecord): number {
  return a.updatedAt < b.updatedAt ? -1 : a.updatedAt > b.updatedAt ? 1 : a.number - b.number;
}

/** Handlers for issues. */
export const issueHandlers: readonly RestHandler[] = [
  {
    operationId: "issues/create",
    permission: { anyOf: ["issues"], level: "write" },
    handle(ctx) {
      const repo = requireRepo(ctx);
      checkBodyLength(ctx, ctx.body["body"]);
      const now = ctx.state.timestamp();
      const issue: IssueRecord = {
        id: ctx.state.nextId("issue"),
        number: ctx.state.nextNumber(repo),
        title: String(ctx.body["title"]),
        body: typeof ctx.body["body"] === "string" ? ctx.body["body"] : null,
        user: ctx.caller,
        state: "open",
        stateReason: null,
        labels: labelNames(ctx.body["labels"]).map((name) => ctx.state.label(repo, name)),
        assignees: (Array.isArray(ctx.body["assignees"]) ? (ctx.body["assignees"] as string[]) : []).map((login) => ctx.state.user(login)),
        createdAt: now,
        updatedAt: now,
        closedAt: null,
        closedBy: null,
        pull: undefined,
      };
      repo.issues.set(issue.number, issue);
      const rendered = renderIssue(ctx.urls, repo, issue);
      return { status: 201, body: rendered, headers: { location: String(rendered["url"]) } };
    },
  },
  {
    operationId: "issues/get",
    permission: { anyOf: ["issues"], level: "read" },
    handle(ctx) {
      const { repo, issue } = requireIssue(ctx);
      return { status: 200, body: renderIssue(ctx.urls, repo, issue) };
    },
  },
  {
    operationId: "issues/update",
    permission: { anyOf: ["issues"], level: "write" },
    handle(ctx) {
      const { repo, issue } = requireIssue(ctx);
      const body = ctx.body;
      checkBodyLength(ctx, body["body"]);
      if (typeof body["title"] === "string" || typeof body["title"] === "number") issue.title = String(body["title"]);
      if ("body" in body) issue.body = typeof body["body"] === "string" ? body["body"] : null;
      if ("labels" in body) issue.labels = labelNames(body["labels"]).map((name) => ctx.state.label(repo, name));
      if (Array.isArray(body["assignees"])) issue.assignees = (body["assignees"] as string[]).map((login) => ctx.state.user(login));
      const now = ctx.state.timestamp();
      if (body["state"] === "closed" && issue.state === "open") {
        issue.state = "closed";
        issue.closedAt = now;
        issue.closedBy = ctx.caller;
        issue.stateReason = (body["state_reason"] as IssueRecord["stateReason"] | undefined) ?? "completed";
      } else if (body["state"] === "open" && issue.state === "closed") {
        issue.state = "open";
        issue.closedAt = null;
        issue.closedBy = null;
        issue.stateReason = "reopened";
      }
      issue.updatedAt = now;
      return { status: 200, body: renderIssue(ctx.urls, repo, issue) };
    },
  },
  {
    operationId: "issues/list-for-repo",
    permission: { anyOf: ["issues"], level: "read" },
    handle(ctx) {
      const repo = requireRepo(ctx);
      const state = (ctx.query["state"] as string | undefined) ?? "open";
      const wanted = typeof ctx.query["labels"] === "string" ? ctx.query["labels"].split(",").map((l) => l.trim().toLowerCase()).filter((l) => l !== "") : [];
      const creator = typeof ctx.query["creator"] === "string" ? ctx.query["creator"].toLowerCase() : undefined;
      const sort = ctx.query["sort"] === "updated" ? byUpdatedAtThenNumber : byCreatedAtThenNumber;
      const issues = [...repo.issues.values()]
        .filter((issue) => state === "all" || issue.state === state)
        .filter((issue) => wanted.every((name) => issue.labels.some((label) => label.name.toLowerCase() === name)))
        .filter((issue) => creator === undefined || issue.user.login.toLowerCase() === creator)
        .sort(sort);
      if (ctx.query["direction"] !== "asc") issues.reverse();
      const { page, headers } = paginate(ctx, issues);
      return { status: 200, body: page.map((issue) => renderIssue(ctx.urls, repo, issue)), headers };
    },
  },
];
