/**
 * The emulator's log: every request in order with its answer, and every contract violation
 * (a request or response that does not match GitHub's description or the toolkit's protocol).
 */

/** Which surface a request hit. */
export type Surface = "rest" | "graphql" | "twirp" | "blob";

/** One request as the emulator saw and answered it. */
export interface RecordedRequest {
  /** 1-based order of arrival. */
  seq: number;
  surface: Surface;
  method: string;
  /** Path without query. */
  path: string;
  /** Query parameters (last value wins for repeated keys). */
  query: Record<string, string>;
  /** Parsed JSON body, raw text for non-JSON, or byte count for blob uploads. */
  body: unknown;
  status: number;
  /** `operationId` in GitHub's description, the twirp method, or the blob operation. */
  operation: string | undefined;
  /** The answer's JSON body, when it had one. */
  responseBody: unknown;
  /** Set when a fault rule decided the answer. */
  fault: string | undefined;
}

/** A request or response that broke the contract. Tests assert `emu.violations` is empty. */
export interface Violation {
  /** `request`: the client sent something GitHub would not accept; `response`: the emulator drifted from GitHub. */
  kind: "request" | "response" | "route" | "unsupported" | "integrity";
  method: string;
  path: string;
  operation: string | undefined;
  problems: string[];
}

/** Collects requests and violations in arrival order. */
export class Recorder {
  readonly requests: RecordedRequest[] = [];
  readonly violations: Violation[] = [];

  /** Appends a request record, assigning its sequence number. */
  record(entry: Omit<RecordedRequest, "seq">): void {
    this.requests.push({ seq: this.requests.length + 1, ...entry });
  }

  /** Adds a violation when there are problems. */
  violate(violation: Violation): void {
    if (violation.problems.length > 0) this.violations.push(violation);
  }

  /** Forgets everything (between phases of one test). */
  clear(): void {
    this.requests.length = 0;
    this.violations.length = 0;
  }
}
