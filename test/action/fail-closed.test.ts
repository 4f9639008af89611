/**
 * Issue 9 against the API emulator: team approvals through `approvals-token` while a bot sits in
 * the approver list, a config the gate cannot read (end to end: the built bundle as the runner
 * starts it), and an explicitly named config that is missing (in-process: the Action's run()) —
 * each a `failure` or a pass with evidence, never `error` for ever and never `success` without evidence.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitHubEmulator, TOKEN_PRESETS, type GitHubEmulator } from "../support/github-emulator/index.js";
import { bundled, createRepo, openPull, POLICY_PATH, runAction, runActionInProcess, unexpectedStderr, type ActionRun, type TestRepo } from "../support/action-harness.js";

const TOKEN = "ghs_job_token";
const APP_TOKEN = "ghs_app_members_read";
const TEAM_CONFIG = `policies: policies/*.yaml
windows: policies/windows/*
approvals:
  - paths: policies/*.yaml
    required: 1
    from: [team:noc-reviewers, "user:renovate[bot]"]   # quoted: [ ] inside a flow list
`;
let emu: GitHubEmulator;
const repos: TestRepo[] = [];

beforeAll(async () => {
  emu = await startGitHubEmulator({ owner: "acme", repo: "netops" });
  // GITHUB_TOKEN: no organisation access, as on GitHub.
  emu.addToken(TOKEN, TOKEN_PRESETS.sameRepoPullRequest);
  // An App installation token with Members: read, and nothing to write with.
  emu.addToken(APP_TOKEN, { login: "replay-gate-approvals[bot]", permissions: { metadata: "read", members: "read" } });
  emu.setPermission("carol", "write");
  emu.addTeamMember("acme", "noc-reviewers", "carol");
});

afterAll(async () => {
  await emu?.close();
  for (const r of repos) await r.remove();
});

async function scenario(baseFiles: Record<string, string>, pr: number): Promise<{ repo: TestRepo; head: string; payload: Record<string, unknown> }> {
  const repo = await createRepo(baseFiles, ["2026-03-18-pop12-quiet"]);
  repos.push(repo);
  const policy = await bundled(POLICY_PATH);
  const head = await repo.commit({ [POLICY_PATH]: policy.replace("the current version.", "the current version (reviewed).") });
  return { repo, head, payload: { ...openPull(emu, repo, pr, head), action: "opened" } };
}

/** One run of the Action: in-process unless `via` is {@link runAction} (the built bundle). */
async function run(repo: TestRepo, payload: Record<string, unknown>, inputs: Record<string, string> = {}, eventName = "pull_request", via: typeof runAction = runActionInProcess): Promise<ActionRun> {
  const result = await via({ emu, repo, token: TOKEN, eventName, payload, inputs });
  expect(unexpectedStderr(result.stderr)).toBe("");
  expect(emu.violations).toEqual([]);
  return result;
}

const lastStatus = (sha: string) => emu.statuses(sha).filter((s) => s.context === "replay-gate").at(-1);
const body = (pr: number) => emu.comments(emu.owner, emu.repo, pr).at(-1)?.body ?? "";

describe("team approvals that can work", () => {
  it("counts a team member's approval through approvals-token, and reports the bot in the list as never counting", async () => {
    const { repo, head, payload } = await scenario({ ".github/replay-gate.yml": TEAM_CONFIG }, 91);
    emu.addReview(91, { user: "carol", state: "APPROVED" });
    const without = await run(repo, { ...payload, action: "submitted" }, {}, "pull_request_review");
    expect(without.outputs["verdict"], without.summary.slice(0, 3000)).toBe("pending");
    expect(body(91)).toContain("cannot verify membership of team:noc-reviewers (the token cannot read the team: set the approvals-token input");
    const withToken = await run(repo, { ...payload, action: "submitted" }, { "approvals-token": APP_TOKEN }, "pull_request_review");
    expect(withToken.outputs["verdict"]).toBe("pass");
    expect(lastStatus(head)?.state).toBe("success");
    expect(body(91)).toContain("counted: carol (team:noc-reviewers)");
    expect(body(91)).toContain("`user:renovate[bot]`: bots never count as approvals");
    expect(withToken.outputs["parity"]).toBe("1");
  });
});

describe("a config the gate cannot read", () => {
  it("sets failure (not error) with a comment saying what to fix on the base branch", async () => {
    const { repo, head, payload } = await scenario({ ".github/replay-gate.yml": "thresholds:\n  min_parity: high\n" }, 92);
    const result = await run(repo, payload, {}, "pull_request", runAction);
    expect(result.outputs["verdict"]).toBe("fail");
    expect(result.code).toBe(1);
    expect(lastStatus(head)?.state).toBe("failure");
    expect(lastStatus(head)?.description).toContain("gate config .github/replay-gate.yml at the base cannot be read (1 problem); fix it on main");
    expect(body(92)).toContain("**config-unreadable**");
    expect(body(92)).toContain("thresholds.min_parity");
    expect(body(92)).toContain("on `main` (the config is always read from the base commit");
  });

  it("fails closed when the config input names a file the base commit does not have", async () => {
    const { repo, head, payload } = await scenario({}, 93);
    const result = await run(repo, payload, { config: ".github/gates/replay-gate.yml" });
    expect(result.outputs["verdict"]).toBe("fail");
    expect(lastStatus(head)?.state).toBe("failure");
    expect(body(93)).toContain(".github/gates/replay-gate.yml: no such config file at");
  });
});
