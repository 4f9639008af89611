/**
 * The `comment` input end to end: no write when nothing visible changed, `hide-and-new` minimizes
 * the older comment, `delete-and-new` deletes it, `off` writes none — and a person's comment that
 * quotes (or even starts with) the marker is never touched.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { restClient } from "../emulator/clients.js";
import { commentMarker } from "../../src/core/comment/envelope.js";
import { startGitHubEmulator, TOKEN_PRESETS, type GitHubEmulator } from "../support/github-emulator/index.js";
import { APPROVALS_CONFIG, bundled, createRepo, openPull, POLICY_PATH, runAction, unexpectedStderr, type ActionRun, type TestRepo } from "../support/action-harness.js";

const TOKEN = "ghs_comments";
const PR = 70;
let emu: GitHubEmulator;
let repo: TestRepo;
let payload: Record<string, unknown>;
const marker = commentMarker(".github/replay-gate.yml");
const humanBodies = [`> ${marker}\n> the bot said this`, `${marker}\nI typed the marker myself`];

async function run(eventName: string, comment: string): Promise<ActionRun> {
  const result = await runAction({ emu, repo, token: TOKEN, eventName, payload: { ...payload, action: eventName === "pull_request" ? "synchronize" : "submitted" }, inputs: { comment } });
  expect(unexpectedStderr(result.stderr)).toBe("");
  expect(emu.violations).toEqual([]);
  return result;
}

const bots = () => emu.comments(emu.owner, emu.repo, PR).filter((c) => c.author === "github-actions[bot]");
const humans = () => emu.comments(emu.owner, emu.repo, PR).filter((c) => c.author === "alice").map((c) => [c.body, c.updatedAt === c.createdAt]);
const commentWrites = () => emu.requests.filter((r) => /^issues\/(create|update|delete)-comment$/.test(r.operation ?? "") || r.surface === "graphql").map((r) => r.operation ?? r.surface);

beforeAll(async () => {
  emu = await startGitHubEmulator({ owner: "acme", repo: "netops" });
  emu.addToken(TOKEN, TOKEN_PRESETS.withOrgRead);
  emu.addToken("ghp_alice", { login: "alice", permissions: { issues: "write", pull_requests: "write" }, refusal: "personal-access-token" });
  emu.setPermission("carol", "write");
  emu.addTeamMember("acme", "noc-reviewers", "carol");
  repo = await createRepo({ ".github/replay-gate.yml": APPROVALS_CONFIG }, ["2026-03-18-pop12-quiet"]);
  const head = await repo.commit({ [POLICY_PATH]: (await bundled(POLICY_PATH)).replace("the current version.", "commented.") });
  payload = openPull(emu, repo, PR, head);
});

afterAll(async () => {
  await emu?.close();
  await repo?.remove();
});

describe("comment modes", () => {
  it("update writes one comment and does not write again when nothing visible changed", async () => {
    await run("pull_request", "update");
    expect(bots()).toHaveLength(1);
    const alice = restClient(emu, "ghp_alice");
    for (const body of humanBodies) await alice.rest.issues.createComment({ owner: "acme", repo: "netops", issue_number: PR, body });
    emu.clearLog();
    await run("pull_request", "update");
    expect(commentWrites()).toEqual([]);
    expect(bots()).toHaveLength(1);
  });

  it("hide-and-new adds a comment and minimizes the older one", async () => {
    emu.addReview(PR, { user: "carol", state: "APPROVED" });
    emu.clearLog();
    await run("pull_request_review", "hide-and-new");
    expect(commentWrites()).toEqual(["issues/create-comment", "graphql"]);
    expect(bots().map((c) => c.minimizedReason)).toEqual(["outdated", undefined]);
    expect(bots()[1]?.body).toContain("## replay-gate: ✅ pass");
  });

  it("delete-and-new adds a comment and deletes the older ones", async () => {
    emu.addReview(PR, { user: "carol", state: "CHANGES_REQUESTED" });
    await run("pull_request_review", "delete-and-new");
    expect(bots()).toHaveLength(1);
    expect(bots()[0]?.body).toContain("## replay-gate: ⏳ pending");
    expect(bots()[0]?.body).toContain("Run history (2 earlier)");
  });

  it("off writes no comment, and people's comments were never touched", async () => {
    emu.addReview(PR, { user: "carol", state: "APPROVED" });
    emu.clearLog();
    const result = await run("pull_request_review", "off");
    expect(result.outputs["verdict"]).toBe("pass");
    expect(commentWrites()).toEqual([]);
    expect(humans()).toEqual(humanBodies.map((b) => [b, true]));
  });
});
