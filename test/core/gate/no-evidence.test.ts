/** Issue 9 item 2: no evidence is not a pass. */
import { describe, expect, it } from "vitest";
import { decideGate } from "../../../src/core/approvals/decide.js";
import type { GateInput } from "../../../src/core/approvals/types.js";
import { DEFAULT_CONFIG, DEFAULT_THRESHOLDS, parseConfigText, type ReplayGateConfig } from "../../../src/core/config.js";
import type { Report } from "../../../src/core/report/report-schema.js";
import { runDiff } from "../../../src/io/diff-run.js";
import { dnsLibrary, dnsPolicy, writeDnsWindow } from "../../support/dns-library.js";

const diff = (cwd: string, thresholds = DEFAULT_THRESHOLDS) =>
  runDiff({ base: ["base/core-dns.yaml"], head: ["head/core-dns.yaml"], windows: ["windows/*"], thresholds, config: null, cwd, warn: () => {} });

const HEAD = "h".repeat(40);

function gate(report: Report, config: ReplayGateConfig, approvers: readonly string[]): ReturnType<typeof decideGate> {
  const input: GateInput = {
    config,
    configOrigin: { file: null, sha256: null, changedInPullRequest: false },
    evaluation: report.evaluation,
    changedFiles: ["policies/core-dns.yaml"],
    policies: [{ name: "core-dns", file: "policies/core-dns.yaml", baseMode: "dry-run", headMode: "dry-run", environments: [] }],
    author: "author",
    headSha: HEAD,
    headDigest: report.inputs.evidence_digest,
    reviews: approvers.map((login, i) => ({ id: i + 1, user: { login, type: "User" }, state: "APPROVED", commit_id: HEAD, submitted_at: `2026-05-01T10:0${i}:00Z` })),
    reviewers: Object.fromEntries(approvers.map((l) => [l, { role: "write" as const, teams: {} }])),
    reviewDigests: {},
  };
  return decideGate(input);
}

describe("no evidence is not a pass", () => {
  it("fails a changed policy that no window replays, with the reason 'no evidence for <policy>'", async () => {
    const root = dnsLibrary(dnsPolicy(2), dnsPolicy(3));
    writeDnsWindow(root, "2026-05-01-dns-mail", "{ service: mail }");
    const report = await diff(root);
    expect(report.summary.windows).toBe(0);
    expect(report.verdict).toBe("fail");
    expect(report.evaluation.reasons.map((r) => r.code)).toEqual(["nothing-replayed", "no-evidence"]);
    expect(report.evaluation.reasons[1]!.message).toContain("no evidence for core-dns: replayed in 0 window(s), min_windows_per_changed_policy is 1");
  });

  it("fails a changed rule that no window triggers under base or head, even when parity is perfect", async () => {
    const quiet = `  - id: never-fires
    match: { signal: dns, attrs.rcode: SERVFAIL }
    threshold: { count: COUNT, within: 60s }
    standalone: true
`;
    const root = dnsLibrary(dnsPolicy(2, quiet.replace("COUNT", "5")), dnsPolicy(2, quiet.replace("COUNT", "9")));
    writeDnsWindow(root, "2026-05-01-dns-eu", "{ region: eu-west-1 }");
    const report = await diff(root);
    expect(report.windows[0]!.parity).toBe(1);
    expect(report.evaluation.reasons.map((r) => [r.code, r.policy])).toEqual([["no-evidence", "core-dns"]]);
    expect(report.evaluation.reasons[0]!.message).toContain("no window exercises detect never-fires under base or head");
  });

  it("counts a changed rule as exercised when only base triggers it", async () => {
    const root = dnsLibrary(dnsPolicy(2), dnsPolicy(100));
    writeDnsWindow(root, "2026-05-01-dns-eu", "{ region: eu-west-1 }");
    const report = await diff(root);
    expect(report.coverage.untested).toEqual([]);
    expect(report.coverage.rules[0]).toMatchObject({ id: "nxdomain-burst", windows: [], base_windows: ["2026-05-01-dns-eu"] });
    expect(report.evaluation.reasons.map((r) => r.code)).not.toContain("no-evidence");
  });

  it("reads min_windows_per_changed_policy from the config and requires that many windows", async () => {
    const config = parseConfigText("thresholds:\n  min_windows_per_changed_policy: 2\n  min_parity: 0\n  max_removed_incidents: 9\n", "replay-gate.yml");
    const root = dnsLibrary(dnsPolicy(2), dnsPolicy(100));
    writeDnsWindow(root, "2026-05-01-dns-eu", "{ region: eu-west-1 }");
    const report = await diff(root, config.thresholds);
    expect(report.evaluation.reasons.map((r) => [r.code, r.value, r.limit])).toEqual([["no-evidence", 1, 2]]);
  });

  it("lets an owner's threshold-breach approval accept missing evidence, and nothing else", async () => {
    const root = dnsLibrary(dnsPolicy(2), dnsPolicy(100));
    writeDnsWindow(root, "2026-05-01-dns-eu", "{ region: eu-west-1 }");
    const config = parseConfigText(
      "thresholds: { min_windows_per_changed_policy: 3, min_parity: 0, max_removed_incidents: 9 }\napprovals:\n  - when: threshold-breach\n    from: [user:owner]\n",
      "c.yml",
    );
    const report = await diff(root, config.thresholds);
    expect(gate(report, config, []).verdict).toBe("fail");
    expect(gate(report, DEFAULT_CONFIG, []).verdict).toBe("fail");
    const accepted = gate(report, config, ["owner"]);
    expect(accepted.verdict).toBe("pass");
    expect(accepted.summary).toContain("accepted by owner");
  });

  it("never passes a run that replayed no window, not even with an owner's approval", async () => {
    const root = dnsLibrary(dnsPolicy(2), dnsPolicy(2));
    writeDnsWindow(root, "2026-05-01-dns-mail", "{ service: mail }");
    const config = parseConfigText("approvals:\n  - when: threshold-breach\n    from: [user:owner]\n", "c.yml");
    const report = await diff(root);
    expect(report.evaluation.reasons.map((r) => r.code)).toEqual(["nothing-replayed"]);
    const g = gate(report, config, ["owner"]);
    expect(g.verdict).toBe("fail");
    expect(g.summary).toContain("a run that replayed no window, which no approval can accept");
  });
});

describe("the parity output", () => {
  it("is a number whenever windows were replayed, 0 when none had both sides, empty only when none was replayed", async () => {
    const { parityOutput } = await import("../../../src/core/report/diff-report.js");
    expect(parityOutput({ windows: 3, min_parity: 0.91 })).toBe(0.91);
    expect(parityOutput({ windows: 2, min_parity: null })).toBe(0);
    expect(parityOutput({ windows: 0, min_parity: null })).toBeNull();
  });
});
