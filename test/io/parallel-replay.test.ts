/**
 * Replaying windows on worker threads changes nothing a user sees: report.json, the PR comment
 * and the evidence are byte-identical to the one-worker (in-process) run, on the bundled library
 * and on the Alertmanager examples; a window that fails its pin fails the run with the very
 * same input error. (The workers here run the TypeScript sources, through scripts/ts-worker-hooks.mjs.)
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_THRESHOLDS } from "../../src/core/config.js";
import { InputError } from "../../src/core/errors.js";
import type { WindowEvidence } from "../../src/core/evidence/bundle.js";
import { stableJson } from "../../src/core/report/json.js";
import { renderDiffMarkdown } from "../../src/core/report/markdown.js";
import { runDiff, type DiffTimings } from "../../src/io/diff-run.js";

const ROOT = resolve(import.meta.dirname, "..", "..");
const tmp = mkdtempSync(join(tmpdir(), "rg-parallel-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function diffWith(jobs: number, base: string, head: string, windows: string) {
  const evidence: WindowEvidence[] = [];
  const timings: DiffTimings = { ingest: 0, correlation: 0, aggregation: 0, report: 0 };
  const report = await runDiff({
    base: [base],
    head: [head],
    windows: [windows],
    thresholds: DEFAULT_THRESHOLDS,
    config: null,
    cwd: ROOT,
    warn: () => {},
    onEvidence: (w) => evidence.push(w),
    timings,
    jobs,
  });
  return { json: stableJson(report), markdown: renderDiffMarkdown(report), evidence: stableJson(evidence), timings };
}

describe("diff on worker threads", () => {
  it("gives the bundled library's report.json, comment and evidence byte for byte as the one-worker run", async () => {
    const args = ["policies/versions/edge-gw-2.14.2.yaml", "policies/edge-gw.yaml", "policies/windows/*"] as const;
    const one = await diffWith(1, ...args);
    const three = await diffWith(3, ...args);
    expect(JSON.parse(one.json).windows.length).toBeGreaterThan(3);
    expect(three.json).toBe(one.json);
    expect(three.markdown).toBe(one.markdown);
    expect(three.evidence).toBe(one.evidence);
    expect(three.timings.ingest).toBeGreaterThan(0);
  });

  it("gives the Alertmanager examples' report and comment byte for byte as the one-worker run", async () => {
    const args = ["examples/alertmanager/alertmanager.base.yml", "examples/alertmanager/alertmanager.head.yml", "examples/alertmanager/windows/*"] as const;
    const one = await diffWith(1, ...args);
    const two = await diffWith(2, ...args);
    expect(two.json).toBe(one.json);
    expect(two.markdown).toBe(one.markdown);
  });

  it("fails with the same input error as the one-worker run when a window's events no longer match their pin", async () => {
    const lib = join(tmp, "windows");
    cpSync(join(ROOT, "policies/windows"), lib, { recursive: true });
    const victim = join(lib, "2026-03-04-pop7-dns-latency");
    const manifest = readFileSync(join(victim, "window.yaml"), "utf8");
    const events = join(victim, /path: ([^\s,}]+)/.exec(manifest)![1]!);
    const bytes = readFileSync(events);
    bytes[bytes.length >> 1]! ^= 1;
    writeFileSync(events, bytes);
    const run = (jobs: number) => diffWith(jobs, "policies/versions/edge-gw-2.14.2.yaml", "policies/edge-gw.yaml", join(lib, "*")).catch((e: unknown) => e);
    const one = await run(1);
    const three = await run(3);
    expect(one).toBeInstanceOf(InputError);
    expect(three).toBeInstanceOf(InputError);
    expect((three as InputError).problems).toEqual((one as InputError).problems);
    expect((one as InputError).problems[0]!.path).toBe("events.sha256");
  });
});
