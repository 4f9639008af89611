import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EMULATED_OPERATIONS, startGitHubEmulator, TOKEN_PRESETS, type GitHubEmulator } from "../support/github-emulator/index.js";
import { restClient, sha, uploadRaw } from "./clients.js";

const OWNER = "acme";
const REPO = "netops";
const HEAD = sha("a");
const BASE = sha("b");
const FIXED_NOW = new Date("2026-03-01T12:00:00.000Z");

let emu: GitHubEmulator;
let octokit: ReturnType<typeof restClient>;

beforeAll(async () => {
  emu = await startGitHubEmulator({ owner: OWNER, repo: REPO, clock: () => FIXED_NOW });
  emu.addToken("ghs_writer", TOKEN_PRESETS.withOrgRead);
  octokit = restClient(emu, "ghs_writer");
  emu.addPull({
    number: 12,
    author: "dev",
    title: "Tighten edge-gw policy",
    head: { sha: HEAD, ref: "tighten" },
    base: { sha: BASE },
    files: Array.from({ length: 250 }, (_, i) => ({ filename: `policies/p${String(i).padStart(3, "0")}.yaml`, additions: 2, deletions: 1, patch: "@@ -1 +1 @@" })),
  });
  emu.addPull({ number: 13, author: "outsider", head: { sha: sha("c"), ref: "patch-1", repo: "outsider/netops" }, base: { sha: BASE } });
  for (const user of ["alice", "bob", "carol"]) emu.addReview(12, { user, state: "APPROVED" });
});

afterAll(async () => {
  await emu.close();
});

