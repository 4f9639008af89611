import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitHubEmulator, TOKEN_PRESETS, type GitHubEmulator } from "../support/github-emulator/index.js";
import { restClient, sha } from "./clients.js";

const OWNER = "acme";
const REPO = "netops";
const MINIMIZE = `
  mutation HideOutdated($id: ID!, $reason: ReportedContentClassifiers!) {
    minimizeComment(input: { subjectId: $id, classifier: $reason }) {
      minimizedComment { isMinimized minimizedReason }
    }
  }`;

let emu: GitHubEmulator;

beforeAll(async () => {
  emu = await startGitHubEmulator({ owner: OWNER, repo: REPO });
  emu.addToken("ghs_writer", TOKEN_PRESETS.sameRepoPullRequest);
  emu.addToken("ghs_fork", TOKEN_PRESETS.forkPullRequest);
  emu.addPull({ number: 8, head: { sha: sha("a") }, base: { sha: sha("b") } });
});

afterAll(async () => {
  await emu.close();
});

describe("GraphQL minimizeComment", () => {
  it("hides a comment by its node id, as a person would see it", async () => {
    const octokit = restClient(emu, "ghs_writer");
    const comment = await octokit.rest.issues.createComment({ owner: OWNER, repo: REPO, issue_number: 8, body: "old run" });
    const result = await octokit.graphql<{ minimizeComment: { minimizedComment: { isMinimized: boolean; minimizedReason: string } } }>(MINIMIZE, { id: comment.data.node_id, reason: "OUTDATED" });
    expect(result.minimizeComment.minimizedComment).toEqual({ isMinimized: true, minimizedReason: "outdated" });
    expect(emu.comments(OWNER, REPO, 8).map((c) => [c.body, c.minimizedReason])).toEqual([["old run", "outdated"]]);
    expect(emu.requests.at(-1)).toMatchObject({ surface: "graphql", status: 200 });
  });

  it("answers NOT_FOUND for an unknown node and FORBIDDEN for a read-only token", async () => {
    await expect(restClient(emu, "ghs_writer").graphql(MINIMIZE, { id: "IC_kwDOnope", reason: "OUTDATED" })).rejects.toMatchObject({ errors: [{ type: "NOT_FOUND" }] });
    const comment = emu.comments(OWNER, REPO, 8)[0];
    await expect(restClient(emu, "ghs_fork").graphql(MINIMIZE, { id: comment?.nodeId, reason: "RESOLVED" })).rejects.toMatchObject({ errors: [{ type: "FORBIDDEN", message: "Resource not accessible by integration" }] });
    expect(emu.comments(OWNER, REPO, 8)[0]?.minimizedReason).toBe("outdated");
    expect(emu.violations).toEqual([]);
  });

  it("refuses anything but minimizeComment with a clear error and a violation", async () => {
    await expect(restClient(emu, "ghs_writer").graphql("query { viewer { login } }")).rejects.toThrow(/supports only the minimizeComment mutation; got query \{ viewer \}/);
    expect(emu.violations).toMatchObject([{ kind: "unsupported", path: "/graphql" }]);
  });

  it("answers 401 without credentials", async () => {
    const response = await fetch(`${emu.url}/graphql`, { method: "POST", body: JSON.stringify({ query: MINIMIZE }) });
    expect(response.status).toBe(401);
    expect(response.headers.get("x-ratelimit-resource")).toBe("graphql");
  });
});
