/**
 * Approvals on a repository whose Prometheus rule files are chained into an Alertmanager
 * configuration (`prometheus_rules.alertmanager`), in-process against the API emulator: an approval
 * of an older commit carries over a commit that changes no evidence, and stops counting once the
 * chained Alertmanager configuration alone changes — it changes who gets paged, so the evidence
 * digest covers it.
 */
import { execFileSync } from "node:child_process";
import { cp } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitHubEmulator, TOKEN_PRESETS, type GitHubEmulator } from "../support/github-emulator/index.js";
import { createRepo, pullRequestPayload, runActionInProcess, unexpectedStderr, type ActionRun, type TestRepo } from "../support/action-harness.js";
import { ROOT } from "../support/cli.js";
import { ALERTMANAGER, CHAIN_CONFIG, DNS_RULES } from "../support/rules-chain.js";

const OWNER = "acme";
const REPO = "dns-approvals";
const TOKEN = "ghs_chained_approvals";
const PR = 4;
const AM_PATH = "alertmanager/alertmanager.yml";
/** The chained rules config, with one approval from carol for any rule or Alertmanager change. */
const CONFIG = `${CHAIN_CONFIG}approvals:
  - paths: [rules/*.yaml, alertmanager/*.yml]
    required: 1
    from: [user:carol]
`;

let emu: GitHubEmulator;
let repo: TestRepo;
let base: string;
const heads: string[] = [];

const comment = () => {
  const all = emu.comments(OWNER, REPO, PR);
  expect(all).toHaveLength(1);
  return all[0]!.body;
};

/** The files GitHub lists for the pull request at `head`. */
const changedFiles = (head: string) =>
  execFileSync("git", ["diff", "--name-only", `${base}...${head}`], { cwd: repo.dir, encoding: "utf8" })
    .split("\n")
    .filter((f) => f !== "")
    .map((filename) => ({ filename }));

/** Points the pull request at `head` and runs the Action on the event. */
async function runOn(head: string, action: "opened" | "synchronize"): Promise<ActionRun> {
  emu.pushToPull(PR, head, changedFiles(head));
  const payload = { action, ...pullRequestPayload({ owner: OWNER, repo: REPO, number: PR, author: "dev", base, head }) };
  const result = await runActionInProcess({ emu, repo, token: TOKEN, eventName: "pull_request", payload });
  expect(unexpectedStderr(result.stderr)).toBe("");
  expect(emu.violations).toEqual([]);
  return result;
}

beforeAll(async () => {
  emu = await startGitHubEmulator({ owner: OWNER, repo: REPO });
  emu.addToken(TOKEN, TOKEN_PRESETS.withOrgRead);
  emu.setPermission("carol", "write");
  repo = await createRepo({ ".github/replay-gate.yml": CONFIG, "rules/dns.yaml": DNS_RULES("0.1"), [AM_PATH]: ALERTMANAGER("dns-pager") }, []);
  await cp(path.join(ROOT, "policies/prometheus/windows/wrccdc-dns"), path.join(repo.dir, "windows/wrccdc-dns"), { recursive: true });
  base = await repo.commit({}, "the recorded DNS window");
  // Edits that change the files' bytes (the evidence) and nothing they fire or page.
  heads.push(await repo.commit({ "rules/dns.yaml": `${DNS_RULES("0.1")}# reviewed by the DNS team\n` }));
  emu.addPull({ number: PR, author: "dev", head: { sha: heads[0]! }, base: { sha: base }, files: changedFiles(heads[0]!) });
});

afterAll(async () => {
  await emu?.close();
  await repo?.remove();
});

describe("approvals with rule files chained into an Alertmanager configuration", () => {
  it("passes on the approver's approval of the head commit", async () => {
    emu.addReview(PR, { user: "carol", state: "APPROVED", commitId: heads[0]! });
    const result = await runOn(heads[0]!, "opened");
    expect(result.outputs["verdict"]).toBe("pass");
    expect(comment()).toContain("counted: carol (user:carol)");
  });

  it("counts the approval of an older commit when a later commit changes no evidence", async () => {
    heads.push(await repo.commit({ "README.md": "notes that are not evidence\n" }));
    const result = await runOn(heads[1]!, "synchronize");
    expect(result.outputs["verdict"]).toBe("pass");
    expect(comment()).toContain(`counted: carol (user:carol, approved \`${heads[0]!.slice(0, 7)}\` with unchanged evidence)`);
  });

  it("does not count the approval of an older commit after only the chained Alertmanager configuration changed", async () => {
    heads.push(await repo.commit({ [AM_PATH]: `${ALERTMANAGER("dns-pager")}# routes reviewed\n` }));
    const result = await runOn(heads[2]!, "synchronize");
    expect(result.outputs["verdict"]).toBe("pending");
    expect(comment()).toMatch(new RegExp(`not counted: carol — approved ${heads[0]!.slice(0, 7)}; the evidence changed since`));
    expect(emu.statuses(heads[2]!).filter((s) => s.context === "replay-gate").at(-1)?.state).toBe("pending");
  });
});
