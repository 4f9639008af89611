import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startGitHubEmulator, TOKEN_PRESETS, type GitHubEmulator } from "../support/github-emulator/index.js";
import { restClient, sha } from "./clients.js";

const OWNER = "acme";
const REPO = "netops";

let emu: GitHubEmulator;

beforeEach(async () => {
  emu = await startGitHubEmulator({ owner: OWNER, repo: REPO });
  emu.addToken("ghs_writer", TOKEN_PRESETS.sameRepoPullRequest);
  emu.addToken("ghs_fork", TOKEN_PRESETS.forkPullRequest);
  emu.addPull({ number: 3, head: { sha: sha("a") }, base: { sha: sha("b") } });
});

afterEach(async () => {
  await emu.close();
});

async function raw(path: string, init: RequestInit = {}): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const response = await fetch(`${emu.url}${path}`, init);
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

describe("authentication", () => {
  it("answers 401 Requires authentication without a token and Bad credentials for an unknown one", async () => {
    const missing = await raw(`/repos/${OWNER}/${REPO}/pulls/3`);
    expect([missing.status, missing.body["message"]]).toEqual([401, "Requires authentication"]);
    const unknown = await raw(`/repos/${OWNER}/${REPO}/pulls/3`, { headers: { authorization: "token ghs_nope" } });
    expect(unknown).toMatchObject({ status: 401, body: { message: "Bad credentials", documentation_url: "https://docs.github.com/rest" } });
    expect(unknown.headers.get("x-ratelimit-limit")).toBe("60");
    const error = await restClient(emu, "ghs_nope").rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 3 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 401 });
  });

  it("accepts both `token` and `Bearer` and spends the rate limit on every call", async () => {
    const first = await raw(`/repos/${OWNER}/${REPO}`, { headers: { authorization: "token ghs_writer" } });
    const second = await raw(`/repos/${OWNER}/${REPO}`, { headers: { authorization: "Bearer ghs_writer" } });
    expect([first.status, second.status]).toEqual([200, 200]);
    expect([first.headers.get("x-ratelimit-remaining"), second.headers.get("x-ratelimit-remaining")]).toEqual(["4999", "4998"]);
    expect(second.headers.get("x-ratelimit-used")).toBe("2");
    expect(Number(second.headers.get("x-ratelimit-reset"))).toBeGreaterThan(Date.now() / 1000);
  });

  it("refuses writes with a fork's read-only token like GitHub and changes nothing", async () => {
    const fork = restClient(emu, "ghs_fork");
    const pull = await fork.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 3 });
    expect(pull.status).toBe(200);
    const error = await fork.rest.issues.createComment({ owner: OWNER, repo: REPO, issue_number: 3, body: "hi" }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      status: 403,
      response: { data: { message: "Resource not accessible by integration", documentation_url: "https://docs.github.com/rest/issues/comments#create-an-issue-comment" }, headers: { "x-accepted-github-permissions": "issues=write; pull_requests=write" } },
    });
    const status = await fork.rest.repos.createCommitStatus({ owner: OWNER, repo: REPO, sha: sha("a"), state: "success" }).catch((e: unknown) => e);
    expect(status).toMatchObject({ status: 403 });
    expect(emu.comments(OWNER, REPO, 3)).toEqual([]);
    expect(emu.statuses(sha("a"))).toEqual([]);
    expect(emu.violations).toEqual([]);
  });

  it("hides teams from a token without members: read, so the client can say it cannot verify", async () => {
    emu.addTeamMember(OWNER, "neteng-leads", "alice");
    emu.addToken("ghp_no_read_org", { ...TOKEN_PRESETS.sameRepoPullRequest, login: "ci-user", refusal: "personal-access-token" });
    emu.addToken("ghs_org", TOKEN_PRESETS.withOrgRead);
    const team = { org: OWNER, team_slug: "neteng-leads" };
    for (const token of ["ghs_writer", "ghp_no_read_org"]) {
      const octokit = restClient(emu, token);
      await expect(octokit.rest.teams.getMembershipForUserInOrg({ ...team, username: "alice" })).rejects.toMatchObject({ status: 404 });
      // The team itself is invisible too: that is how "cannot verify" differs from "not a member".
      await expect(octokit.rest.teams.getByName(team)).rejects.toMatchObject({ status: 404 });
    }
    const org = restClient(emu, "ghs_org");
    await expect(org.rest.teams.getByName(team)).resolves.toMatchObject({ status: 200, data: { slug: "neteng-leads", members_count: 1, organization: { login: OWNER } } });
    await expect(org.rest.teams.getMembershipForUserInOrg({ ...team, username: "alice" })).resolves.toMatchObject({ status: 200, data: { state: "active", role: "member" } });
    await expect(org.rest.teams.getMembershipForUserInOrg({ ...team, username: "bob" })).rejects.toMatchObject({ status: 404 });
    expect(emu.violations).toEqual([]);
  });
});

