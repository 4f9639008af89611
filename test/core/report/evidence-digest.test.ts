/**
 * The report's evidence digest (docs/report.md#inputs) covers the Alertmanager configuration head's
 * rule files are chained into, and stays byte-identical to the earlier formula for a report with
 * nothing chained, so approvals of existing users keep their digest.
 */
import { describe, expect, it } from "vitest";
import { canonicalJson, sha256Hex } from "../../../src/core/hash.js";
import { ENGINE_VERSION } from "../../../src/core/version.js";
import { ALERTMANAGER } from "../../support/rules-chain.js";
import { CHAINED_PATH, chainedReport, rulesFile, uncoveredWindow } from "../../support/chained-report.js";

const windows = [uncoveredWindow("wrccdc-dns"), uncoveredWindow("packet-loss")];
const rules = rulesFile("0.1");

describe("the evidence digest with rule files chained into an Alertmanager configuration", () => {
  it("changes a report's digest when only head's chained Alertmanager configuration changes", () => {
    const paged = chainedReport({ base: rules, head: rules, chained: { base: ALERTMANAGER("dns-pager"), head: ALERTMANAGER("dns-pager") }, windows });
    const rerouted = chainedReport({ base: rules, head: rules, chained: { base: ALERTMANAGER("dns-pager"), head: ALERTMANAGER("chat") }, windows });
    expect(rerouted.inputs.head.policies).toEqual(paged.inputs.head.policies);
    expect(rerouted.inputs.evidence_digest).not.toBe(paged.inputs.evidence_digest);
  });

  it("does not move when only base's chained Alertmanager configuration changes: the digest is head's evidence", () => {
    const a = chainedReport({ base: rules, head: rules, chained: { base: ALERTMANAGER("dns-pager"), head: ALERTMANAGER("chat") }, windows });
    const b = chainedReport({ base: rules, head: rules, chained: { base: ALERTMANAGER("chat"), head: ALERTMANAGER("chat") }, windows });
    expect(b.inputs.evidence_digest).toBe(a.inputs.evidence_digest);
  });

  it("records each side's chained configuration with the sha256 of its bytes, null on a side without the file", () => {
    const text = ALERTMANAGER("dns-pager");
    const report = chainedReport({ base: rules, head: rules, chained: { base: null, head: text }, windows });
    expect(report.inputs.base.chained_alertmanager).toEqual({ file: `${"b".repeat(40)}:${CHAINED_PATH}`, sha256: null });
    expect(report.inputs.head.chained_alertmanager).toEqual({ file: CHAINED_PATH, sha256: `sha256:${sha256Hex(text)}` });
  });

  it("records no chained configuration on a side without rule files, and then leaves it out of the digest", () => {
    const removed = chainedReport({ base: rules, head: null, chained: { base: ALERTMANAGER("dns-pager"), head: ALERTMANAGER("dns-pager") }, windows });
    expect(removed.inputs.base.chained_alertmanager?.sha256).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(removed.inputs.head).not.toHaveProperty("chained_alertmanager");
    const unchained = chainedReport({ base: rules, head: null, chained: undefined, windows });
    expect(removed.inputs.evidence_digest).toBe(unchained.inputs.evidence_digest);
  });

  it("tells a head without the chained file (its alerts go nowhere) from a head that is not chained", () => {
    const nowhere = chainedReport({ base: rules, head: rules, chained: { base: ALERTMANAGER("dns-pager"), head: null }, windows });
    const unchained = chainedReport({ base: rules, head: rules, chained: undefined, windows });
    expect(nowhere.inputs.head.chained_alertmanager?.sha256).toBeNull();
    expect(nowhere.inputs.evidence_digest).not.toBe(unchained.inputs.evidence_digest);
  });

  it("keeps, byte for byte, the earlier formula's digest for a report with nothing chained", () => {
    const report = chainedReport({ base: rules, head: rules, chained: undefined, windows });
    expect(report.inputs.head).not.toHaveProperty("chained_alertmanager");
    // The formula before chained configurations existed: engine version, head policies and windows, nothing else.
    const earlier = {
      engine_version: ENGINE_VERSION,
      policies: [{ name: rules.name, spec_hash: rules.specHash }],
      windows: windows.map((w) => ({ id: w.info.id, manifest: w.manifestSha256 })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    };
    expect(report.inputs.evidence_digest).toBe(`sha256:${sha256Hex(canonicalJson(earlier))}`);
  });
});
