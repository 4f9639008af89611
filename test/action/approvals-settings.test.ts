/**
 * Approvals and the gate settings that change what pages, in-process against the API emulator: an
 * approval of an older commit carries over a commit that changes no evidence, and stops counting
 * once the base branch's gate config emulates another Alertmanager release — the reviewer saw the
 * replay under the release before, though the policies and the chained configuration are the same.
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
const REPO = "dns-settings";
const TOKEN = "ghs_settings_approvals";
const PR = 5;
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

/** The files GitHub lists for the pull request at `head` against the current base. */
const changedFiles = (head: string) =>
  execFileSync("git", ["diff", "--name-only", `${base}...${head}`], { cwd: repo.dir, encoding: "utf8" })
    .split("\n")
    .filter((f) => f !== "")
    .map((filename) => ({ filename }));

/** Points the pull request at `head` (against `base`) and runs the Action on the event. */
async function runOn(head: string, action: "opened" | "synchronize" | "edited"): Promise<ActionRun> {
  emu.pushToPull(PR, head, changedFiles(head));
  const payload = { action, ...pullRequestPayload({ owner: OWNER, repo: REPO, number: PR, author: "dev", base, head }) };
  repo.checkout(head);
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
  heads.push(await repo.commit({ "rules/dns.yaml": `${DNS_RULES("0.1")}# reviewed by the DNS team\n` }));
  emu.addPull({ number: PR, author: "dev", head: { sha: heads[0]! }, base: { sha: base }, files: changedFiles(heads[0]!) });
  emu.addReview(PR, { user: "carol", state: "APPROVED", commitId: heads[0]! });
});

afterAll(async () => {
  await emu?.close();
  await repo?.remove();
});

describe("approvals when the base branch's gate config changes what pages", () => {
  it("counts the approval of an older commit while the config is unchanged", async () => {
    heads.push(await repo.commit({ "README.md": "notes that are not evidence\n" }));
    const result = await runOn(heads[1]!, "synchronize");
    expect(result.outputs["verdict"]).toBe("pass");
    expect(comment()).toContain(`counted: carol (user:carol, approved \`${heads[0]!.slice(0, 7)}\` with unchanged evidence)`);
  });

  it("does not count it once the base's config emulates Alertmanager 0.30, the policies unchanged", async () => {
    repo.checkout(base);
    base = await repo.commit({ ".github/replay-gate.yml": `${CONFIG}alertmanager:\n  emulate: "0.30"\n` }, "base: emulate Alertmanager 0.30");
    const result = await runOn(heads[1]!, "edited");
    expect(result.outputs["verdict"]).toBe("pending");
    expect(comment()).toMatch(new RegExp(`not counted: carol — approved ${heads[0]!.slice(0, 7)}; the evidence changed since`));
  });
});
