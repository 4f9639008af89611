/**
 * The evidence digest recomputed from git (`evidenceDigestAt`, what the Action compares an older
 * approval with) equals the report's `inputs.evidence_digest` for the same commit, for every policy
 * kind the diff loads — correlation policies, Alertmanager configurations, Prometheus rule files and
 * rule files chained into an Alertmanager configuration — under default and non-default gate settings,
 * and moves when only the chained configuration, or only a setting that changes what pages, does. Real `git` in a temporary repository, the report from the real `runDiff`.
 */
import { cp } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evidenceDigestAt } from "../../src/action/git-evidence.js";
import { parseConfigText, type ReplayGateConfig } from "../../src/core/config.js";
import { runDiff } from "../../src/io/diff-run.js";
import { createRepo, POLICY_PATH, type TestRepo } from "../support/action-harness.js";
import { ROOT } from "../support/cli.js";
import { ALERTMANAGER, DNS_RULES } from "../support/rules-chain.js";

const AM_PATH = "alertmanager/alertmanager.yml";

/** A second path holding, at every commit up to `rerouted`, the bytes {@link AM_PATH} has at `edited`. */
const PAGER_COPY = "alertmanager/pager.yml";

/** Settings of the gate config that change what pages. */
interface Tuning {
  readonly emulate?: string;
  readonly evaluationInterval?: string;
  readonly resendDelay?: string;
  /** The chained path, when not {@link AM_PATH}. */
  readonly chainPath?: string;
}

/** A gate config naming these policies over every window of the repository, optionally chaining rule files into {@link AM_PATH}, with `tuning`. */
const configOf = (policies: readonly string[], chained = false, tuning: Tuning = {}): ReplayGateConfig => {
  const rules = [
    ...(chained ? [`  alertmanager: ./${tuning.chainPath ?? AM_PATH}`] : []),
    ...(tuning.evaluationInterval ? [`  evaluation_interval: ${tuning.evaluationInterval}`] : []),
    ...(tuning.resendDelay ? [`  resend_delay: ${tuning.resendDelay}`] : []),
  ];
  return parseConfigText(
    [
      `policies: [${policies.join(", ")}]`,
      "windows: [policies/windows/*, windows/*]",
      ...(rules.length > 0 ? ["prometheus_rules:", ...rules] : []),
      ...(tuning.emulate ? ["alertmanager:", `  emulate: "${tuning.emulate}"`] : []),
    ].join("\n") + "\n",
    ".github/replay-gate.yml",
  );
};

let repo: TestRepo;
/** Commits after base: the rule file's threshold edited; then only the Alertmanager configuration; then it deleted. */
let edited: string, rerouted: string, deleted: string;

/** The report's digest for the checked-out `commit` as the Action builds it: base at `baseCommit`, head from the working tree. */
async function reportDigest(commit: string, config: ReplayGateConfig, baseCommit: string = commit): Promise<string> {
  repo.checkout(commit);
  const report = await runDiff({
    base: config.policies.map((p) => `${baseCommit}:${p}`),
    head: config.policies,
    windows: config.windows,
    thresholds: config.thresholds,
    kindSettings: config,
    config: null,
    cwd: repo.dir,
    warn: () => {},
  });
  return report.inputs.evidence_digest;
}

beforeAll(async () => {
  repo = await createRepo({ "rules/dns.yaml": DNS_RULES("0.1"), [AM_PATH]: ALERTMANAGER("dns-pager"), [PAGER_COPY]: ALERTMANAGER("dns-pager") }, ["2026-03-18-pop12-quiet"]);
  await cp(path.join(ROOT, "policies/prometheus/windows/wrccdc-dns"), path.join(repo.dir, "windows/wrccdc-dns"), { recursive: true });
  edited = await repo.commit({ "rules/dns.yaml": DNS_RULES("0.2") }, "the DNS window; a higher threshold");
  rerouted = await repo.commit({ [AM_PATH]: ALERTMANAGER("chat") }, "pages go to chat");
  deleted = await repo.commit({ [AM_PATH]: null }, "no Alertmanager configuration");
});

afterAll(async () => {
  await repo?.remove();
});

