/**
 * The Action on a repository that keeps Prometheus rule files chained into an Alertmanager
 * configuration: a pull request that changes only the Alertmanager file is replayed (not skipped
 * as touching no policy), fails on the page it loses, and the sticky comment leads the window
 * with what the rules fire and who would have been paged.
 */
import { cp } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitHubEmulator, TOKEN_PRESETS, type GitHubEmulator } from "../support/github-emulator/index.js";
import { createRepo, pullRequestPayload, runAction, unexpectedStderr, type TestRepo } from "../support/action-harness.js";
import { ROOT } from "../support/cli.js";
import { ALERTMANAGER, CHAIN_CONFIG, DNS_RULES } from "../support/rules-chain.js";

const OWNER = "acme";
const REPO = "dns";
const TOKEN = "ghs_rules";

let emu: GitHubEmulator;
let repo: TestRepo;
/** The base commit of the pull requests: rules, Alertmanager configuration, gate config and the window. */
let base: string;

beforeAll(async () => {
  emu = await startGitHubEmulator({ owner: OWNER, repo: REPO });
  emu.addToken(TOKEN, TOKEN_PRESETS.withOrgRead);
  repo = await createRepo({ ".github/replay-gate.yml": CHAIN_CONFIG, "rules/dns.yaml": DNS_RULES("0.1"), "alertmanager/alertmanager.yml": ALERTMANAGER("dns-pager") }, []);
  await cp(path.join(ROOT, "policies/prometheus/windows/wrccdc-dns"), path.join(repo.dir, "windows/wrccdc-dns"), { recursive: true });
  base = await repo.commit({}, "the recorded DNS window");
});

afterAll(async () => {
  await emu?.close();
  await repo?.remove();
});

describe("a pull request that reroutes the page the rule files send", () => {
  it("fails with pages-lost, sets failure on the head commit, and leads the comment with the rules and the pages", async () => {
    const head = await repo.commit({ "alertmanager/alertmanager.yml": ALERTMANAGER("chat") });
    emu.addPull({ number: 7, author: "dev", head: { sha: head }, base: { sha: base }, files: [{ filename: "alertmanager/alertmanager.yml" }] });
    const run = await runAction({ emu, repo, token: TOKEN, eventName: "pull_request", payload: { action: "opened", ...pullRequestPayload({ owner: OWNER, repo: REPO, number: 7, author: "dev", base, head }) } });
    expect(unexpectedStderr(run.stderr)).toBe("");
    expect(run.outputs["verdict"]).toBe("fail");
    expect(emu.statuses(head).map((s) => s.state)).toEqual(["pending", "failure"]);
    const body = emu.comments(OWNER, REPO, 7)[0]!.body;
    expect(body).toContain("1 page(s) lost");
    expect(body).toContain("**What this change fires** (Prometheus rules)");
    expect(body).toContain("- dns-pager no longer gets {alertname=\"DnsFailureRatioHigh\"");
    expect(emu.violations).toEqual([]);
  });
});
