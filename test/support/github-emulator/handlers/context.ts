/**
 * What a REST handler receives and returns, GitHub's error shapes, and GitHub's pagination.
 */
import type { PermissionRequirement, TokenRecord } from "../auth.js";
import type { Urls } from "../representations.js";
import type { ArtifactRecord, EmulatorState, RepoRecord, UserRecord } from "../state.js";

/** Inputs of one validated REST request. */
export interface HandlerContext {
  state: EmulatorState;
  urls: Urls;
  /** Path parameters, coerced to their declared types. */
  params: Record<string, unknown>;
  /** Query parameters, coerced to their declared types. */
  query: Record<string, unknown>;
  /** Parsed JSON body (already checked against the description). */
  body: Record<string, unknown>;
  token: TokenRecord;
  caller: UserRecord;
  /** The full request URL, for `Link` headers. */
  requestUrl: URL;
  /** The operation's documentation link, used in error bodies as GitHub does. */
  documentationUrl: string;
  /** A short-lived signed blob URL to download the artifact's zip (what the archive redirect points to). */
  signDownloadUrl(artifact: ArtifactRecord): string;
}

/** A handler's answer. */
export interface HandlerResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** One emulated REST operation. */
export interface RestHandler {
  /** `operationId` in GitHub's description, e.g. `issues/create-comment`. */
  operationId: string;
  /** Permission the token needs; GitHub refuses with 403 "Resource not accessible by integration" otherwise. */
  permission: PermissionRequirement;
  /**
   * GitHub answers 404 Not Found instead of 403 when a token without the permission asks for
   * something it may not even know exists: org team endpoints for `GITHUB_TOKEN` or an app
   * without `members: read` (actions/github-script#518, pozil/auto-assign-issue#91).
   */
  hiddenWithoutPermission?: boolean;
  handle(ctx: HandlerContext): HandlerResult;
}

/** An error answer in GitHub's shape; thrown by handlers, rendered by the router. */
export class GitHubHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(String(body["message"]));
  }
}

/** 404 Not Found as GitHub words it. */
export function notFound(ctx: Pick<HandlerContext, "documentationUrl">, message = "Not Found"): GitHubHttpError {
  return new GitHubHttpError(404, { message, documentation_url: ctx.documentationUrl, status: "404" });
}

/** 422 Validation Failed with one entry in `errors`, as GitHub answers field-level problems. */
export function validationFailed(
  ctx: Pick<HandlerContext, "documentationUrl">,
  error: { resource: string; field: string; code: string; message?: string },
): GitHubHttpError {
  return new GitHubHttpError(422, { message: "Validation Failed", errors: [error], documentation_url: ctx.documentationUrl, status: "422" });
}

/** The repository named by `{owner}/{repo}`, or 404. */
export function requireRepo(ctx: HandlerContext): RepoRecord {
  const repo = ctx.state.repo(String(ctx.params["owner"]), String(ctx.params["repo"]));
  if (repo === undefined) throw notFound(ctx);
  return repo;
}

/** GitHub's default and maximum page sizes. */
export const DEFAULT_PER_PAGE = 30;
export const MAX_PER_PAGE = 100;

/**
 * One page of `items` and GitHub's `Link` header (`prev`, `next`, `last`, `first`, in that order,
 * each keeping the request's other query parameters). `cap` limits how many items are reachable at
 * all, like the 3000-file limit of the pull request files listing.
 */
export function paginate<T>(ctx: HandlerContext, items: readonly T[], cap = Number.POSITIVE_INFINITY): { page: T[]; headers: Record<string, string> } {
  const perPage = Math.min(Math.max(Number(ctx.query["per_page"] ?? DEFAULT_PER_PAGE), 1), MAX_PER_PAGE);
  const pageNumber = Math.max(Number(ctx.query["page"] ?? 1), 1);
  const reachable = items.slice(0, Math.min(items.length, cap));
  const lastPage = Math.max(1, Math.ceil(reachable.length / perPage));
  const page = reachable.slice((pageNumber - 1) * perPage, pageNumber * perPage);
  const linkTo = (target: number): string => {
    const url = new URL(ctx.requestUrl.href);
    url.searchParams.set("page", String(target));
    return `<${url.href}>`;
  };
  const links: string[] = [];
  if (pageNumber > 1) links.push(`${linkTo(Math.min(pageNumber - 1, lastPage))}; rel="prev"`);
  if (pageNumber < lastPage) links.push(`${linkTo(pageNumber + 1)}; rel="next"`, `${linkTo(lastPage)}; rel="last"`);
  if (pageNumber > 1) links.push(`${linkTo(1)}; rel="first"`);
  return { page, headers: links.length === 0 ? {} : { link: links.join(", ") } };
}
