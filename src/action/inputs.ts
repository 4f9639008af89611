/**
 * The Action's inputs, read and validated in one place (the only caller of core.getInput).
 * Empty input means "use the default"; a bad value names the input and the allowed values.
 */
import * as core from "@actions/core";
import { isAbsolute, relative, resolve } from "node:path";
import type { Shard } from "../core/shards/merge.js";
import { CONFIG_PATH } from "../core/config.js";
import { MAX_JOBS, type Jobs } from "../io/worker-pool.js";

/** Input names as action.yml spells them. */
export const INPUTS = {
  config: "config",
  token: "github-token",
  approvalsToken: "approvals-token",
  comment: "comment",
  failOn: "fail-on",
  shard: "shard",
  merge: "merge",
  statusContext: "status-context",
  jobs: "jobs",
  cacheDir: "cache-dir",
} as const;

/** Output names as action.yml spells them. */
export const OUTPUTS = {
  verdict: "verdict",
  parity: "parity",
  changedWindows: "changed-windows",
  reportPath: "report-path",
  evidenceDigest: "evidence-digest",
} as const;

export const COMMENT_MODES = ["update", "new", "hide-and-new", "delete-and-new", "off"] as const;
export const FAIL_ON = ["fail", "pending", "never"] as const;

/** The validated settings of one run. */
export interface ActionSettings {
  /** Repository-relative path of the gate config, read at the base commit. */
  readonly config: string;
  /** The `config` input was set: then the file must exist at the base commit (fail closed). */
  readonly configExplicit: boolean;
  /** Token for the REST API. */
  readonly token: string;
  /**
   * Token for membership and permission reads only (team approvals): `GITHUB_TOKEN` cannot read
   * organisation teams. A GitHub App installation token or a fine-grained token with
   * `members: read`; undefined: the `github-token` reads them.
   */
  readonly approvalsToken: string | undefined;
  /** How the sticky comment is written. */
  readonly comment: (typeof COMMENT_MODES)[number];
  /** Which verdicts fail the job (`fail`: only fail; `pending`: pending too; `never`). */
  readonly failOn: (typeof FAIL_ON)[number];
  /** This job's shard of the windows, or undefined for all of them. */
  readonly shard: Shard | undefined;
  /** This job merges the shards' partial reports. */
  readonly merge: boolean;
  /** The commit status context branch protection requires. */
  readonly statusContext: string;
  /** Windows replayed at once on worker threads (never more than the cores): the `jobs` input, else `auto` (a worker per core as the library's size pays for them). */
  readonly jobs: Jobs;
  /** The verified window cache's directory (relative to the workspace), or undefined: no cache. */
  readonly cacheDir: string | undefined;
}

/** An input the workflow author must fix. */
export class ActionInputError extends Error {
  override readonly name = "ActionInputError";
}

type GetInput = typeof core.getInput;

function oneOf<T extends string>(get: GetInput, name: string, allowed: readonly T[], fallback: T): T {
  const raw = get(name).trim();
  if (raw === "") return fallback;
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  throw new ActionInputError(`Input "${name}" is "${raw}"; allowed values: ${allowed.join(", ")}`);
}

function parseShard(raw: string): Shard | undefined {
  if (raw === "") return undefined;
  const m = /^(\d{1,4})\s*\/\s*(\d{1,4})$/.exec(raw);
  const index = Number(m?.[1]),
    total = Number(m?.[2]);
  if (m === null || total < 1 || index < 1 || index > total) {
    throw new ActionInputError(`Input "${INPUTS.shard}" is "${raw}"; expected <index>/<total> with 1 ≤ index ≤ total, e.g. 2/4 (matrix: "\${{ matrix.shard }}/4")`);
  }
  return { index, total };
}

function parseBool(get: GetInput, name: string): boolean {
  const raw = get(name).trim().toLowerCase();
  if (raw === "" || raw === "false") return false;
  if (raw === "true") return true;
  throw new ActionInputError(`Input "${name}" is "${raw}"; allowed values: true, false`);
}

function parseJobs(raw: string): Jobs {
  if (raw === "") return "auto";
  const n = /^\d{1,3}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= MAX_JOBS)) throw new ActionInputError(`Input "${INPUTS.jobs}" is "${raw.slice(0, 40)}"; expected a whole number of workers from 1 to ${MAX_JOBS}, or empty for every core`);
  return n;
}

/** Reads every input once. `get` is injectable for tests. */
export function readInputs(get: GetInput = core.getInput): ActionSettings {
  const configRaw = get(INPUTS.config).trim();
  const config = configRaw || CONFIG_PATH;
  if (config.startsWith("/") || config.split("/").includes("..")) {
    throw new ActionInputError(`Input "${INPUTS.config}" is "${config}"; expected a path inside the repository, e.g. ${CONFIG_PATH}`);
  }
  const token = get(INPUTS.token).trim();
  if (token === "") throw new ActionInputError(`Input "${INPUTS.token}" is empty; pass \${{ github.token }} (the default) or a token with pull-requests, statuses and issues write access`);
  core.setSecret(token);
  const approvalsToken = get(INPUTS.approvalsToken).trim() || undefined;
  if (approvalsToken !== undefined) core.setSecret(approvalsToken);
  const statusContext = get(INPUTS.statusContext).trim() || "replay-gate";
  if (statusContext.length > 100) throw new ActionInputError(`Input "${INPUTS.statusContext}" is longer than 100 characters`);
  const shard = parseShard(get(INPUTS.shard).trim());
  const merge = parseBool(get, INPUTS.merge);
  if (shard !== undefined && merge) throw new ActionInputError(`Inputs "${INPUTS.shard}" and "${INPUTS.merge}" exclude each other: shards replay, one final job with merge: true gates`);
  return {
    config,
    configExplicit: configRaw !== "",
    token,
    approvalsToken,
    comment: oneOf(get, INPUTS.comment, COMMENT_MODES, "update"),
    failOn: oneOf(get, INPUTS.failOn, FAIL_ON, "fail"),
    shard,
    merge,
    statusContext,
    jobs: parseJobs(get(INPUTS.jobs).trim()),
    cacheDir: get(INPUTS.cacheDir).trim() || undefined,
  };
}

/**
 * What the `jobs` and `cache-dir` inputs set for a replay (runDiff's options). A relative cache
 * dir is under `RUNNER_TEMP`. A cache inside the workspace is refused: the checkout is the pull
 * request's, and an entry committed there would be read as the pinned window's events (an entry's
 * checksums detect corruption, not forgery; docs/cache.md).
 */
export function replayInputs(settings: ActionSettings, env: { readonly workspace: string; readonly runnerTemp: string }): { jobs: Jobs; cacheDir: string | undefined } {
  if (settings.cacheDir === undefined) return { jobs: settings.jobs, cacheDir: undefined };
  const cacheDir = resolve(env.runnerTemp, settings.cacheDir);
  const inside = relative(resolve(env.workspace), cacheDir);
  if (inside === "" || (!inside.startsWith("..") && !isAbsolute(inside))) {
    throw new ActionInputError(
      `Input "${INPUTS.cacheDir}" is "${settings.cacheDir}", inside the workspace; the checkout holds the pull request's files, so keep the cache outside it, e.g. cache-dir: replay-gate-cache (under RUNNER_TEMP) with actions/cache path: \${{ runner.temp }}/replay-gate-cache`,
    );
  }
  return { jobs: settings.jobs, cacheDir };
}
