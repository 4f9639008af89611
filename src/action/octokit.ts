/**
 * The REST client: @actions/github's getOctokit with plugin-retry (5xx and 429 with backoff) and
 * plugin-throttling (primary and secondary rate limits, honouring `retry-after`), as GitHub
 * documents for integrations. Creates are sent without automatic retry: see comment.ts.
 */
import { log } from "./log.js";
import { getOctokit } from "@actions/github";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";

/** Waits longer than this are not worth holding a runner for: fail the call and report it. */
const MAX_RATE_LIMIT_WAIT_S = 120;
const MAX_RATE_LIMIT_RETRIES = 3;

/**
 * A REST client for the workflow's token. GITHUB_API_URL is read here, when the client is made:
 * @actions/github reads it once when it is loaded, so a second run of the Action in one process
 * (the in-process tests, each against its own emulator) would otherwise call the first one's API.
 */
export function setupOctokit(token: string, apiUrl: string = process.env["GITHUB_API_URL"] || "https://api.github.com") {
  return getOctokit(
    token,
    {
      baseUrl: apiUrl,
      throttle: {
        onRateLimit: (retryAfter: number, options: { method?: string; url?: string }, _octokit: unknown, retryCount: number) => {
          log.warning(`GitHub API rate limit reached on ${options.method ?? ""} ${options.url ?? ""}; retry ${retryCount + 1} in ${retryAfter}s`);
          return retryCount < MAX_RATE_LIMIT_RETRIES && retryAfter <= MAX_RATE_LIMIT_WAIT_S;
        },
        onSecondaryRateLimit: (retryAfter: number, options: { method?: string; url?: string }, _octokit: unknown, retryCount: number) => {
          log.warning(`GitHub API secondary rate limit on ${options.method ?? ""} ${options.url ?? ""}; retry ${retryCount + 1} in ${retryAfter}s`);
          return retryCount < MAX_RATE_LIMIT_RETRIES && retryAfter <= MAX_RATE_LIMIT_WAIT_S;
        },
      },
      retry: { retries: 3 },
    },
    retry,
    throttling,
  );
}

/** The client type, derived rather than hand-written. */
export type Octokit = ReturnType<typeof setupOctokit>;

/** HTTP status of an Octokit error, if it is one. */
export function httpStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}
