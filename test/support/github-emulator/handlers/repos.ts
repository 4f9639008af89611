/**
 * The repository itself and its Actions artifacts as REST shows them (uploaded through the
 * results service, listed and downloaded here).
 */
import { hasPermission } from "../auth.js";
import { nodeId, renderFullRepo } from "../representations.js";
import type { ArtifactRecord, RepoRecord } from "../state.js";
import { GitHubHttpError, notFound, paginate, requireRepo, type HandlerContext, type RestHandler } from "./context.js";

function renderArtifact(ctx: HandlerContext, repo: RepoRecord, artifact: ArtifactRecord): Record<string, unknown> {
  const url = `${ctx.urls.api}/repos/${repo.owner.login}/${repo.name}/actions/artifacts/${artifact.id}`;
  const run = [...ctx.state.runs.values()].find((r) => r.runBackendId === artifact.runBackendId);
  return {
    id: artifact.id,
    node_id: nodeId("MDg6QXJ0aWZhY3Q", artifact.id),
    name: artifact.name,
    size_in_bytes: artifact.content?.length ?? 0,
    url,
    archive_download_url: `${url}/zip`,
    expired: Date.parse(artifact.expiresAt) < ctx.state.now().getTime(),
    created_at: artifact.createdAt,
    expires_at: artifact.expiresAt,
    updated_at: artifact.createdAt,
    digest: artifact.digest ?? null,
    workflow_run: {
      id: artifact.runId,
      repository_id: repo.id,
      head_repository_id: repo.id,
      head_branch: run?.headBranch ?? repo.defaultBranch,
      head_sha: run?.headSha ?? "0".repeat(40),
    },
  };
}

/** Finalized artifacts of the repository, newest first, as REST lists them. */
function listed(ctx: HandlerContext, repo: RepoRecord, keep: (a: ArtifactRecord) => boolean): ArtifactRecord[] {
  const fullName = `${repo.owner.login}/${repo.name}`.toLowerCase();
  return ctx.state.artifacts.filter((a) => a.finalized && a.repoFullName.toLowerCase() === fullName && keep(a)).sort((a, b) => b.id - a.id);
}

function artifactList(ctx: HandlerContext, repo: RepoRecord, artifacts: ArtifactRecord[]): { status: number; body: unknown; headers: Record<string, string> } {
  const { page, headers } = paginate(ctx, artifacts);
  return { status: 200, body: { total_count: artifacts.length, artifacts: page.map((a) => renderArtifact(ctx, repo, a)) }, headers };
}

const actionsRead = { anyOf: ["actions"], level: "read" } as const;

/** Handlers for the repository and its artifacts. */
export const repoHandlers: readonly RestHandler[] = [
  {
    operationId: "repos/get",
    permission: { anyOf: ["metadata"], level: "read" },
    handle(ctx) {
      const repo = requireRepo(ctx);
      const push = hasPermission(ctx.token, { anyOf: ["contents"], level: "write" });
      return { status: 200, body: renderFullRepo(ctx.urls, repo, { admin: false, maintain: false, push, triage: push, pull: true }) };
    },
  },
  {
    operationId: "actions/list-artifacts-for-repo",
    permission: actionsRead,
    handle(ctx) {
      const repo = requireRepo(ctx);
      const name = typeof ctx.query["name"] === "string" ? ctx.query["name"] : undefined;
      return artifactList(ctx, repo, listed(ctx, repo, (a) => name === undefined || a.name === name));
    },
  },
  {
    operationId: "actions/list-workflow-run-artifacts",
    permission: actionsRead,
    handle(ctx) {
      const repo = requireRepo(ctx);
      const name = typeof ctx.query["name"] === "string" ? ctx.query["name"] : undefined;
      const runId = Number(ctx.params["run_id"]);
      return artifactList(ctx, repo, listed(ctx, repo, (a) => a.runId === runId && (name === undefined || a.name === name)));
    },
  },
  {
    operationId: "actions/get-artifact",
    permission: actionsRead,
    handle(ctx) {
      const repo = requireRepo(ctx);
      const artifact = listed(ctx, repo, (a) => a.id === Number(ctx.params["artifact_id"]))[0];
      if (artifact === undefined) throw notFound(ctx);
      return { status: 200, body: renderArtifact(ctx, repo, artifact) };
    },
  },
  {
    operationId: "actions/download-artifact",
    permission: actionsRead,
    handle(ctx) {
      const repo = requireRepo(ctx);
      const artifact = listed(ctx, repo, (a) => a.id === Number(ctx.params["artifact_id"]))[0];
      if (artifact === undefined || ctx.params["archive_format"] !== "zip") throw notFound(ctx);
      if (Date.parse(artifact.expiresAt) < ctx.state.now().getTime()) {
        throw new GitHubHttpError(410, { message: "Artifact has expired", documentation_url: ctx.documentationUrl, status: "410" });
      }
      return { status: 302, headers: { location: ctx.signDownloadUrl(artifact) } };
    },
  },
];
