/**
 * Merging shards' partial reports recomputes the evidence digest from the partial reports' inputs:
 * the same digest the unsharded run computes, head's chained Alertmanager configuration and the gate
 * settings the shards replayed under (`inputs.settings`) included; shards replayed under different
 * settings are refused as a located input error.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_THRESHOLDS } from "../../../src/core/config.js";
import { InputError } from "../../../src/core/errors.js";
import { mergeReports } from "../../../src/core/shards/merge.js";
import { ALERTMANAGER } from "../../support/rules-chain.js";
import { chainedReport, rulesFile, uncoveredWindow, type ChainedReportInput } from "../../support/chained-report.js";

const windows = ["bgp-session-flap", "latency-slo-burn", "packet-loss", "wrccdc-dns"].map(uncoveredWindow);
const chained = { base: ALERTMANAGER("dns-pager"), head: ALERTMANAGER("chat") };
const run: ChainedReportInput = { base: rulesFile("0.1"), head: rulesFile("0.2"), chained, windows };

describe("merging shards' partial reports", () => {
  it("recomputes the unsharded report's evidence digest, head's chained Alertmanager configuration included", () => {
    const whole = chainedReport(run);
    const merged = mergeReports([chainedReport({ ...run, windows: windows.slice(0, 2) }), chainedReport({ ...run, windows: windows.slice(2) })], DEFAULT_THRESHOLDS);
    expect(merged.inputs.head.chained_alertmanager).toEqual(whole.inputs.head.chained_alertmanager);
    expect(merged.inputs.evidence_digest).toBe(whole.inputs.evidence_digest);
    const unchained = chainedReport({ ...run, chained: undefined });
    expect(merged.inputs.evidence_digest).not.toBe(unchained.inputs.evidence_digest);
  });

  it("recomputes the unsharded digest of a report with nothing chained", () => {
    const plain = { ...run, chained: undefined };
    const merged = mergeReports([chainedReport({ ...plain, windows: windows.slice(0, 1) }), chainedReport({ ...plain, windows: windows.slice(1) })], DEFAULT_THRESHOLDS);
    expect(merged.inputs.evidence_digest).toBe(chainedReport(plain).inputs.evidence_digest);
  });

  it("refuses partial reports that disagree on head's chained Alertmanager configuration", () => {
    const parts = [chainedReport({ ...run, windows: windows.slice(0, 2) }), chainedReport({ ...run, chained: { ...chained, head: ALERTMANAGER("dns-pager") }, windows: windows.slice(2) })];
    expect(() => mergeReports(parts, DEFAULT_THRESHOLDS)).toThrow("partial reports disagree on base, head or config");
  });

  it("recomputes the unsharded digest of a report replayed under non-default settings, and records those settings", () => {
    const tuned = { ...run, settings: { alertmanager: { emulate: "0.30" as const }, prometheus_rules: { evaluation_interval: "30s", alertmanager: "alertmanager/alertmanager.yml" } } };
    const whole = chainedReport(tuned);
    const merged = mergeReports([chainedReport({ ...tuned, windows: windows.slice(0, 3) }), chainedReport({ ...tuned, windows: windows.slice(3) })], DEFAULT_THRESHOLDS);
    expect(merged.inputs.settings).toEqual(whole.inputs.settings);
    expect(merged.inputs.evidence_digest).toBe(whole.inputs.evidence_digest);
    expect(merged.inputs.evidence_digest).not.toBe(chainedReport({ ...run, settings: { prometheus_rules: { alertmanager: "alertmanager/alertmanager.yml" } } }).inputs.evidence_digest);
  });

  it("refuses, as a located input error, partial reports replayed under different settings", () => {
    const parts = [chainedReport({ ...run, windows: windows.slice(0, 2) }), chainedReport({ ...run, settings: { prometheus_rules: { evaluation_interval: "30s" } }, windows: windows.slice(2) })];
    const names = ["replay-gate-shard-1of2-7-1", "replay-gate-shard-2of2-7-1"];
    let error: unknown;
    try {
      mergeReports(parts, DEFAULT_THRESHOLDS, names);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems).toEqual([
      {
        file: "the partial report of replay-gate-shard-2of2-7-1",
        path: "inputs.settings",
        message: 'replayed under the gate settings {"prometheus_rules":{"evaluation_interval":"30s"}}, the partial report of replay-gate-shard-1of2-7-1 under none (the defaults)',
        hint: "every shard must read the same .github/replay-gate.yml; re-run the whole workflow",
      },
    ]);
  });
});
