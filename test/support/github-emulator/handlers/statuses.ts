/**
 * Commit statuses: create, the combined status of a ref, and the list of statuses of a ref.
 */
import { renderMinimalRepo, renderStatus } from "../representations.js";
import type { RepoRecord, StatusRecord } from "../state.js";
import { GitHubHttpError, paginate, requireRepo, validationFailed, type HandlerContext, type RestHandler } from "./context.js";

/** GitHub keeps at most this many statuses per sha and context. */
export const MAX_STATUSES_PER_CONTEXT = 1000;

/** Resolves a ref (a sha, or a branch named by a pull request) to a sha, or answers 422 like GitHub. */
function resolveRef(ctx: HandlerContext, repo: RepoRecord): string {
  const ref = String(ctx.params["ref"]);
  if (/^[0-9a-f]{7,40}$/i.test(ref)) {
    const full = ref.length === 40 ? ref : [...knownShas(repo)].find((sha) => sha.startsWith(ref.toLowerCase()));
    if (full !== undefined) return full.toLowerCase();
  }
  const branch = ref.replace(/^(refs\/)?heads\//, "");
  for (const issue of repo.issues.values()) {
    if (issue.pull?.head.ref === branch) return issue.pull.head.sha;
    if (issue.pull?.base.ref === branch) return issue.pull.base.sha;
  }
  throw new GitHubHttpError(422, { message: `No commit found for SHA: ${ref}`, documentation_url: ctx.documentationUrl, status: "422" });
}

function knownShas(repo: RepoRecord): Set<string> {
  const shas = new Set(repo.statuses.map((s) => s.sha));
  for (const issue of repo.issues.values()) {
    if (issue.pull !== undefined) shas.add(issue.pull.head.sha).add(issue.pull.base.sha);
  }
  return shas;
}

/** The newest status of each context (contexts compare case-insensitively), newest first. */
function latestPerContext(statuses: readonly StatusRecord[]): StatusRecord[] {
  const seen = new Set<string>();
  const latest: StatusRecord[] = [];
  for (const status of [...statuses].reverse()) {
    const key = status.context.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    latest.push(status);
  }
  return latest;
}

/** GitHub's rule: failure if any error/failure, pending if none or any pending, else success. */
function combinedState(latest: readonly StatusRecord[]): StatusRecord["state"] {
  if (latest.some((s) => s.state === "error" || s.state === "failure")) return "failure";
  if (latest.length === 0 || latest.some((s) => s.state === "pending")) return "pending";
  return "success";
}

/** Handlers for commit statuses. */
export const statusHandlers: readonly RestHandler[] = [
  {
    operationId: "repos/create-commit-status",
    permission: { anyOf: ["statuses"], level: "write" },
    handle(ctx) {
      const repo = requireRepo(ctx);
      const sha = String(ctx.params["sha"]).toLowerCase();
      if (!/^[0-9a-f]{40}$/.test(sha)) {
        throw new GitHubHttpError(422, { message: `No commit found for SHA: ${sha}`, documentation_url: ctx.documentationUrl, status: "422" });
      }
      const context = typeof ctx.body["context"] === "string" ? ctx.body["context"] : "default";
      const sameContext = repo.statuses.filter((s) => s.sha === sha && s.context.toLowerCase() === context.toLowerCase()).length;
      if (sameContext >= MAX_STATUSES_PER_CONTEXT) {
        throw validationFailed(ctx, { resource: "Status", code: "custom", field: "context", message: "This SHA and context has reached the maximum number of statuses." });
      }
      const status: StatusRecord = {
        id: ctx.state.nextId("status"),
        sha,
        state: ctx.body["state"] as StatusRecord["state"],
        context,
        description: typeof ctx.body["description"] === "string" ? ctx.body["description"] : null,
        targetUrl: typeof ctx.body["target_url"] === "string" ? ctx.body["target_url"] : null,
        creator: ctx.caller,
        createdAt: ctx.state.timestamp(),
      };
      repo.statuses.push(status);
      const rendered = renderStatus(ctx.urls, repo, status);
      return { status: 201, body: rendered, headers: { location: String(rendered["url"]) } };
    },
  },
  {
    operationId: "repos/get-combined-status-for-ref",
    permission: { anyOf: ["statuses"], level: "read" },
    handle(ctx) {
      const repo = requireRepo(ctx);
      const sha = resolveRef(ctx, repo);
      const latest = latestPerContext(repo.statuses.filter((s) => s.sha === sha));
      const { page, headers } = paginate(ctx, latest);
      const repoApi = `${ctx.urls.api}/repos/${repo.owner.login}/${repo.name}`;
      return {
        status: 200,
        headers,
        body: {
          state: combinedState(latest),
          statuses: page.map((s) => renderStatus(ctx.urls, repo, s, true)),
          sha,
          total_count: latest.length,
          repository: renderMinimalRepo(ctx.urls, repo),
          commit_url: `${repoApi}/commits/${sha}`,
          url: `${repoApi}/commits/${sha}/status`,
        },
      };
    },
  },
  {
    operationId: "repos/list-commit-statuses-for-ref",
    permission: { anyOf: ["statuses"], level: "read" },
    handle(ctx) {
      const repo = requireRepo(ctx);
      const sha = resolveRef(ctx, repo);
      const all = repo.statuses.filter((s) => s.sha === sha).reverse();
      const { page, headers } = paginate(ctx, all);
      return { status: 200, body: page.map((s) => renderStatus(ctx.urls, repo, s)), headers };
    },
  },
];