describe("evidenceDigestAt equals the report's evidence digest for the same commit", () => {
  it("for correlation policies", async () => {
    const config = configOf([POLICY_PATH]);
    expect(await evidenceDigestAt(edited, config, repo.dir)).toBe(await reportDigest(edited, config));
  });

  it("for an Alertmanager configuration among the policies", async () => {
    const config = configOf([POLICY_PATH, AM_PATH]);
    const digest = await evidenceDigestAt(rerouted, config, repo.dir);
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(digest).toBe(await reportDigest(rerouted, config));
  });

  it("for Prometheus rule files", async () => {
    const config = configOf(["rules/*.yaml"]);
    const digest = await evidenceDigestAt(edited, config, repo.dir);
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(digest).toBe(await reportDigest(edited, config));
  });

  it("for rule files chained into an Alertmanager configuration, alongside a correlation policy", async () => {
    const config = configOf([POLICY_PATH, "rules/*.yaml"], true);
    for (const commit of [edited, rerouted]) expect(await evidenceDigestAt(commit, config, repo.dir)).toBe(await reportDigest(commit, config));
  });

  it("for rule files chained into an Alertmanager configuration head has deleted (their alerts go nowhere)", async () => {
    const config = configOf(["rules/*.yaml"], true);
    expect(await evidenceDigestAt(deleted, config, repo.dir)).toBe(await reportDigest(deleted, config, rerouted));
  });
});

describe("evidenceDigestAt with rule files chained into an Alertmanager configuration", () => {
  it("changes when only the chained Alertmanager configuration changes, or is deleted", async () => {
    const config = configOf(["rules/*.yaml"], true);
    const digests = await Promise.all([edited, rerouted, deleted].map((c) => evidenceDigestAt(c, config, repo.dir)));
    expect(digests.every((d) => d !== null)).toBe(true);
    expect(new Set(digests).size).toBe(3);
  });

  it("does not depend on the Alertmanager configuration when the rule files are not chained into it", async () => {
    const config = configOf(["rules/*.yaml"]);
    const before = await evidenceDigestAt(edited, config, repo.dir);
    expect(before).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await evidenceDigestAt(rerouted, config, repo.dir)).toBe(before);
  });
});

describe("evidenceDigestAt under gate settings that change what pages", () => {
  const tuned: Tuning = { emulate: "0.32", evaluationInterval: "30s", resendDelay: "2m" };

  it("equals the report's digest under non-default settings, for every kind, and differs from the digest under the defaults", async () => {
    const cases: [ReplayGateConfig, ReplayGateConfig, string][] = [
      [configOf([POLICY_PATH, AM_PATH], false, { emulate: "0.30" }), configOf([POLICY_PATH, AM_PATH]), rerouted],
      [configOf(["rules/*.yaml"], false, { evaluationInterval: "30s" }), configOf(["rules/*.yaml"]), edited],
      [configOf([POLICY_PATH, "rules/*.yaml"], true, tuned), configOf([POLICY_PATH, "rules/*.yaml"], true), rerouted],
      [configOf(["rules/*.yaml"], true, { ...tuned, chainPath: PAGER_COPY }), configOf(["rules/*.yaml"], true), edited],
    ];
    for (const [config, defaults, commit] of cases) {
      const digest = await evidenceDigestAt(commit, config, repo.dir);
      expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(digest).toBe(await reportDigest(commit, config));
      expect(digest).not.toBe(await evidenceDigestAt(commit, defaults, repo.dir));
    }
  });

  it("changes when only alertmanager.emulate changes, for an Alertmanager configuration and for chained rule files", async () => {
    for (const [policies, chained] of [[[AM_PATH], false], [["rules/*.yaml"], true]] as const) {
      const digests = await Promise.all([undefined, "0.30", "0.32"].map((emulate) => evidenceDigestAt(edited, configOf(policies, chained, { emulate }), repo.dir)));
      expect(digests.every((d) => d !== null)).toBe(true);
      expect(new Set(digests).size).toBe(3);
    }
  });

  it("changes when only prometheus_rules.evaluation_interval changes", async () => {
    const before = await evidenceDigestAt(edited, configOf(["rules/*.yaml"]), repo.dir);
    const after = await evidenceDigestAt(edited, configOf(["rules/*.yaml"], false, { evaluationInterval: "30s" }), repo.dir);
    expect([before, after].every((d) => d !== null)).toBe(true);
    expect(after).not.toBe(before);
  });

  it("changes when only the chained path changes, the file there holding the same bytes", async () => {
    const before = await evidenceDigestAt(edited, configOf(["rules/*.yaml"], true), repo.dir);
    const after = await evidenceDigestAt(edited, configOf(["rules/*.yaml"], true, { chainPath: PAGER_COPY }), repo.dir);
    expect([before, after].every((d) => d !== null)).toBe(true);
    expect(after).not.toBe(before);
  });

  it("does not change for a correlation policy alone, whatever the settings", async () => {
    const plain = await evidenceDigestAt(edited, configOf([POLICY_PATH]), repo.dir);
    expect(plain).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await evidenceDigestAt(edited, configOf([POLICY_PATH], true, tuned), repo.dir)).toBe(plain);
  });
});
