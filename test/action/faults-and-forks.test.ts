/**
 * GitHub API faults and read-only tokens, end to end: a fork's token stops writes at the first
 * 403 and keeps the summary and artifact; a token without `statuses: write` gets the permissions
 * fix; rate limits, 5xx on reads and a 502 after a comment was created are absorbed without a
 * duplicate comment.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitHubEmulator, TOKEN_PRESETS, type GitHubEmulator } from "../support/github-emulator/index.js";
import { bundled, createRepo, openPull, POLICY_PATH, runAction, unexpectedStderr, type TestRepo } from "../support/action-harness.js";

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
    expect(run.summary).toContain("workflow_run");
    expect(run.summary).toContain("## replay-gate: pass");
    expect(emu.artifacts().filter((a) => a.finalized)).toHaveLength(1);
    expect(emu.violations).toEqual([]);
  });

  it("a token without statuses: write gets the permissions fix and no later writes", async () => {
    const payload = openPull(emu, repo, 41, head);
    emu.clearLog();
    const run = await runAction({ emu, repo, token: "ghs_nostatus", eventName: "pull_request", payload: { ...payload, action: "opened" } });
    expect(run.code).toBe(0);
    expect(writes().map((r) => r.status)).toEqual([403]);
    expect(run.stdout).toMatch(/::warning::commit status replay-gate: GitHub refused the call \(403 [^)]*\): give the job a permissions: block with pull-requests: write, statuses: write/);
    expect(run.summary).toContain("give the job a permissions: block");
    expect(emu.violations).toEqual([]);
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
    const run = await runAction({ emu, repo, token: "ghs_ok", eventName: "pull_request", payload: { ...payload, action: "opened" } });
    emu.clearFaults();
    expect(unexpectedStderr(run.stderr)).toBe("");
    expect(run.code).toBe(0);
    expect([tooMany.hits, badGateway.hits, secondary.hits, primary.hits, lost.hits]).toEqual([1, 1, 1, 1, 1]);
    expect(emu.comments("acme", "netops", 42)).toHaveLength(1);
    expect(emu.statuses(head).filter((s) => s.context === "replay-gate").map((s) => s.state)).toEqual(["pending", "success"]);
    expect(run.stdout).toContain("The comment was created although GitHub answered with an error; not creating it again.");
    expect(emu.violations).toEqual([]);
  });
});
