// Retry waits are real: every fault here uses retry-after 1 s (or plugin-retry's first 1 s
// backoff), so each retrying test takes about one second.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startGitHubEmulator, TOKEN_PRESETS, type GitHubEmulator } from "../support/github-emulator/index.js";
import { restClient, sha, throttledClient, type ThrottleEvents } from "./clients.js";

const OWNER = "acme";
const REPO = "netops";
const MARKER = "<!-- replay-gate:config=default -->";

let emu: GitHubEmulator;

beforeEach(async () => {
  emu = await startGitHubEmulator({ owner: OWNER, repo: REPO });
  emu.addToken("ghs_writer", TOKEN_PRESETS.sameRepoPullRequest);
  emu.addPull({ number: 5, head: { sha: sha("a") }, base: { sha: sha("b") } });
});

afterEach(async () => {
  await emu.close();
});

type Octokit = ReturnType<typeof restClient>;

/** Sticky-comment upsert with duplicate avoidance: after a 5xx on create, look for the marker before giving up. */
async function upsertComment(octokit: Octokit, body: string): Promise<number> {
  const findMarked = async () => (await octokit.paginate(octokit.rest.issues.listComments, { owner: OWNER, repo: REPO, issue_number: 5, per_page: 100 })).find((c) => c.body?.includes(MARKER));
  const update = async (id: number) => (await octokit.rest.issues.updateComment({ owner: OWNER, repo: REPO, comment_id: id, body })).data.id;
  const existing = await findMarked();
  if (existing !== undefined) return update(existing.id);
  try {
    // A create is not idempotent: never let the retry plugin repeat it blindly.
    return (await octokit.rest.issues.createComment({ owner: OWNER, repo: REPO, issue_number: 5, body, request: { retries: 0 } })).data.id;
  } catch (error) {
    const created = (error as { status?: number }).status !== undefined && (error as { status: number }).status >= 500 ? await findMarked() : undefined;
    if (created === undefined) throw error;
    return update(created.id);
  }
}

describe("fault injection with the shipped retry and throttling plugins", () => {
  it("a secondary rate limit (403 + retry-after) is waited out by plugin-throttling", async () => {
    const events: ThrottleEvents = { secondary: [], primary: [] };
    const fault = emu.fault({ method: "GET", path: "/repos/{owner}/{repo}/pulls/{pull_number}", respond: { type: "secondary-rate-limit", retryAfterSeconds: 1 } });
    const started = Date.now();
    const pull = await throttledClient(emu, "ghs_writer", events).rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 5 });
    expect(pull.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(events.secondary).toEqual([1]);
    expect(fault.hits).toBe(1);
    expect(emu.requests.map((r) => [r.status, r.fault])).toEqual([
      [403, "secondary-rate-limit"],
      [200, undefined],
    ]);
    expect(String((emu.requests[0]?.responseBody as { message: string }).message)).toMatch(/^You have exceeded a secondary rate limit/);
  });

  it("a primary rate limit (remaining 0, reset) is waited out by plugin-throttling", async () => {
    const events: ThrottleEvents = { secondary: [], primary: [] };
    emu.fault({ method: "GET", path: "/repos/{owner}/{repo}/pulls/{pull_number}/files", respond: { type: "primary-rate-limit", resetInSeconds: 0 } });
    const files = await throttledClient(emu, "ghs_writer", events).rest.pulls.listFiles({ owner: OWNER, repo: REPO, pull_number: 5 });
    expect(files.status).toBe(200);
    expect(events.primary).toHaveLength(1);
    expect(emu.requests.map((r) => r.status)).toEqual([403, 200]);
  });

  it("a 429 with retry-after is retried by plugin-retry (on its own 1 s backoff; it does not read retry-after)", async () => {
    emu.fault({ method: "GET", path: "/repos/{owner}/{repo}/pulls/{pull_number}/reviews", respond: { type: "too-many-requests", retryAfterSeconds: 1 } });
    const reviews = await restClient(emu, "ghs_writer").rest.pulls.listReviews({ owner: OWNER, repo: REPO, pull_number: 5 });
    expect(reviews.status).toBe(200);
    expect(emu.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it("a fault on a status gives up after `times` and lets later requests through", async () => {
    const fault = emu.fault({ method: "POST", path: "/repos/{owner}/{repo}/statuses/{sha}", times: 1, respond: { type: "status", status: 422, message: "No commit found for SHA" } });
    const octokit = restClient(emu, "ghs_writer");
    await expect(octokit.rest.repos.createCommitStatus({ owner: OWNER, repo: REPO, sha: sha("a"), state: "pending" })).rejects.toMatchObject({ status: 422 });
    await octokit.rest.repos.createCommitStatus({ owner: OWNER, repo: REPO, sha: sha("a"), state: "success" });
    expect(fault).toMatchObject({ hits: 1, seen: 2 });
    expect(emu.statuses(sha("a")).map((s) => s.state)).toEqual(["success"]);
  });

  it("a typo in a fault's OpenAPI template throws at once", () => {
    expect(() => emu.fault({ method: "GET", path: "/repos/{owner}/{repo}/pull/{pull_number}", respond: { type: "status", status: 500 } })).toThrow(/no operation GET/);
  });

  it("502 after create: a blind retry duplicates the comment, proving the create really happened", async () => {
    emu.fault({ method: "POST", path: "/repos/{owner}/{repo}/issues/{issue_number}/comments", respond: { type: "error-after-effect" } });
    const octokit = restClient(emu, "ghs_writer");
    await octokit.rest.issues.createComment({ owner: OWNER, repo: REPO, issue_number: 5, body: `${MARKER}\nverdict: pass` });
    expect(emu.requests.map((r) => r.status)).toEqual([502, 201]);
    expect(emu.comments(OWNER, REPO, 5)).toHaveLength(2);
  });

  it("502 after create: a marker-aware upsert leaves exactly one comment with the latest body", async () => {
    emu.fault({ method: "POST", path: "/repos/{owner}/{repo}/issues/{issue_number}/comments", respond: { type: "error-after-effect", status: 502 } });
    const octokit = restClient(emu, "ghs_writer");
    await upsertComment(octokit, `${MARKER}\nverdict: pending`);
    await upsertComment(octokit, `${MARKER}\nverdict: pass`);
    expect(emu.comments(OWNER, REPO, 5).map((c) => c.body)).toEqual([`${MARKER}\nverdict: pass`]);
    expect(emu.requests.filter((r) => r.method === "POST").map((r) => r.status)).toEqual([502]);
    expect(emu.violations).toEqual([]);
  });
});
