/**
 * The evidence digest (docs/report.md#the-evidence-digest) covers the gate config's settings that
 * change what a replay decides pages — `alertmanager.emulate`, `prometheus_rules.evaluation_interval`,
 * `prometheus_rules.resend_delay` and the chained configuration's path — for the kinds head has
 * policies of and only when they differ from their defaults, so a correlation-only report's digest,
 * and a report under default settings, keep the digest earlier releases computed.
 */
import { describe, expect, it } from "vitest";
import { computeEvidenceDigest } from "../../../src/core/approvals/evidence.js";
import { DEFAULT_THRESHOLDS } from "../../../src/core/config.js";
import type { KindSettings } from "../../../src/core/kinds/settings.js";
import { runDiff } from "../../../src/io/diff-run.js";
import { alertmanagerFile, chainedReport, rulesFile, uncoveredWindow, type ChainedReportInput } from "../../support/chained-report.js";
import { DEMO_WINDOWS, ROOT } from "../../support/demo.js";
import { ALERTMANAGER } from "../../support/rules-chain.js";

const windows = [uncoveredWindow("wrccdc-dns"), uncoveredWindow("packet-loss")];
const rules: ChainedReportInput = { base: rulesFile("0.1"), head: rulesFile("0.2"), chained: undefined, windows };
const chainedRules: ChainedReportInput = { ...rules, chained: { base: ALERTMANAGER("dns-pager"), head: ALERTMANAGER("dns-pager") } };
const amConfig: ChainedReportInput = { base: alertmanagerFile("chat"), head: alertmanagerFile("dns-pager"), chained: undefined, windows };
const CHAIN = { alertmanager: "alertmanager/alertmanager.yml" } as const;

const digestOf = (input: ChainedReportInput, settings?: KindSettings) => chainedReport({ ...input, settings }).inputs.evidence_digest;

