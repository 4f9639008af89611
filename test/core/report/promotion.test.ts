/** Issue 9 item 7: a promotion is the headline, and `fires` keeps expectations mode-independent. */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_THRESHOLDS } from "../../../src/core/config.js";
import { renderDiffText } from "../../../src/core/report/diff-text.js";
import { renderDiffMarkdown } from "../../../src/core/report/markdown.js";
import type { Report } from "../../../src/core/report/report-schema.js";
import { runDiff } from "../../../src/io/diff-run.js";
import { ROOT } from "../../support/demo.js";

const WINDOW = "2026-02-26-pop12-routing";
const current = readFileSync(join(ROOT, "policies/edge-gw.yaml"), "utf8");

async function promote(expectLine: string): Promise<Report> {
  const root = mkdtempSync(join(tmpdir(), "rg-promo-"));
  cpSync(join(ROOT, "policies/windows", WINDOW), join(root, "windows", WINDOW), { recursive: true });
  const manifest = join(root, "windows", WINDOW, "window.yaml");
  writeFileSync(manifest, readFileSync(manifest, "utf8").replace("  actions: { drain-pop: would-run }", expectLine));
  writeFileSync(join(root, "base.yaml"), current);
  writeFileSync(join(root, "head.yaml"), current.replace(/^mode: dry-run/m, "mode: enforce"));
  return runDiff({ base: ["base.yaml"], head: ["head.yaml"], windows: ["windows/*"], thresholds: DEFAULT_THRESHOLDS, config: null, cwd: root, warn: () => {} });
}

describe("a promotion is the headline", () => {
  let report: Report;
  beforeAll(async () => {
    report = await promote("  actions: { drain-pop: fires }");
  });

  it("says so on the comment's first line and lists the decisions that change from would-run under it", () => {
    const md = renderDiffMarkdown(report).split("\n");
    expect(md[0]).toMatch(/^## .* replay-gate: \w+ — \*\*promotion: edge-gw dry-run → enforce \(1 decision would-run → gated\/run\)\*\*/);
    expect(md[2]).toContain("**Promotion: edge-gw dry-run → enforce**");
    expect(md[4]).toMatch(new RegExp(`^- ${WINDOW}: drain-pop on inc-[0-9a-f]+: would-run → \\*\\*(gated|run)\\*\\*$`));
  });

  it("leads the terminal text with it too", () => {
    const text = renderDiffText(report, false).split("\n");
    expect(text[0]).toBe("PROMOTION edge-gw dry-run → enforce: 1 decision(s) would-run → gated/run");
    expect(text[1]).toMatch(/: drain-pop on inc-[0-9a-f]+: would-run → (gated|run)$/);
  });

  it("does not turn the promotion into an expectations regression when the window expects `fires`", () => {
    const w = report.windows[0]!;
    expect(w.expectations).toMatchObject({ base: "pass", head: "pass", regression: false });
    expect(w.expectations.head_checks.find((c) => c.kind === "actions")).toMatchObject({ expected: "fires", pass: true });
  });

  it("still reports a regression for an expectation that names the dry-run decision", async () => {
    const strict = await promote("  actions: { drain-pop: would-run }");
    expect(strict.windows[0]!.expectations.regression).toBe(true);
  });
});