describe("REST tour with the shipped client", () => {
  it("pages through 250 files with GitHub's Link header", async () => {
    const first = await octokit.rest.pulls.listFiles({ owner: OWNER, repo: REPO, pull_number: 12, per_page: 100 });
    const page = (n: number) => `${emu.url}/repos/${OWNER}/${REPO}/pulls/12/files?per_page=100&page=${n}`;
    expect(first.headers.link).toBe(`<${page(2)}>; rel="next", <${page(3)}>; rel="last"`);
    const second = await octokit.request(`GET ${page(2).slice(emu.url.length)}`);
    expect(second.headers.link).toBe(`<${page(1)}>; rel="prev", <${page(3)}>; rel="next", <${page(3)}>; rel="last", <${page(1)}>; rel="first"`);

    emu.clearLog();
    const files = await octokit.paginate(octokit.rest.pulls.listFiles, { owner: OWNER, repo: REPO, pull_number: 12, per_page: 100 });
    expect(files).toHaveLength(250);
    expect(files[249]?.filename).toBe("policies/p249.yaml");
    expect(emu.requests.map((r) => r.query["page"] ?? "1")).toEqual(["1", "2", "3"]);
  });

  it("caps the files listing at 3000 like GitHub", async () => {
    const { number } = emu.addPull({ head: { sha: sha("d") }, base: { sha: BASE }, files: Array.from({ length: 3050 }, (_, i) => ({ filename: `f${i}` })) });
    const files = await octokit.paginate(octokit.rest.pulls.listFiles, { owner: OWNER, repo: REPO, pull_number: number, per_page: 100 });
    expect(files).toHaveLength(3000);
    const pull = await octokit.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: number });
    expect(pull.data.changed_files).toBe(3050);
  });

  it("serves pull requests, including one from a fork", async () => {
    const own = await octokit.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 12 });
    expect(own.data).toMatchObject({ number: 12, title: "Tighten edge-gw policy", user: { login: "dev" }, head: { sha: HEAD, ref: "tighten" }, base: { sha: BASE, ref: "main" } });
    expect(own.data.html_url).toBe(`https://github.com/${OWNER}/${REPO}/pull/12`);
    expect(own.data.created_at).toBe("2026-03-01T12:00:00Z");
    const fork = await octokit.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 13 });
    expect(fork.data.head.repo?.full_name).toBe("outsider/netops");
    expect(fork.data.base.repo.full_name).toBe(`${OWNER}/${REPO}`);
  });

  it("lists reviews in submission order, paginated", async () => {
    const reviews = await octokit.paginate(octokit.rest.pulls.listReviews, { owner: OWNER, repo: REPO, pull_number: 12, per_page: 2 });
    expect(reviews.map((r) => [r.user?.login, r.state, r.commit_id])).toEqual([
      ["alice", "APPROVED", HEAD],
      ["bob", "APPROVED", HEAD],
      ["carol", "APPROVED", HEAD],
    ]);
  });

  it("creates, lists, updates and deletes comments", async () => {
    const created = await octokit.rest.issues.createComment({ owner: OWNER, repo: REPO, issue_number: 12, body: "<!-- replay-gate -->\nfirst" });
    expect(created.status).toBe(201);
    expect(created.data.html_url).toBe(`https://github.com/${OWNER}/${REPO}/pull/12#issuecomment-${created.data.id}`);
    expect(created.data.user?.login).toBe("github-actions[bot]");
    await octokit.rest.issues.updateComment({ owner: OWNER, repo: REPO, comment_id: created.data.id, body: "<!-- replay-gate -->\nsecond" });
    const extra = await octokit.rest.issues.createComment({ owner: OWNER, repo: REPO, issue_number: 12, body: "to delete" });
    await octokit.rest.issues.deleteComment({ owner: OWNER, repo: REPO, comment_id: extra.data.id });
    const listed = await octokit.paginate(octokit.rest.issues.listComments, { owner: OWNER, repo: REPO, issue_number: 12 });
    expect(listed.map((c) => c.body)).toEqual(["<!-- replay-gate -->\nsecond"]);
    expect(emu.comments(OWNER, REPO, 12).map((c) => c.body)).toEqual(["<!-- replay-gate -->\nsecond"]);
  });

  it("refuses a comment over 65536 characters with GitHub's 422", async () => {
    const error = await octokit.rest.issues.createComment({ owner: OWNER, repo: REPO, issue_number: 12, body: "x".repeat(65537) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 422, response: { data: { message: "Validation Failed", errors: [{ resource: "IssueComment", code: "unprocessable", field: "data", message: "Body is too long (maximum is 65536 characters)" }] } } });
    // The limit counts characters, not UTF-16 units: 65536 emoji fit.
    const exact = await octokit.rest.issues.createComment({ owner: OWNER, repo: REPO, issue_number: 12, body: "🟢".repeat(65536) });
    expect(exact.status).toBe(201);
    await expect(octokit.rest.issues.create({ owner: OWNER, repo: REPO, title: "t", body: "x".repeat(65537) })).rejects.toMatchObject({ status: 422, response: { data: { errors: [{ resource: "Issue", field: "body" }] } } });
  });

  it("combines commit statuses per context", async () => {
    await octokit.rest.repos.createCommitStatus({ owner: OWNER, repo: REPO, sha: HEAD, state: "pending", context: "replay-gate" });
    await octokit.rest.repos.createCommitStatus({ owner: OWNER, repo: REPO, sha: HEAD, state: "success", context: "replay-gate", description: "4 windows identical" });
    await octokit.rest.repos.createCommitStatus({ owner: OWNER, repo: REPO, sha: HEAD, state: "success", context: "lint" });
    const combined = await octokit.rest.repos.getCombinedStatusForRef({ owner: OWNER, repo: REPO, ref: HEAD });
    expect(combined.data.state).toBe("success");
    expect(combined.data.total_count).toBe(2);
    const byBranch = await octokit.rest.repos.getCombinedStatusForRef({ owner: OWNER, repo: REPO, ref: "tighten" });
    expect(byBranch.data.sha).toBe(HEAD);
    const all = await octokit.rest.repos.listCommitStatusesForRef({ owner: OWNER, repo: REPO, ref: HEAD });
    expect(all.data.map((s) => `${s.context}:${s.state}`)).toEqual(["lint:success", "replay-gate:success", "replay-gate:pending"]);
    expect(emu.statuses(HEAD).map((s) => s.state)).toEqual(["pending", "success", "success"]);
  });

  it("reports collaborator permission and team membership", async () => {
    emu.setPermission("alice", "maintain");
    emu.setPermission("bob", "triage");
    emu.addTeamMember(OWNER, "noc-reviewers", "carol");
    const alice = await octokit.rest.repos.getCollaboratorPermissionLevel({ owner: OWNER, repo: REPO, username: "alice" });
    expect([alice.data.permission, alice.data.role_name, alice.data.user?.permissions?.push]).toEqual(["write", "maintain", true]);
    const bob = await octokit.rest.repos.getCollaboratorPermissionLevel({ owner: OWNER, repo: REPO, username: "bob" });
    expect([bob.data.permission, bob.data.user?.permissions?.push]).toEqual(["read", false]);
    const team = await octokit.rest.teams.getByName({ org: OWNER, team_slug: "noc-reviewers" });
    expect(team.data).toMatchObject({ slug: "noc-reviewers", members_count: 1 });
    const carol = await octokit.rest.teams.getMembershipForUserInOrg({ org: OWNER, team_slug: "noc-reviewers", username: "carol" });
    expect(carol.data).toMatchObject({ role: "member", state: "active" });
    const dave = await octokit.rest.teams.getMembershipForUserInOrg({ org: OWNER, team_slug: "noc-reviewers", username: "alice" }).catch((e: unknown) => e);
    expect(dave).toMatchObject({ status: 404 });
  });

  it("creates, updates and filters issues", async () => {
    const drift = await octokit.rest.issues.create({ owner: OWNER, repo: REPO, title: "Replay drift", body: "details", labels: ["replay-gate", "drift"] });
    await octokit.rest.issues.create({ owner: OWNER, repo: REPO, title: "Unrelated", labels: ["docs"] });
    expect(drift.data.number).toBe(15);
    const open = await octokit.rest.issues.listForRepo({ owner: OWNER, repo: REPO, labels: "replay-gate,drift", creator: "github-actions[bot]" });
    expect(open.data.map((i) => i.title)).toEqual(["Replay drift"]);
    await octokit.rest.issues.update({ owner: OWNER, repo: REPO, issue_number: drift.data.number, state: "closed", state_reason: "completed" });
    const stillOpen = await octokit.rest.issues.listForRepo({ owner: OWNER, repo: REPO, labels: "replay-gate" });
    expect(stillOpen.data).toEqual([]);
    const closed = await octokit.rest.issues.listForRepo({ owner: OWNER, repo: REPO, state: "closed" });
    expect(closed.data.map((i) => [i.number, i.state_reason])).toEqual([[15, "completed"]]);
    const got = await octokit.rest.issues.get({ owner: OWNER, repo: REPO, issue_number: 12 });
    expect(got.data.pull_request?.url).toBe(`${emu.url}/repos/${OWNER}/${REPO}/pulls/12`);
    expect(emu.issues().map((i) => [i.title, i.state, i.labels.join(",")])).toEqual([
      ["Replay drift", "closed", "replay-gate,drift"],
      ["Unrelated", "open", "docs"],
    ]);
  });

  it("describes the repository and its artifacts", async () => {
    const repo = await octokit.rest.repos.get({ owner: OWNER, repo: REPO });
    expect(repo.data).toMatchObject({ full_name: `${OWNER}/${REPO}`, default_branch: "main", private: false });
    const runtimeToken = emu.runtimeToken({ runId: 4242, headSha: HEAD, headBranch: "tighten" });
    const finalized = await uploadRaw(emu, runtimeToken, "replay-gate-report", Buffer.from("not really a zip"));
    expect(finalized.status).toBe(200);
    const list = await octokit.rest.actions.listArtifactsForRepo({ owner: OWNER, repo: REPO, name: "replay-gate-report" });
    expect(list.data.total_count).toBe(1);
    const artifact = list.data.artifacts[0];
    expect(artifact?.workflow_run).toMatchObject({ id: 4242, head_sha: HEAD, head_branch: "tighten" });
    const byRun = await octokit.rest.actions.listWorkflowRunArtifacts({ owner: OWNER, repo: REPO, run_id: 4242 });
    expect(byRun.data.artifacts.map((a) => a.name)).toEqual(["replay-gate-report"]);
    const one = await octokit.rest.actions.getArtifact({ owner: OWNER, repo: REPO, artifact_id: Number(artifact?.id) });
    expect(one.data.size_in_bytes).toBe(16);
    const redirect = await octokit.rest.actions.downloadArtifact({ owner: OWNER, repo: REPO, artifact_id: Number(artifact?.id), archive_format: "zip", request: { redirect: "manual" } });
    expect(redirect.status).toBe(302);
    const bytes = await (await fetch(String(redirect.headers.location))).text();
    expect(bytes).toBe("not really a zip");
  });

  it("validated every emulated operation and found no violation", () => {
    const served = new Set(emu.requests.filter((r) => r.status < 400).map((r) => r.operation));
    expect(EMULATED_OPERATIONS.filter((op) => !served.has(op))).toEqual([]);
    expect(emu.violations).toEqual([]);
  });
});
