/** The regression run's surfaces, from data: the issue body within an issue's limit, the summary naming the issue's outcome. */
import { beforeAll, describe, expect, it } from "vitest";
import { MAX_ISSUE_BODY_CHARS } from "../../../src/core/limits.js";
import type { Report } from "../../../src/core/report/report-schema.js";
import { renderRegression } from "../../../src/core/surfaces/regression.js";
import { demoReport } from "../../support/demo.js";

const context = { sha: "c".repeat(40), runUrl: "https://github.com/acme/netops/actions/runs/5/attempts/1", pointer: "the artifact replay-gate-5-1", reportMarkdown: "## report\n" };

describe("regression surfaces", () => {
  let report: Report;
  beforeAll(async () => {
    report = await demoReport();
  });

  it("lists each failure in the issue and names the issue's outcome in the summary", () => {
    const s = renderRegression(report, context);
    expect(s.failing).toBe(true);
    expect(s.issueBody).toContain(`Last failing run: ${context.runUrl}`);
    for (const r of report.evaluation.reasons) expect(s.issueBody).toContain(`- ${r.code}: `);
    expect(s.summary("opened")).toContain("Regression issue: opened");
    expect(s.summary("opened")).toContain("## report");
  });

  it("keeps the issue body within its limit, counting the failures left out", () => {
    const reasons = Array.from({ length: 5000 }, (_, i) => ({ ...report.evaluation.reasons[0]!, window: `window-${i}-${"x".repeat(20)}` }));
    const s = renderRegression({ ...report, evaluation: { ...report.evaluation, reasons } }, context);
    expect(s.issueBody.length).toBeLessThanOrEqual(MAX_ISSUE_BODY_CHARS);
    expect(s.issueBody).toMatch(/- … and \d+ more; the artifact replay-gate-5-1\n$/);
  });
});
