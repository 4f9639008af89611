/**
 * Approvals, in-process (the Action's run() against the API emulator over loopback HTTP): a pull request waits for a listed approver, ignores self, bot and
 * read-permission approvals, turns green on `pull_request_review` (reusing the earlier replay),
 * goes back to pending on a request for changes, drops an approval whose evidence changed and
 * keeps one whose evidence did not.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyChain } from "../../src/core/evidence/decision-log.js";
import { startGitHubEmulator, TOKEN_PRESETS, type GitHubEmulator } from "../support/github-emulator/index.js";
import { APPROVALS_CONFIG, bundled, createRepo, openPull, POLICY_PATH, pushToPull, runActionInProcess, unexpectedStderr, type ActionRun, type TestRepo } from "../support/action-harness.js";

const TOKEN = "ghs_approvals";
const PR = 2;
let emu: GitHubEmulator;
let repo: TestRepo;
let policy: string;
let payload: Record<string, unknown>;
const heads: string[] = [];

const comment = () => {
  const all = emu.comments(emu.owner, emu.repo, PR);
  expect(all).toHaveLength(1);
  return all[0]!.body;
};
const lastStatus = (sha: string) => emu.statuses(sha).filter((s) => s.context === "replay-gate").at(-1);

async function run(eventName: string, action: string): Promise<ActionRun> {
  const result = await runActionInProcess({ emu, repo, token: TOKEN, eventName, payload: { ...payload, action } });
  expect(unexpectedStderr(result.stderr)).toBe("");
  expect(emu.violations).toEqual([]);
  return result;
}

beforeAll(async () => {
  emu = await startGitHubEmulator({ owner: "acme", repo: "netops" });
  emu.addToken(TOKEN, TOKEN_PRESETS.withOrgRead);
  emu.setPermission("alice", "read");
  emu.setPermission("carol", "write");
  emu.addTeamMember("acme", "noc-reviewers", "carol");
  emu.setPermission("reader", "read");
  repo = await createRepo({ ".github/replay-gate.yml": APPROVALS_CONFIG }, ["2026-03-18-pop12-quiet", "2026-03-04-pop7-dns-latency"]);
  policy = await bundled(POLICY_PATH);
  heads.push(await repo.commit({ [POLICY_PATH]: policy.replace("the current version.", "the current version (reviewed).") }));
  payload = openPull(emu, repo, PR, heads[0]!);
});

afterAll(async () => {
  await emu?.close();
  await repo?.remove();
});

describe("approvals on a pull request that changes a policy", () => {
  it("is pending until a listed approver approves, naming who can approve", async () => {
    const result = await run("pull_request", "opened");
    expect(result.code).toBe(0);
    expect(result.outputs["verdict"]).toBe("pending");
    expect(emu.statuses(heads[0]!).map((s) => s.state)).toEqual(["pending", "pending"]);
    expect(lastStatus(heads[0]!)?.description).toMatch(/^pending: waiting for approvals: paths:policies\/\*\.yaml: 0\/1/);
    expect(comment()).toContain("can still approve: `team:noc-reviewers`, `user:alice`");
    expect(result.summary).toContain("## replay-gate: pending");
  });

  it("ignores the author's, a bot's and a read-permission reviewer's approvals", async () => {
    emu.addReview(PR, { user: "dev", state: "APPROVED" });
    emu.addReview(PR, { user: "renovate[bot]", state: "APPROVED" });
    emu.addReview(PR, { user: "alice", state: "APPROVED" });
    const result = await run("pull_request_review", "submitted");
    expect(result.outputs["verdict"]).toBe("pending");
    const body = comment();
    expect(body).toContain("not counted: dev — is the pull request author");
    expect(body).toContain("not counted: renovate\\[bot\\] — is a bot");
    expect(body).toContain("not counted: alice — not a member of team:noc-reviewers; is user:alice but has read permission (write, maintain or admin needed)");
  });

  it("turns green on a team member's approval, reusing the earlier replay", async () => {
    emu.addReview(PR, { user: "carol", state: "APPROVED" });
    const result = await run("pull_request_review", "submitted");
    expect(result.outputs["verdict"]).toBe("pass");
    expect(result.stdout).toMatch(/Reusing the replay of artifact replay-gate-\d+-1 /);
    expect(lastStatus(heads[0]!)?.state).toBe("success");
    expect(comment()).toContain("counted: carol (team:noc-reviewers)");
    expect(comment()).toContain("Run history (1 earlier)");
  });

  it("goes back to pending when the approver then requests changes", async () => {
    emu.addReview(PR, { user: "carol", state: "CHANGES_REQUESTED" });
    const result = await run("pull_request_review", "submitted");
    expect(result.outputs["verdict"]).toBe("pending");
    expect(comment()).toContain("not counted: carol — latest review requests changes");
    expect(lastStatus(heads[0]!)?.state).toBe("pending");
  });

  it("does not count an approval of an older commit whose evidence changed", async () => {
    emu.addReview(PR, { user: "carol", state: "APPROVED", commitId: heads[0]! });
    heads.push(await repo.commit({ [POLICY_PATH]: policy.replace("the current version.", "the current version (edited again).") }));
    pushToPull(emu, PR, heads[1]!, repo.changedFiles(heads[1]!));
    payload = { ...payload, pull_request: { ...(payload["pull_request"] as object), head: { ...((payload["pull_request"] as { head: object }).head), sha: heads[1] } } };
    const result = await run("pull_request", "synchronize");
    expect(result.outputs["verdict"]).toBe("pending");
    expect(comment()).toMatch(new RegExp(`not counted: carol — approved ${heads[0]!.slice(0, 7)}; the evidence changed since`));
    expect(lastStatus(heads[1]!)?.state).toBe("pending");
  });

  it("counts an approval of an older commit when the evidence is unchanged", async () => {
    emu.addReview(PR, { user: "carol", state: "APPROVED", commitId: heads[1]! });
    heads.push(await repo.commit({ "README.md": "notes that are not evidence\n" }));
    pushToPull(emu, PR, heads[2]!, repo.changedFiles(heads[2]!));
    payload = { ...payload, pull_request: { ...(payload["pull_request"] as object), head: { ...((payload["pull_request"] as { head: object }).head), sha: heads[2] } } };
    const result = await run("pull_request", "synchronize");
    expect(result.outputs["verdict"]).toBe("pass");
    expect(result.outputs["evidence-digest"]).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(comment()).toContain(`counted: carol (team:noc-reviewers, approved \`${heads[1]!.slice(0, 7)}\` with unchanged evidence)`);
    expect(lastStatus(heads[2]!)?.state).toBe("success");
    expect([...comment()].length).toBeLessThanOrEqual(65_536);
    // The pull request's decision log is carried from artifact to artifact, one chained record per run.
    const log = emu.artifacts().at(-1)!.files().get("decision-log.jsonl")!.toString("utf8");
    const check = verifyChain(log);
    expect(check.ok).toBe(true);
    // Each run ends its status with the log's anchor, which the next run checked before appending.
    expect(lastStatus(heads[2]!)?.description).toMatch(new RegExp(` · log ${check.ok ? check.head!.slice(7, 23) : "-"}/6$`));
    const records = log.trim().split("\n").map((line) => JSON.parse(line) as { verdict: string; triggered_by: { event: string }; approvals: { counted: { reviewer: string }[] } });
    expect(records.map((r) => [r.triggered_by.event, r.verdict])).toEqual([
      ["pull_request", "pending"],
      ["pull_request_review", "pending"],
      ["pull_request_review", "pass"],
      ["pull_request_review", "pending"],
      ["pull_request", "pending"],
      ["pull_request", "pass"],
    ]);
    expect(records.at(-1)?.approvals.counted.map((c) => c.reviewer)).toEqual(["carol"]);
  });
});
