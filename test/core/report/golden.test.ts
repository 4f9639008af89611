/**
 * The bundled demo (edge-gw 2.14.2 → 2.14.3 on the four 2026 windows) rendered as the PR comment
 * and as terminal text, compared byte for byte with golden/ beside this file. Regenerate on purpose with
 * `node scripts/update-golden.mjs` (UPDATE_GOLDEN=1) and have a person read the diff.
 */
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { renderDiffText } from "../../../src/core/report/diff-text.js";
import { stableJson } from "../../../src/core/report/json.js";
import { renderDiffMarkdown } from "../../../src/core/report/markdown.js";
import { MAX_COMMENT_CHARS } from "../../../src/core/limits.js";
import { reportSchema, type Report } from "../../../src/core/report/report-schema.js";
import { expectGolden } from "../../support/golden.js";
import { demoReport } from "../../support/demo.js";

const GOLDEN = join(import.meta.dirname, "golden");

const golden = (name: string, actual: string): void => expectGolden(join(GOLDEN, name), actual);

describe("the bundled demo, 2.14.2 → 2.14.3", () => {
  let report: Report;
  beforeAll(async () => {
    report = await demoReport();
  });

  it("collapses the POP-12 episode into one incident and says why", () => {
    const pop12 = report.windows.find((w) => w.id === "2026-02-26-pop12-routing")!;
    expect(pop12.base!.collapse).toBe("140 → 4");
    expect(pop12.head!.collapse).toBe("140 → 1");
    expect(pop12.matching.regrouped[0]!.kind).toBe("merged");
    expect(pop12.highlights.map((h) => h.kind)).toContain("fingerprint-loosened");
    expect(pop12.divergence!.explanation).toContain("fingerprint [rule, scope.pop, attrs.peer, attrs.prefix] → [rule, scope.pop, attrs.peer]");
    expect(pop12.expectations).toMatchObject({ base: "fail", head: "pass", regression: false });
    expect(pop12.determinism).toBe("equal");
  });

  it("time-travels to the same divergence from the first pass's buffer and from a second pass", async () => {
    const secondPass = await demoReport(0);
    expect(stableJson(secondPass)).toBe(stableJson(report));
  });

  it("names the suppression that newly hides major events, by count", () => {
    expect(report.coverage.severe_suppressions).toEqual([{ policy: "edge-gw", rule: "pop9-maintenance", window: "2026-02-26-pop9-maintenance-loss", events: 5 }]);
    const pop9 = report.windows.find((w) => w.id === "2026-02-26-pop9-maintenance-loss")!;
    expect(pop9.divergence!.treatment.head).toEqual({ in_scope: true, suppressed_by: "pop9-maintenance", detect_matches: [] });
  });

  it("carries the DESIGN §8 fields and validates against its own schema", () => {
    expect(Object.keys(report).slice(0, 4)).toEqual(["schema", "verdict", "summary", "windows"]);
    expect(report.summary).toMatchObject({ windows: 4, identical: 1, changed: 3, regressions: 0 });
    expect(reportSchema.safeParse(JSON.parse(stableJson(report))).success).toBe(true);
    expect(report.verdict).toBe("fail");
    expect(report.evaluation.reasons[0]!.code).toBe("parity-below-min");
  });

  it("renders the golden PR comment", () => {
    const md = renderDiffMarkdown(report);
    expect(md.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(md.startsWith("## ❌ replay-gate: fail")).toBe(true);
    golden("demo-2.14.2-to-2.14.3.md", md);
  });

  it("renders the golden terminal text, without colour", () => {
    const text = renderDiffText(report, false);
    expect(text).not.toContain("\u001b[");
    golden("demo-2.14.2-to-2.14.3.txt", text);
  });
});
