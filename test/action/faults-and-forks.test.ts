/**
 * GitHub API faults and read-only tokens against the API emulator: a fork's token stops writes at
 * the first 403 and keeps the summary and artifact (end to end: the built bundle, as a fork's run
 * starts it); a token without `statuses: write` gets the permissions fix; rate limits, 5xx on reads
 * and a 502 after a comment was created are absorbed without a duplicate comment (in-process: the
 * Action's run() over loopback HTTP, the same client, retries and throttling).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitHubEmulator, TOKEN_PRESETS, type GitHubEmulator } from "../support/github-emulator/index.js";
import { APPROVALS_CONFIG, bundled, createRepo, openPull, POLICY_PATH, pushToPull, runAction, runActionInProcess, unexpectedStderr, type TestRepo } from "../support/action-harness.js";

let emu: GitHubEmulator;
let repo: TestRepo;
let head: string;

beforeAll(async () => {
  emu = await startGitHubEmulator({ owner: "acme", repo: "netops" });
  emu.addToken("ghs_fork", TOKEN_PRESETS.forkPullRequest);
  emu.addToken("ghs_nostatus", { permissions: { metadata: "read", contents: "read", pull_requests: "write", issues: "write", actions: "read" } });
  emu.addToken("ghs_ok", TOKEN_PRESETS.sameRepoPullRequest);
  repo = await createRepo({}, ["2026-03-18-pop12-quiet"]);
  head = await repo.commit({ [POLICY_PATH]: (await bundled(POLICY_PATH)).replace("the current version.", "the current version, tidied.") });
});

afterAll(async () => {
  await emu?.close();
  await repo?.remove();
});

const writes = () => emu.requests.filter((r) => r.surface === "rest" && r.method !== "GET" || r.surface === "graphql");

describe("read-only and under-privileged tokens", () => {
  it("a fork pull request stops writing at the first 403, keeps the summary and the artifact, and explains the workflow_run pattern", async () => {
    const payload = openPull(emu, repo, 40, head, "outsider", "outsider/netops");
    emu.clearLog();
    const run = await runAction({ emu, repo, token: "ghs_fork", eventName: "pull_request", payload: { ...payload, action: "opened" } });
    expect(unexpectedStderr(run.stderr)).toBe("");
    expect(run.code).toBe(0);
    expect(run.outputs["verdict"]).toBe("pass");
    expect(writes().map((r) => [r.operation, r.status])).toEqual([["repos/create-commit-status", 403]]);
    expect(emu.statuses(head)).toEqual([]);
    expect(emu.comments("acme", "netops", 40)).toEqual([]);
    expect(run.summary).toContain("**Writes to GitHub stopped**");
    expect(run.summary).toContain("comes from a fork, so the workflow token is read-only");
    // The message is escaped for Markdown (it quotes GitHub's error text): `\_` renders as `_`.
    expect(run.summary).toContain("workflow\\_run");
    expect(run.summary).toContain("## replay-gate: pass");
    expect(emu.artifacts().filter((a) => a.finalized)).toHaveLength(1);
    expect(emu.violations).toEqual([]);
  });

  it("a token without statuses: write gets the permissions fix and no later writes", async () => {
    const payload = openPull(emu, repo, 41, head);
    emu.clearLog();
    const run = await runActionInProcess({ emu, repo, token: "ghs_nostatus", eventName: "pull_request", payload: { ...payload, action: "opened" } });
    expect(run.code).toBe(0);
    expect(writes().map((r) => r.status)).toEqual([403]);
    expect(run.stdout).toMatch(/::warning::commit status replay-gate: GitHub refused the call \(403 [^)]*\): give the job a permissions: block with pull-requests: write, statuses: write/);
    expect(run.summary).toContain("give the job a permissions: block");
    expect(emu.violations).toEqual([]);
  });
});

describe("team approvers without members: read", () => {
  it("reports 'cannot verify' rather than 'not a member', and stays pending", async () => {
    const gated = await createRepo({ ".github/replay-gate.yml": APPROVALS_CONFIG }, ["2026-03-18-pop12-quiet"]);
    try {
      const sha = await gated.commit({ [POLICY_PATH]: (await bundled(POLICY_PATH)).replace("the current version.", "team check.") });
      emu.addTeamMember("acme", "noc-reviewers", "carol");
      emu.setPermission("carol", "write");
      const payload = openPull(emu, gated, 46, sha);
      emu.addReview(46, { user: "carol", state: "APPROVED" });
      const run = await runActionInProcess({ emu, repo: gated, token: "ghs_ok", eventName: "pull_request", payload: { ...payload, action: "opened" } });
      expect(run.outputs["verdict"]).toBe("pending");
      expect(emu.comments("acme", "netops", 46)[0]?.body).toContain("not counted: carol — cannot verify membership of team:noc-reviewers (the token cannot read the team: set the approvals-token input to a GitHub App or fine-grained token with Members: read, see the Team approvals section of docs/action.md)");
      expect(emu.violations).toEqual([]);
    } finally {
      await gated.remove();
    }
  });
});

describe("failing closed", () => {
  it("a pull request over GitHub's 3,000-file listing cap fails closed with a clear message and an error status", async () => {
    const payload = openPull(emu, repo, 43, head);
    pushToPull(emu, 43, head, Array.from({ length: 3001 }, (_, i) => `data/file-${i}.txt`));
    const run = await runActionInProcess({ emu, repo, token: "ghs_ok", eventName: "pull_request", payload: { ...payload, action: "opened" } });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("::error::This pull request changes 3001 files; GitHub lists at most 3000");
    expect(emu.statuses(head).filter((s) => s.context === "replay-gate").map((s) => s.state).slice(-2)).toEqual(["pending", "error"]);
    expect(emu.violations).toEqual([]);
  });

  it("an invalid config at the base turns the pending status into failure with what to fix, never success or a lasting error", async () => {
    const broken = await createRepo({ ".github/replay-gate.yml": "thresholds:\n  min_parity: lots\n" }, ["2026-03-18-pop12-quiet"]);
    try {
      const sha = await broken.commit({ [POLICY_PATH]: (await bundled(POLICY_PATH)).replace("the current version.", "crash.") });
      const payload = openPull(emu, broken, 44, sha);
      const run = await runActionInProcess({ emu, repo: broken, token: "ghs_ok", eventName: "pull_request", payload: { ...payload, action: "opened" } });
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/::error[^\n]*::.*replay-gate\.yml:2:\d+: thresholds\.min_parity/);
      expect(emu.statuses(sha).map((s) => s.state)).toEqual(["pending", "failure"]);
      expect(emu.comments("acme", "netops", 44)[0]?.body).toContain("**config-unreadable**");
      expect(run.outputs["verdict"]).toBe("fail");
    } finally {
      await broken.remove();
    }
  });

  it("an invalid token (401) is explained, writes stop, and the report is still in the summary", async () => {
    const payload = openPull(emu, repo, 45, head);
    emu.clearLog();
    const run = await runActionInProcess({ emu, repo, token: "ghs_revoked", eventName: "pull_request", payload: { ...payload, action: "opened" } });
    expect(run.code).toBe(0);
    expect(run.summary).toContain("GitHub refused the token (401");
    expect(run.summary).toContain("## replay-gate: pass");
    expect(emu.requests.filter((r) => r.method !== "GET" && r.surface === "rest").map((r) => r.status)).toEqual([401]);
    expect(run.stdout).toContain("using git diff");
  });
});

describe("faults GitHub really sends", () => {
  it("retries a 429 with retry-after, a 502 on a read, a secondary rate limit and a primary rate limit, and never duplicates a comment created before a 502", async () => {
    const payload = openPull(emu, repo, 42, head);
    const tooMany = emu.fault({ method: "GET", path: "/repos/{owner}/{repo}/pulls/{pull_number}/files", respond: { type: "too-many-requests", retryAfterSeconds: 1 } });
    const badGateway = emu.fault({ method: "GET", path: "/repos/{owner}/{repo}/pulls/{pull_number}", respond: { type: "status", status: 502 } });
    const secondary = emu.fault({ method: "POST", path: "/repos/{owner}/{repo}/statuses/{sha}", respond: { type: "secondary-rate-limit", retryAfterSeconds: 1 } });
    const primary = emu.fault({ method: "GET", path: "/repos/{owner}/{repo}/issues/{issue_number}/comments", respond: { type: "primary-rate-limit", resetInSeconds: 1 } });
    const lost = emu.fault({ method: "POST", path: "/repos/{owner}/{repo}/issues/{issue_number}/comments", respond: { type: "error-after-effect", status: 502 } });
    const run = await runActionInProcess({ emu, repo, token: "ghs_ok", eventName: "pull_request", payload: { ...payload, action: "opened" } });
    emu.clearFaults();
    expect(unexpectedStderr(run.stderr)).toBe("");
    expect(run.code).toBe(0);
    expect([tooMany.hits, badGateway.hits, secondary.hits, primary.hits, lost.hits]).toEqual([1, 1, 1, 1, 1]);
    expect(emu.comments("acme", "netops", 42)).toHaveLength(1);
    expect(emu.statuses(head).filter((s) => s.context === "replay-gate").map((s) => s.state).slice(-2)).toEqual(["pending", "success"]);
    expect(run.stdout).toContain("The comment was created although GitHub answered with an error; not creating it again.");
    expect(emu.violations).toEqual([]);
  });
});
