/**
 * Programmable failures: a test says which requests (method + path) fail, how many times,
 * and how — a plain status, GitHub's rate limits, or "the write happened but the answer was lost".
 */

/** What a matched request gets instead of (or after) its normal handling. */
export type FaultResponse =
  /** Answer `status` with a GitHub-style error body; the request has no effect. */
  | { type: "status"; status: number; message?: string; headers?: Record<string, string> }
  /** 403 with GitHub's secondary-rate-limit text and `retry-after` (what plugin-throttling keys on). */
  | { type: "secondary-rate-limit"; retryAfterSeconds: number }
  /** 429 Too Many Requests with `retry-after`. */
  | { type: "too-many-requests"; retryAfterSeconds: number }
  /** 403 "API rate limit exceeded" with `x-ratelimit-remaining: 0` and `x-ratelimit-reset` `resetInSeconds` from now. */
  | { type: "primary-rate-limit"; resetInSeconds: number }
  /**
   * Performs the request (e.g. creates the comment), then answers `status` (default 502) as if a
   * proxy lost the response, so a client that blindly retries creates a duplicate.
   */
  | { type: "error-after-effect"; status?: number };

/** Which requests a fault applies to, and how often. */
export interface FaultRule {
  /** HTTP verb, or `*` for any. */
  method: string;
  /**
   * An OpenAPI path template exactly as in GitHub's description
   * (`/repos/{owner}/{repo}/issues/{issue_number}/comments`), a literal path
   * (`/twirp/github.actions.results.api.v1.ArtifactService/FinalizeArtifact`), or a RegExp on the path.
   */
  path: string | RegExp;
  /** How many matching requests fail; default 1. `Infinity` for all. */
  times?: number;
  /** Let this many matching requests through before failing; default 0. */
  skip?: number;
  respond: FaultResponse;
}

/** Live view of a fault rule, to assert it actually fired. */
export interface FaultHandle {
  /** Matching requests that received the fault. */
  readonly hits: number;
  /** Matching requests seen in total (including skipped and those after the fault ran out). */
  readonly seen: number;
}

interface ActiveFault extends FaultHandle {
  rule: FaultRule;
  hits: number;
  seen: number;
}

/** The ordered set of fault rules of one emulator. */
export class FaultBook {
  private readonly faults: ActiveFault[] = [];

  /** Adds a rule; earlier rules win when several match. */
  add(rule: FaultRule): FaultHandle {
    const fault: ActiveFault = { rule, hits: 0, seen: 0 };
    this.faults.push(fault);
    return fault;
  }

  /** Removes every rule. */
  clear(): void {
    this.faults.length = 0;
  }

  /** The fault for this request, if one applies now (and counts it). */
  take(method: string, pathname: string, template: string | undefined): FaultResponse | undefined {
    for (const fault of this.faults) {
      if (!matches(fault.rule, method, pathname, template)) continue;
      fault.seen += 1;
      const skip = fault.rule.skip ?? 0;
      const times = fault.rule.times ?? 1;
      if (fault.seen <= skip || fault.hits >= times) continue;
      fault.hits += 1;
      return fault.rule.respond;
    }
    return undefined;
  }
}

function matches(rule: FaultRule, method: string, pathname: string, template: string | undefined): boolean {
  if (rule.method !== "*" && rule.method.toUpperCase() !== method) return false;
  if (rule.path instanceof RegExp) return rule.path.test(pathname);
  return rule.path === pathname || (template !== undefined && rule.path === template);
}
