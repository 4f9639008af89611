/**
 * The run's environment as the runner sets it, read once; and the context every step shares.
 */
import type { ActionSettings } from "./inputs.js";
import type { Octokit } from "./octokit.js";
import type { WriteGuard } from "./writes.js";

/** What the runner tells the step through the environment. */
export interface RunEnv {
  readonly workspace: string;
  readonly owner: string;
  readonly repo: string;
  readonly runId: string;
  readonly attempt: string;
  readonly runUrl: string;
  readonly runnerTemp: string;
  readonly eventName: string;
  readonly eventPath: string | undefined;
  readonly sha: string | undefined;
  /** Who triggered the run (GITHUB_ACTOR), for the decision log. */
  readonly actor: string;
}

/** Reads the runner's environment. */
export function readRunEnv(env: NodeJS.ProcessEnv = process.env): RunEnv {
  const [owner = "", repo = ""] = (env["GITHUB_REPOSITORY"] ?? "").split("/");
  if (owner === "" || repo === "") throw new Error("GITHUB_REPOSITORY is not set; replay-gate runs as a GitHub Action step");
  const runId = env["GITHUB_RUN_ID"] ?? "0";
  const attempt = env["GITHUB_RUN_ATTEMPT"] ?? "1";
  const server = (env["GITHUB_SERVER_URL"] ?? "https://github.com").replace(/\/+$/, "");
  return {
    workspace: env["GITHUB_WORKSPACE"] ?? process.cwd(),
    owner,
    repo,
    runId,
    attempt,
    runUrl: `${server}/${owner}/${repo}/actions/runs/${runId}/attempts/${attempt}`,
    runnerTemp: env["RUNNER_TEMP"] ?? env["TMPDIR"] ?? "/tmp",
    eventName: env["GITHUB_EVENT_NAME"] ?? "",
    eventPath: env["GITHUB_EVENT_PATH"],
    sha: env["GITHUB_SHA"],
    actor: env["GITHUB_ACTOR"] ?? "unknown",
  };
}

/** Shared by the gate and regression runs. */
export interface RunContext {
  readonly settings: ActionSettings;
  readonly env: RunEnv;
  readonly octokit: Octokit;
  /** The client for membership and permission reads: the `approvals-token` one when given, else `octokit`. */
  readonly approvalsOctokit: Octokit;
  readonly guard: WriteGuard;
  /** When the run started, RFC 3339 (stale-run protection). */
  readonly started: string;
  /** Set once a `pending` status is out, so a crash can turn it into `error`. */
  onCrash: ((message: string) => Promise<void>) | undefined;
}

/** The verdict-bearing result of a run, for outputs and the exit code. */
export interface RunResult {
  readonly verdict: "pass" | "fail" | "pending";
  readonly parity: number | null;
  readonly changedWindows: readonly string[];
  readonly reportPath: string;
  readonly evidenceDigest: string;
  /** Shards do not fail their job: the merge job gates. */
  readonly gates: boolean;
}
