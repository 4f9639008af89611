/**
 * Tokens, their permissions and their primary rate-limit budget, and how GitHub refuses
 * a call: 401 without valid credentials, 403 (or 404) without the needed permission.
 */

/** Permission names, as in a workflow's `permissions:` block or a GitHub App installation. */
export type PermissionName = "metadata" | "contents" | "pull_requests" | "issues" | "statuses" | "actions" | "checks" | "members";

/** Access level of one permission. */
export type AccessLevel = "none" | "read" | "write";

/** How a token is configured by a test. */
export interface TokenOptions {
  /** Account the token acts as; defaults to `github-actions[bot]` (what `GITHUB_TOKEN` writes as). */
  login?: string;
  /** Granted permissions; anything missing is `none`. `metadata` is always at least `read`. */
  permissions: Partial<Record<PermissionName, AccessLevel>>;
  /**
   * How GitHub refuses a call the token lacks permission for. `integration` (GitHub App or
   * `GITHUB_TOKEN`): 403 "Resource not accessible by integration" with `x-accepted-github-permissions`.
   * `personal-access-token`: reads answer 404 "Not Found" because GitHub hides what the token may
   * not see; writes answer 403 "Resource not accessible by personal access token".
   * Org team endpoints answer 404 without `members: read` whatever the style (see `hiddenWithoutPermission`).
   */
  refusal?: "integration" | "personal-access-token";
  /** Primary rate limit per hour (`x-ratelimit-limit`); default 5000. */
  rateLimit?: number;
}

/** Ready-made permission sets that match what GitHub gives `GITHUB_TOKEN`. */
export const TOKEN_PRESETS = {
  /** `pull_request` from a branch of the same repository with write permissions for the gate's surfaces. */
  sameRepoPullRequest: {
    permissions: { metadata: "read", contents: "read", pull_requests: "write", issues: "write", statuses: "write", actions: "read", checks: "write" },
  },
  /** `pull_request` from a fork: GitHub downgrades every permission to read. */
  forkPullRequest: {
    permissions: { metadata: "read", contents: "read", pull_requests: "read", issues: "read", statuses: "read", actions: "read", checks: "read" },
  },
  /** An org-scoped token that may also read team membership (`members: read`, classic `read:org`). */
  withOrgRead: {
    permissions: {
      metadata: "read", contents: "read", pull_requests: "write", issues: "write", statuses: "write", actions: "read", checks: "write", members: "read",
    },
  },
} as const satisfies Record<string, TokenOptions>;

/** A configured token with its live rate-limit counters. */
export interface TokenRecord {
  value: string;
  login: string;
  permissions: Partial<Record<PermissionName, AccessLevel>>;
  refusal: "integration" | "personal-access-token";
  limit: number;
  used: number;
  /** Epoch seconds when the window resets. */
  resetAt: number;
}

/** A permission an operation needs; any one of `anyOf` suffices (GitHub accepts issues or pull_requests on PR comments). */
export interface PermissionRequirement {
  anyOf: readonly PermissionName[];
  level: "read" | "write";
}

/** The credential in an `Authorization` header (`token X` or `Bearer X`), or undefined. */
export function parseAuthorization(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^(?:token|bearer)\s+(\S+)$/i.exec(header.trim());
  return match?.[1];
}

/** Whether the token has the required level of at least one of the permissions. */
export function hasPermission(token: TokenRecord, requirement: PermissionRequirement): boolean {
  return requirement.anyOf.some((name) => {
    const granted = name === "metadata" ? "read" : token.permissions[name] ?? "none";
    const level = name === "metadata" && token.permissions.metadata === "write" ? "write" : granted;
    return requirement.level === "read" ? level === "read" || level === "write" : level === "write";
  });
}

/** Rate-limit headers for the token (or the 60/hour unauthenticated budget), after counting this request. */
export function rateLimitHeaders(token: TokenRecord | undefined, nowSeconds: number, resource: "core" | "graphql"): Record<string, string> {
  if (token === undefined) {
    return {
      "x-ratelimit-limit": "60",
      "x-ratelimit-remaining": "59",
      "x-ratelimit-reset": String(nowSeconds + 3600),
      "x-ratelimit-used": "1",
      "x-ratelimit-resource": resource,
    };
  }
  return {
    "x-ratelimit-limit": String(token.limit),
    "x-ratelimit-remaining": String(Math.max(0, token.limit - token.used)),
    "x-ratelimit-reset": String(token.resetAt),
    "x-ratelimit-used": String(token.used),
    "x-ratelimit-resource": resource,
  };
}

/** Counts one request against the token's hourly budget, opening a new window when the old one expired. */
export function spendRateLimit(token: TokenRecord, nowSeconds: number): void {
  if (nowSeconds >= token.resetAt) {
    token.used = 0;
    token.resetAt = nowSeconds + 3600;
  }
  token.used += 1;
}
