/**
 * A pull request whose report cannot fit in a comment: thirty policies, each with a long text
 * diff. The comment stays under GitHub's 65,536 characters and points to the artifact; the job
 * summary still carries the full report.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitHubEmulator, TOKEN_PRESETS, type GitHubEmulator } from "../support/github-emulator/index.js";
import { bundled, createRepo, openPull, POLICY_PATH, runAction, unexpectedStderr, type TestRepo } from "../support/action-harness.js";

const COPIES = 30;
let emu: GitHubEmulator;
let repo: TestRepo;

const copy = (text: string, i: number) => text.replace("metadata: { name: edge-gw,", `metadata: { name: edge-gw-${i},`);

beforeAll(async () => {
  emu = await startGitHubEmulator({ owner: "acme", repo: "netops" });
  emu.addToken("ghs_big", TOKEN_PRESETS.sameRepoPullRequest);
  const policy = await bundled(POLICY_PATH);
  const base: Record<string, string> = {};
  for (let i = 1; i <= COPIES; i++) base[`policies/edge-gw-${i}.yaml`] = copy(policy, i);
  repo = await createRepo(base, ["2026-03-18-pop12-quiet"]);
});

afterAll(async () => {
  await emu?.close();
  await repo?.remove();
});

describe("a report too large for a comment", () => {
  it("keeps the comment under 65,536 characters with a pointer to the artifact", async () => {
    const policy = await bundled(POLICY_PATH);
    const notes = Array.from({ length: 100 }, (_, n) => `# review note ${n}: the dedupe window was measured against the POP-12 capture of 2026-02-26`).join("\n");
    const head: Record<string, string> = {};
    for (let i = 1; i <= COPIES; i++) head[`policies/edge-gw-${i}.yaml`] = `${notes}\n${copy(policy, i)}`;
    const sha = await repo.commit(head);
    const payload = openPull(emu, repo, 80, sha);
    const run = await runAction({ emu, repo, token: "ghs_big", eventName: "pull_request", payload: { ...payload, action: "opened" } });
    expect(unexpectedStderr(run.stderr)).toBe("");
    expect(run.outputs["verdict"]).toBe("pass");
    const [comment] = emu.comments("acme", "netops", 80);
    expect([...comment!.body].length).toBeLessThanOrEqual(65_536);
    expect(comment!.body).toMatch(/replay-gate-\d+-1/);
    expect(comment!.body).toContain("## replay-gate: ✅ pass");
    // The same report in the job summary, with room for every diff, is larger than any comment may be.
    expect(run.summary.length).toBeGreaterThan(65_536);
    expect(emu.violations).toEqual([]);
  });
});
