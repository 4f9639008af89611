/** Helpers for the evidence tests: an in-process CLI, a fixed clock, the demo report. */
import { join } from "node:path";
import { main } from "../../src/cli/main.js";
import type { CliIo } from "../../src/cli/io.js";
import { DEFAULT_THRESHOLDS } from "../../src/core/config.js";
import type { Report } from "../../src/core/report/report-schema.js";
import { runDiff } from "../../src/io/diff-run.js";

export const ROOT = join(import.meta.dirname, "..", "..");
/** The bundled demo windows (the seeded 2026-* library; other windows come and go). */
export const DEMO_WINDOWS = "policies/windows/2026-*";

export interface Captured {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the CLI in-process with `cwd`, capturing its output. The commands read relative paths
 * against the process's directory, as a user's shell does, so the test changes into `cwd`
 * (vitest runs each file in its own forked process).
 */
export async function cli(args: string[], cwd: string = ROOT, env: Record<string, string> = {}): Promise<Captured> {
  let stdout = "", stderr = "";
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), stderrIsTTY: false, stdoutIsTTY: false, env: { USER: "tester", ...env }, cwd };
  const before = process.cwd();
  process.chdir(cwd);
  try {
    const code = await main(args, io);
    return { code, stdout, stderr };
  } finally {
    process.chdir(before);
  }
}

/** report.json of the demo: edge-gw 2.14.2 (base) against 2.14.3 (head) on the demo windows. */
export async function demoReport(): Promise<Report> {
  return runDiff({
    base: ["policies/versions/edge-gw-2.14.2.yaml"],
    head: ["policies/edge-gw.yaml"],
    windows: [DEMO_WINDOWS],
    thresholds: DEFAULT_THRESHOLDS,
    config: null,
    cwd: ROOT,
    warn: () => {},
  });
}