describe("the evidence digest and the gate settings that change what pages", () => {
  it("changes an Alertmanager configuration's report digest when only alertmanager.emulate changes", () => {
    const digests = [undefined, "0.30", "0.32"].map((emulate) => digestOf(amConfig, emulate === undefined ? undefined : { alertmanager: { emulate: emulate as "0.30" | "0.32" } }));
    expect(new Set(digests).size).toBe(3);
  });

  it("changes a chained rule file's report digest when only alertmanager.emulate changes", () => {
    const before = digestOf(chainedRules, { prometheus_rules: CHAIN });
    expect(digestOf(chainedRules, { alertmanager: { emulate: "0.32" }, prometheus_rules: CHAIN })).not.toBe(before);
  });

  it("changes a rule file's report digest when only prometheus_rules.evaluation_interval changes", () => {
    const before = digestOf(rules);
    const after = digestOf(rules, { prometheus_rules: { evaluation_interval: "30s" } });
    expect(after).not.toBe(before);
    expect(digestOf(rules, { prometheus_rules: { evaluation_interval: "2m" } })).not.toBe(after);
  });

  it("changes a chained rule file's report digest when only prometheus_rules.resend_delay changes", () => {
    const before = digestOf(chainedRules, { prometheus_rules: CHAIN });
    expect(digestOf(chainedRules, { prometheus_rules: { ...CHAIN, resend_delay: "5m" } })).not.toBe(before);
  });

  it("changes a report's digest when only the chained path changes, the configuration's bytes the same", () => {
    const here = chainedReport({ ...chainedRules, settings: { prometheus_rules: CHAIN } });
    const there = chainedReport({ ...chainedRules, settings: { prometheus_rules: { alertmanager: "alertmanager/pager.yml" } } });
    expect(there.inputs.head.chained_alertmanager?.sha256).toBe(here.inputs.head.chained_alertmanager?.sha256);
    expect(there.inputs.evidence_digest).not.toBe(here.inputs.evidence_digest);
  });

  it("records the settings in inputs.settings canonically (largest whole unit, no leading ./) and digests exactly that record", () => {
    const spelled = chainedReport({
      ...chainedRules,
      settings: { alertmanager: { emulate: "0.30" }, prometheus_rules: { evaluation_interval: "90000ms", resend_delay: "120s", alertmanager: "./alertmanager//alertmanager.yml" } },
    });
    const canonical = chainedReport({
      ...chainedRules,
      settings: { alertmanager: { emulate: "0.30" }, prometheus_rules: { evaluation_interval: "90s", resend_delay: "2m", alertmanager: "alertmanager/alertmanager.yml" } },
    });
    const record = { alertmanager: { emulate: "0.30" }, prometheus_rules: { evaluation_interval: "90s", resend_delay: "2m", alertmanager: "alertmanager/alertmanager.yml" } } as const;
    expect(spelled.inputs.settings).toEqual(record);
    expect(spelled.inputs.evidence_digest).toBe(canonical.inputs.evidence_digest);
    expect(spelled.inputs.evidence_digest).toBe(
      computeEvidenceDigest({
        policies: spelled.inputs.head.policies.map((p) => ({ name: p.name, specHash: p.spec_hash })),
        windows: windows.map((w) => ({ id: w.info.id, manifestSha256: w.manifestSha256, eventsSha256: w.events.sha256 })),
        chainedAlertmanager: spelled.inputs.head.chained_alertmanager?.sha256,
        settings: record,
      }),
    );
  });

  it("leaves settings equal to their defaults out: the report under emulate 0.25, a 60s interval and a 1m resend delay has the default digest", () => {
    const defaults = chainedReport({ ...chainedRules, settings: { prometheus_rules: CHAIN } });
    const spelledOut = chainedReport({ ...chainedRules, settings: { alertmanager: { emulate: "0.25" }, prometheus_rules: { ...CHAIN, evaluation_interval: "60s", resend_delay: "1m" } } });
    expect(spelledOut.inputs.settings).toEqual({ prometheus_rules: CHAIN });
    expect(spelledOut.inputs.evidence_digest).toBe(defaults.inputs.evidence_digest);
    const unset = chainedReport({ ...rules, settings: { alertmanager: { emulate: "0.25" }, prometheus_rules: { evaluation_interval: "1m" } } });
    expect(unset.inputs).not.toHaveProperty("settings");
    expect(unset.inputs.evidence_digest).toBe(digestOf(rules));
  });

  it("leaves out the settings of kinds head has no policy of, and the chain's settings when nothing is chained", () => {
    const rulesOnly = { prometheus_rules: { evaluation_interval: "30s", resend_delay: "5m", alertmanager: "alertmanager/alertmanager.yml" } };
    const am = chainedReport({ ...amConfig, settings: rulesOnly });
    expect(am.inputs).not.toHaveProperty("settings");
    expect(am.inputs.evidence_digest).toBe(digestOf(amConfig));
    // Unchained rule files read neither the emulated release nor the resend delay.
    const unchained = chainedReport({ ...rules, settings: { alertmanager: { emulate: "0.30" }, prometheus_rules: { resend_delay: "5m" } } });
    expect(unchained.inputs).not.toHaveProperty("settings");
    // A rule file head removed leaves base's settings out of head's evidence.
    const removed = chainedReport({ ...rules, head: null, settings: { prometheus_rules: { evaluation_interval: "30s" } } });
    expect(removed.inputs.evidence_digest).toBe(digestOf({ ...rules, head: null }));
  });

  it("keeps a correlation-only report's digest byte-identical to the one computed before settings were covered", async () => {
    const report = await runDiff({
      base: ["policies/versions/edge-gw-2.14.2.yaml"],
      head: ["policies/edge-gw.yaml"],
      windows: [DEMO_WINDOWS],
      thresholds: DEFAULT_THRESHOLDS,
      config: null,
      kindSettings: { alertmanager: { emulate: "0.32" }, prometheus_rules: { evaluation_interval: "30s", resend_delay: "2m", alertmanager: "alertmanager/alertmanager.yml" } },
      cwd: ROOT,
      warn: () => {},
    });
    expect(report.inputs).not.toHaveProperty("settings");
    // Computed on main before settings entered the digest, with these settings and with none (engine 1.1.0;
    // an engine version bump moves it, as it moves every digest and golden file).
    expect(report.inputs.evidence_digest).toBe("sha256:7b836fe5c5abeeb79761edf0966f00b6d4ee45e1c9868fad0342506ff0a7c945");
  });
});
