/**
 * Gate rules beyond plain approvals, in-process (the Action's run() against the API emulator): a threshold breach an owner accepts, a promotion
 * to enforce that needs its approvers, a locked environment that refuses enforce, and a pull
 * request that loosens the gate config (the base config still applies).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitHubEmulator, TOKEN_PRESETS, type GitHubEmulator } from "../support/github-emulator/index.js";
import { APPROVALS_CONFIG, bundled, createRepo, openPull, POLICY_PATH, runActionInProcess, unexpectedStderr, type ActionRun, type TestRepo } from "../support/action-harness.js";

const TOKEN = "ghs_gates";
const LOCKED_CONFIG = `environments:\n  prod: { posture: locked }\n`;
let emu: GitHubEmulator;
let repo: TestRepo;
let current: string;
let older: string;

async function branch(files: Record<string, string>): Promise<string> {
  repo.checkout(repo.base);
  return repo.commit(files);
}

async function run(head: string, eventName: string, payload: Record<string, unknown>, inputs: Record<string, string> = {}): Promise<ActionRun> {
  repo.checkout(head);
  const result = await runActionInProcess({ emu, repo, token: TOKEN, eventName, payload, inputs });
  expect(unexpectedStderr(result.stderr)).toBe("");
  expect(emu.violations).toEqual([]);
  return result;
}

const body = (pr: number) => emu.comments(emu.owner, emu.repo, pr)[0]?.body ?? "";
const finalStatus = (sha: string) => emu.statuses(sha).at(-1);

beforeAll(async () => {
  emu = await startGitHubEmulator({ owner: "acme", repo: "netops" });
  emu.addToken(TOKEN, TOKEN_PRESETS.withOrgRead);
  emu.setPermission("carol", "write");
  emu.addTeamMember("acme", "noc-reviewers", "carol");
  emu.setPermission("owner1", "admin");
  emu.setPermission("lead", "write");
  emu.addTeamMember("acme", "neteng-leads", "lead");
  repo = await createRepo({ ".github/replay-gate.yml": APPROVALS_CONFIG, ".github/locked.yml": LOCKED_CONFIG }, ["2026-03-18-pop12-quiet", "2026-02-26-pop9-maintenance-loss"]);
  current = await bundled(POLICY_PATH);
  older = (await bundled("policies/versions/edge-gw-2.14.2.yaml")).replace("version: 2.14.2", "version: 2.14.4");
});

afterAll(async () => {
  await emu?.close();
  await repo?.remove();
});

describe("threshold breach", () => {
  it("fails, names the owner who can accept it, then passes once the owner approves", async () => {
    const head = await branch({ [POLICY_PATH]: older });
    const payload = openPull(emu, repo, 10, head);
    const first = await run(head, "pull_request", { ...payload, action: "opened" });
    expect(first.outputs["verdict"]).toBe("fail");
    expect(first.code).toBe(1);
    expect(finalStatus(head)?.state).toBe("failure");
    expect(finalStatus(head)?.description).toMatch(/^fail: \d threshold breach\(es\)/);
    expect(body(10)).toContain("1 more approval(s) from user:owner1 can accept it");
    const notices = first.annotations.filter((a) => a.kind === "notice" && a.props.includes("file=policies/edge-gw.yaml"));
    expect(notices.length).toBeGreaterThan(0);
    expect(notices.length).toBeLessThanOrEqual(10);
    expect(notices[0]?.props).toMatch(/line=\d+/);
    // Report text from policies and windows is printed with workflow commands stopped.
    expect(first.stdout).toMatch(/::stop-commands::([0-9a-f]{32})\n[\s\S]*\n::\1::\n/);

    emu.addReview(10, { user: "owner1", state: "APPROVED" });
    emu.addReview(10, { user: "carol", state: "APPROVED" });
    const second = await run(head, "pull_request_review", { ...payload, action: "submitted" });
    expect(second.outputs["verdict"]).toBe("pass");
    expect(second.code).toBe(0);
    expect(finalStatus(head)?.state).toBe("success");
    expect(body(10)).toContain("**breach-accepted**");
    expect(body(10)).toContain("thresholds: fail (breach accepted by an owner)");
  });
});

describe("promotion to enforce", () => {
  it("waits for the promotion approvers even when the path approval is given", async () => {
    const head = await branch({ [POLICY_PATH]: current.replace(/^mode: dry-run/m, "mode: enforce") });
    const payload = openPull(emu, repo, 11, head);
    emu.addReview(11, { user: "carol", state: "APPROVED" });
    const first = await run(head, "pull_request", { ...payload, action: "opened" });
    expect(first.outputs["verdict"]).toBe("pending");
    expect(body(11)).toContain("`promotion` — 0/1 (missing)");
    expect(body(11)).toContain("edge-gw: dry-run → enforce");
    expect(body(11)).toContain("can still approve: `team:neteng-leads`");

    emu.addReview(11, { user: "lead", state: "APPROVED" });
    const second = await run(head, "pull_request_review", { ...payload, action: "submitted" });
    expect(second.outputs["verdict"]).toBe("pass");
    expect(finalStatus(head)?.state).toBe("success");
  });

  it("is refused outright in a locked environment", async () => {
    const head = await branch({ [POLICY_PATH]: current.replace(/^mode: dry-run/m, "mode: enforce").replace("the current version.", "enforce, locked.") });
    const payload = openPull(emu, repo, 12, head);
    const result = await run(head, "pull_request", { ...payload, action: "opened" }, { config: ".github/locked.yml", "status-context": "replay-gate/locked" });
    expect(result.outputs["verdict"]).toBe("fail");
    expect(emu.statuses(head).map((s) => [s.context, s.state])).toEqual([["replay-gate/locked", "pending"], ["replay-gate/locked", "failure"]]);
    expect(finalStatus(head)?.description).toContain("edge-gw is in enforce mode, which the locked environment prod forbids");
  });
});

describe("a pull request that loosens the gate config", () => {
  it("is still judged by the base commit's config, and the report says so", async () => {
    const loose = "thresholds:\n  min_parity: 0\n  max_added_incidents: 100\n  max_removed_incidents: 100\n  expectations: off\n";
    const head = await branch({ [POLICY_PATH]: older, ".github/replay-gate.yml": loose });
    const payload = openPull(emu, repo, 13, head);
    const result = await run(head, "pull_request", { ...payload, action: "opened" });
    expect(result.outputs["verdict"]).toBe("fail");
    expect(body(13)).toContain("**config-changed**: This pull request changes the gate config; it was evaluated under the base commit's config");
    expect(body(13)).toContain(`${repo.base}:.github/replay-gate.yml`);
    expect(result.stdout).toContain("::notice::This change edits .github/replay-gate.yml");
    const report = JSON.parse(emu.artifacts().at(-1)!.files().get("report.json")!.toString("utf8")) as { gate: { config: { changed_in_pull_request: boolean } }; evaluation: { thresholds: { min_parity: number } } };
    expect(report.gate.config.changed_in_pull_request).toBe(true);
    expect(report.evaluation.thresholds.min_parity).toBe(0.95);
  });
});
