/** The bundled demo for tests of every layer: the repository root, its windows, an in-process CLI and the demo report. */
import { join } from "node:path";
import { DEFAULT_THRESHOLDS } from "../../src/core/config.js";
import type { Report } from "../../src/core/report/report-schema.js";
import { runDiff } from "../../src/io/diff-run.js";
import { runCliInProcess, type CliRun } from "./cli.js";

export const ROOT = join(import.meta.dirname, "..", "..");
/** The bundled demo windows (the seeded 2026-* library; other windows come and go). */
export const DEMO_WINDOWS = "policies/windows/2026-*";

/**
 * Runs the CLI in-process with `cwd` (see {@link runCliInProcess}); the environment holds USER
 * (run records name their actor) and `env`.
 */
export async function cli(args: string[], cwd: string = ROOT, env: Record<string, string> = {}): Promise<CliRun> {
  return runCliInProcess(args, { cwd, env: { USER: "tester", ...env } });
}

/**
 * report.json of the demo: edge-gw 2.14.2 (base) against 2.14.3 (head) on the demo windows;
 * `prefixBuffer` as `runDiff` takes it.
 */
export async function demoReport(prefixBuffer?: number): Promise<Report> {
  return runDiff({
    base: ["policies/versions/edge-gw-2.14.2.yaml"],
    head: ["policies/edge-gw.yaml"],
    windows: [DEMO_WINDOWS],
    thresholds: DEFAULT_THRESHOLDS,
    config: null,
    cwd: ROOT,
    warn: () => {},
    prefixBuffer,
  });
}
