import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_THRESHOLDS } from "../../../src/core/config.js";
import { evaluateThresholds } from "../../../src/core/gate/thresholds.js";
import type { Report } from "../../../src/core/report/report-schema.js";
import { demoReport } from "../../support/demo.js";

describe("threshold verdict", () => {
  let report: Report;
  beforeAll(async () => {
    report = await demoReport();
  });

  it("passes when thresholds are relaxed to what the change does", () => {
    const e = evaluateThresholds(report.windows, { ...DEFAULT_THRESHOLDS, min_parity: 0, max_added_incidents: 1, max_removed_incidents: 1 }, report);
    expect(e).toMatchObject({ verdict: "pass", reasons: [] });
  });

  it("fails a window whose head replayed twice gave different signatures", () => {
    const windows = report.windows.map((w, i) => (i === 0 ? { ...w, determinism: "differs" as const } : w));
    const e = evaluateThresholds(windows, { ...DEFAULT_THRESHOLDS, min_parity: 0, max_added_incidents: 9, max_removed_incidents: 9 }, report);
    expect(e.reasons.map((r) => r.code)).toEqual(["nondeterministic"]);
  });

  it("reports failed head expectations only when they are required", () => {
    const windows = report.windows.map((w, i) => (i === 0 ? { ...w, expectations: { ...w.expectations, head: "fail" as const } } : w));
    const relaxed = { ...DEFAULT_THRESHOLDS, min_parity: 0, max_added_incidents: 9, max_removed_incidents: 9 };
    expect(evaluateThresholds(windows, relaxed, report).reasons.map((r) => r.code)).toEqual(["expectation-failed"]);
    expect(evaluateThresholds(windows, { ...relaxed, expectations: "advisory" }, report).verdict).toBe("pass");
  });
});
