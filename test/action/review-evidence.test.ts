/**
 * The digest an approval of an older commit is compared with (`reviewedEvidenceDigest`): the run
 * that showed the reviewer its evidence read the gate config at its own base commit, so when the
 * base branch's config changed a setting that changes what pages since the reviewed commit forked,
 * the approval must not carry over — even though the policies are the same and the current config
 * gives both commits one digest. Real `git` in a temporary repository with a pull request branch
 * and a base branch that moves on.
 */
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evidenceDigestAt, reviewedEvidenceDigest } from "../../src/action/git-evidence.js";
import { parseConfigText, type ReplayGateConfig } from "../../src/core/config.js";
import { createRepo, POLICY_PATH, type TestRepo } from "../support/action-harness.js";
import { ALERTMANAGER } from "../support/rules-chain.js";

const AM_PATH = "alertmanager/alertmanager.yml";
/** The gate config of an Alertmanager configuration (and a correlation policy). */
const CONFIG_PATH = ".github/replay-gate.yml";
/** A second gate config, of the correlation policy alone, moving the same way. */
const CORRELATION_CONFIG_PATH = ".github/correlation-gate.yml";

const configText = (policies: string, extra = "") => `policies: [${policies}]\nwindows: [policies/windows/*]\n${extra}`;
const AM_POLICIES = `${POLICY_PATH}, ${AM_PATH}`;
const THRESHOLDS = "thresholds:\n  min_parity: 0.5\n";
const EMULATE_030 = 'alertmanager:\n  emulate: "0.30"\n';

const parse = (text: string): ReplayGateConfig => parseConfigText(text, CONFIG_PATH);

let repo: TestRepo;
/** Base branch: thresholds changed, then an unparseable config, then thresholds again, then emulate 0.30. */
let thresholdsOnly: string, mended: string, emulated: string;
/** The pull request forked before the base moved: the reviewed commit and head (README edits). */
let reviewed: string, head: string;
/** The pull request rebased onto `emulated`: reviewed again, and its head. */
let rebasedReviewed: string, rebasedHead: string;

beforeAll(async () => {
  repo = await createRepo(
    { [CONFIG_PATH]: configText(AM_POLICIES), [CORRELATION_CONFIG_PATH]: configText(POLICY_PATH), [AM_PATH]: ALERTMANAGER("dns-pager"), "README.md": "v0\n" },
    ["2026-03-18-pop12-quiet"],
  );
  reviewed = await repo.commit({ "README.md": "v1\n" }, "pull request: docs");
  head = await repo.commit({ "README.md": "v2\n" }, "pull request: more docs");
  repo.checkout(repo.base);
  thresholdsOnly = await repo.commit({ [CONFIG_PATH]: configText(AM_POLICIES, THRESHOLDS) }, "base: a lower parity bar");
  await repo.commit({ [CONFIG_PATH]: `${configText(AM_POLICIES, THRESHOLDS)}no_such_setting: 1\n` }, "base: a typo");
  mended = await repo.commit({ [CONFIG_PATH]: configText(AM_POLICIES, THRESHOLDS) }, "base: the typo fixed");
  emulated = await repo.commit(
    { [CONFIG_PATH]: configText(AM_POLICIES, THRESHOLDS + EMULATE_030), [CORRELATION_CONFIG_PATH]: configText(POLICY_PATH, EMULATE_030) },
    "base: emulate Alertmanager 0.30",
  );
  rebasedReviewed = await repo.commit({ "README.md": "v1\n" }, "pull request, rebased: docs");
  rebasedHead = await repo.commit({ "README.md": "v2\n" }, "pull request, rebased: more docs");
});

afterAll(async () => {
  await repo?.remove();
});

describe("the evidence digest an approval of an older commit is compared with", () => {
  it("is the current config's digest when the base's config changed only thresholds since the fork, or was unparseable for a while", async () => {
    const config = parse(configText(AM_POLICIES, THRESHOLDS));
    const headDigest = await evidenceDigestAt(head, config, repo.dir);
    expect(headDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    for (const base of [thresholdsOnly, mended]) expect(await reviewedEvidenceDigest(reviewed, base, config, CONFIG_PATH, repo.dir)).toBe(headDigest);
  });

  it("differs from head's when the base's config changed alertmanager.emulate since the reviewed commit forked", async () => {
    const config = parse(configText(AM_POLICIES, THRESHOLDS + EMULATE_030));
    const headDigest = await evidenceDigestAt(head, config, repo.dir);
    // The gap this closes: under the current config alone, both commits have one digest.
    expect(await evidenceDigestAt(reviewed, config, repo.dir)).toBe(headDigest);
    const digest = await reviewedEvidenceDigest(reviewed, emulated, config, CONFIG_PATH, repo.dir);
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(digest).not.toBe(headDigest);
    expect(digest).toBe(await evidenceDigestAt(reviewed, parse(configText(AM_POLICIES, THRESHOLDS)), repo.dir));
  });

  it("is head's again for a commit reviewed after the pull request was rebased onto the changed config", async () => {
    const config = parse(configText(AM_POLICIES, THRESHOLDS + EMULATE_030));
    expect(await reviewedEvidenceDigest(rebasedReviewed, emulated, config, CONFIG_PATH, repo.dir)).toBe(await evidenceDigestAt(rebasedHead, config, repo.dir));
  });

  it("is the current config's digest for a correlation policy alone, whose replay no such setting changes", async () => {
    const config = parse(configText(POLICY_PATH, EMULATE_030));
    const digest = await reviewedEvidenceDigest(reviewed, emulated, config, CORRELATION_CONFIG_PATH, repo.dir);
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(digest).toBe(await evidenceDigestAt(head, config, repo.dir));
  });

  it("is null when the reviewed commit shares no history with the base", async () => {
    const config = parse(configText(AM_POLICIES));
    const identity = { GIT_AUTHOR_NAME: "dev", GIT_AUTHOR_EMAIL: "dev@example.com", GIT_COMMITTER_NAME: "dev", GIT_COMMITTER_EMAIL: "dev@example.com" };
    const orphan = execFileSync("git", ["commit-tree", "-m", "unrelated", `${repo.base}^{tree}`], { cwd: repo.dir, encoding: "utf8", env: { ...process.env, ...identity } }).trim();
    expect(await evidenceDigestAt(orphan, config, repo.dir)).toMatch(/^sha256:/);
    expect(await reviewedEvidenceDigest(orphan, emulated, config, CONFIG_PATH, repo.dir)).toBeNull();
  });
});
