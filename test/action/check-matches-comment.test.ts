/**
 * `replay-gate check --format markdown` prints byte for byte what the Action posts: the same
 * repository and config, the built CLI and the built Action (dist/), and the comment the GitHub
 * emulator received, whose content (between the hidden envelope and the run's link) must equal
 * check's output.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commentContent } from "../../src/core/comment/envelope.js";
import { startGitHubEmulator, TOKEN_PRESETS, type GitHubEmulator } from "../support/github-emulator/index.js";
import { runCli } from "../support/cli.js";
import { APPROVALS_CONFIG, bundled, createRepo, openPull, POLICY_PATH, runAction, type TestRepo } from "../support/action-harness.js";

const OWNER = "acme";
const REPO = "netops";
const TOKEN = "ghs_check_parity";

let emu: GitHubEmulator;
let repo: TestRepo;

beforeAll(async () => {
  emu = await startGitHubEmulator({ owner: OWNER, repo: REPO });
  emu.addToken(TOKEN, TOKEN_PRESETS.withOrgRead);
  // The base holds edge-gw 2.14.2 and a config with approval rules; the pull request upgrades to 2.14.3.
  repo = await createRepo({ [POLICY_PATH]: await bundled("policies/versions/edge-gw-2.14.2.yaml"), ".github/replay-gate.yml": APPROVALS_CONFIG });
});

afterAll(async () => {
  await emu?.close();
  await repo?.remove();
});

describe("check --format markdown and the Action's comment", () => {
  it("are the same bytes for the same repository, config and change", async () => {
    const head = await repo.commit({ [POLICY_PATH]: await bundled(POLICY_PATH) });
    // check first, in the clean checkout of head, without a cache directory in the workspace.
    const check = runCli(["check", "--base", repo.base, "--format", "markdown", "--no-cache"], { cwd: repo.dir });
    expect(check.stderr).toContain("gate config from");
    expect([0, 1]).toContain(check.code);
    const run = await runAction({ emu, repo, token: TOKEN, eventName: "pull_request", payload: { action: "opened", ...openPull(emu, repo, 1, head) } });
    expect(run.code, run.stdout).not.toBe(2);
    const comments = emu.comments(OWNER, REPO, 1);
    expect(comments).toHaveLength(1);
    const content = commentContent(comments[0]!.body);
    expect(content).toBeDefined();
    // The change is real: approvals are missing and the parity report shows changed windows.
    expect(check.stdout).toContain("### Approvals");
    expect(check.stdout).toContain("changed");
    expect(content).toBe(check.stdout);
    expect(emu.violations).toEqual([]);
  });
});