describe("contract checks", () => {
  it("rejects a status with state `green` with GitHub's 422 and records the violation", async () => {
    const octokit = restClient(emu, "ghs_writer");
    const error = await octokit
      .request("POST /repos/{owner}/{repo}/statuses/{sha}", {
        owner: OWNER,
        repo: REPO,
        sha: sha("a"),
        // @ts-expect-error Octokit's types already forbid it; the emulator must catch a client that gets past them.
        state: "green",
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 422, response: { data: { message: expect.stringMatching(/^Invalid request\./) } } });
    expect(emu.statuses(sha("a"))).toEqual([]);
    expect(emu.violations).toEqual([
      {
        kind: "request",
        method: "POST",
        path: `/repos/${OWNER}/${REPO}/statuses/${sha("a")}`,
        operation: "repos/create-commit-status",
        problems: ["body /state must be equal to one of the allowed values (error, failure, pending, success)"],
      },
    ]);
  });

  it("records a misspelt body key that GitHub would silently drop, and still answers like GitHub", async () => {
    const octokit = restClient(emu, "ghs_writer");
    const created = await octokit.request("POST /repos/{owner}/{repo}/statuses/{sha}", { owner: OWNER, repo: REPO, sha: sha("a"), state: "success", contxt: "replay-gate" });
    expect(created.data.context).toBe("default");
    expect(emu.violations.map((v) => v.problems)).toEqual([["body property 'contxt' is not defined for repos/create-commit-status"]]);
  });

  it("answers 404 for a wrong path or verb and says what GitHub documents", async () => {
    const octokit = restClient(emu, "ghs_writer");
    await expect(octokit.request("GET /repos/{owner}/{repo}/pull/{n}", { owner: OWNER, repo: REPO, n: 3 })).rejects.toMatchObject({ status: 404 });
    await expect(octokit.request("PUT /repos/{owner}/{repo}/statuses/{sha}", { owner: OWNER, repo: REPO, sha: sha("a"), state: "success" })).rejects.toMatchObject({ status: 404 });
    expect(emu.violations.map((v) => [v.kind, v.problems[0]])).toEqual([
      ["route", `no operation in GitHub's description matches GET /repos/${OWNER}/${REPO}/pull/3`],
      ["route", "PUT is not an operation on this path; GitHub documents POST /repos/{owner}/{repo}/statuses/{sha}"],
    ]);
  });

  it("flags a real GitHub operation the emulator does not implement", async () => {
    await expect(restClient(emu, "ghs_writer").rest.repos.listBranches({ owner: OWNER, repo: REPO })).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/does not implement repos\/list-branches/) });
    expect(emu.violations).toMatchObject([{ kind: "unsupported", operation: "repos/list-branches" }]);
  });

  it("answers 404 for a pull request or repository that does not exist, within the contract", async () => {
    const octokit = restClient(emu, "ghs_writer");
    await expect(octokit.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 99 })).rejects.toMatchObject({ status: 404, response: { data: { message: "Not Found" } } });
    await expect(octokit.rest.repos.get({ owner: OWNER, repo: "other" })).rejects.toMatchObject({ status: 404 });
    expect(emu.violations).toEqual([]);
  });

  it("records every request in order with its status", async () => {
    const octokit = restClient(emu, "ghs_writer");
    await octokit.rest.issues.createComment({ owner: OWNER, repo: REPO, issue_number: 3, body: "one" });
    await octokit.rest.issues.listComments({ owner: OWNER, repo: REPO, issue_number: 3, per_page: 5 });
    expect(emu.requests.map((r) => [r.seq, r.method, r.path, r.status, r.operation])).toEqual([
      [1, "POST", `/repos/${OWNER}/${REPO}/issues/3/comments`, 201, "issues/create-comment"],
      [2, "GET", `/repos/${OWNER}/${REPO}/issues/3/comments`, 200, "issues/list-comments"],
    ]);
    expect(emu.requests[0]?.body).toEqual({ body: "one" });
    expect(emu.requests[1]?.query).toEqual({ per_page: "5" });
  });
});
