/**
 * The other triggers against the API emulator: the merge queue (status on the group's head, no
 * comment), the scheduled regression run (one issue, opened, kept, closed) and two shards merged by
 * a final job — those two end to end, the built bundle as the runner starts it — and, in-process
 * (the Action's run()), a merge job missing a shard and a run whose pull request head moved on.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitHubEmulator, TOKEN_PRESETS, type GitHubEmulator } from "../support/github-emulator/index.js";
import { bundled, createRepo, openPull, POLICY_PATH, pushToPull, runAction, runActionInProcess, unexpectedStderr, uploadRunArtifact, type ActionRun, type RunOptions, type TestRepo } from "../support/action-harness.js";

const TOKEN = "ghs_other";
let emu: GitHubEmulator;
let current: string;
let older: string;
const repos: TestRepo[] = [];

/** One run of the Action: in-process unless `via` is {@link runAction} (the built bundle). */
async function run(options: Omit<RunOptions, "emu" | "token">, via: typeof runAction = runActionInProcess): Promise<ActionRun> {
  const result = await via({ emu, token: TOKEN, ...options });
  expect(unexpectedStderr(result.stderr)).toBe("");
  expect(emu.violations).toEqual([]);
  return result;
}

beforeAll(async () => {
  emu = await startGitHubEmulator({ owner: "acme", repo: "netops" });
  emu.addToken(TOKEN, TOKEN_PRESETS.sameRepoPullRequest);
  current = await bundled(POLICY_PATH);
  older = (await bundled("policies/versions/edge-gw-2.14.2.yaml")).replace("version: 2.14.2", "version: 2.14.4");
});

afterAll(async () => {
  await emu?.close();
  for (const r of repos) await r.remove();
});

describe("merge_group", () => {
  it("gates the queue's head commit with the status and writes no comment", async () => {
    const repo = await createRepo({}, ["2026-03-18-pop12-quiet"]);
    repos.push(repo);
    const head = await repo.commit({ [POLICY_PATH]: current.replace("the current version.", "queued.") }, "Merge pull request #20 into main");
    const payload = {
      action: "checks_requested",
      merge_group: { head_sha: head, head_ref: `refs/heads/gh-readonly-queue/main/pr-20-${repo.base}`, base_sha: repo.base, base_ref: "refs/heads/main", head_commit: { id: head, tree_id: "0".repeat(40), message: "Merge pull request #20", timestamp: "2026-03-01T00:00:00Z", author: { name: "dev", email: "dev@example.com" }, committer: { name: "GitHub", email: "noreply@github.com" } } },
      repository: { id: 1, name: "netops", full_name: "acme/netops" },
      sender: { login: "github-merge-queue[bot]", type: "Bot" },
    };
    const result = await run({ repo, eventName: "merge_group", payload });
    expect(result.code).toBe(0);
    expect(result.outputs["verdict"]).toBe("pass");
    expect(emu.statuses(head).map((s) => s.state)).toEqual(["pending", "success"]);
    expect(emu.requests.filter((r) => r.operation === "issues/create-comment")).toEqual([]);
  });
});

describe("schedule", () => {
  it("opens one regression issue while expectations fail, keeps it without duplicates, and closes it when green", async () => {
    const repo = await createRepo({ [POLICY_PATH]: older }, ["2026-03-18-pop12-quiet", "2026-02-26-pop9-maintenance-loss"]);
    repos.push(repo);
    const payload = { schedule: "17 4 * * *", repository: { id: 1, name: "netops", full_name: "acme/netops" } };
    const first = await run({ repo, eventName: "schedule", payload }, runAction);
    expect(first.outputs["verdict"]).toBe("fail");
    expect(first.code).toBe(1);
    expect(emu.issues().map((i) => [i.title, i.state, i.labels])).toEqual([["replay-gate: scheduled replay found regressions", "open", ["replay-gate"]]]);
    expect(first.summary).toContain("## replay-gate regression: ❌");

    const second = await run({ repo, eventName: "schedule", payload }, runAction);
    expect(second.outputs["verdict"]).toBe("fail");
    expect(emu.issues()).toHaveLength(1);

    await repo.commit({ [POLICY_PATH]: current });
    const third = await run({ repo, eventName: "workflow_dispatch", payload: { inputs: {}, ref: "refs/heads/main", repository: payload.repository } }, runAction);
    expect(third.outputs["verdict"]).toBe("pass");
    expect(third.code).toBe(0);
    expect(emu.issues().map((i) => i.state)).toEqual(["closed"]);
    expect(emu.comments("acme", "netops", emu.issues()[0]!.number).map((c) => c.body)).toEqual([expect.stringContaining("Green again")]);
  });
});

describe("sharding", () => {
  it("two shards replay disjoint windows; the merge job gates, comments and sets the status once", async () => {
    const repo = await createRepo({}, ["2026-03-18-pop12-quiet", "2026-02-26-pop9-maintenance-loss", "2026-03-04-pop7-dns-latency"]);
    repos.push(repo);
    const head = await repo.commit({ [POLICY_PATH]: current.replace("the current version.", "sharded.") });
    const payload = { ...openPull(emu, repo, 50, head), action: "opened" };
    const runId = 777_000_001;
    const one = await run({ repo, eventName: "pull_request", payload, runId, inputs: { shard: "1/2" } }, runAction);
    const two = await run({ repo, eventName: "pull_request", payload, runId, inputs: { shard: "2/2" } }, runAction);
    expect([one.code, two.code]).toEqual([0, 0]);
    // Shard 1 says the shards are working; no shard comments or gates.
    expect(emu.statuses(head).map((s) => s.state)).toEqual(["pending"]);
    expect(emu.comments("acme", "netops", 50)).toEqual([]);
    const merged = await run({ repo, eventName: "pull_request", payload, runId, inputs: { merge: "true" } }, runAction);
    expect(merged.outputs["verdict"]).toBe("pass");
    expect(emu.statuses(head).map((s) => s.state)).toEqual(["pending", "pending", "success"]);
    expect(emu.comments("acme", "netops", 50)).toHaveLength(1);
    const names = emu.artifacts().filter((a) => a.runId === runId).map((a) => a.name);
    expect(names).toEqual(["replay-gate-shard-1of2-777000001-1", "replay-gate-shard-2of2-777000001-1", "replay-gate-777000001-1"]);
    const partial = (name: string) => JSON.parse(emu.artifacts().find((a) => a.name === name)!.files().get("report.json")!.toString("utf8")) as { windows: { id: string }[] };
    const shardIds = [...partial(names[0]!).windows, ...partial(names[1]!).windows].map((w) => w.id).sort();
    expect(shardIds).toEqual(["2026-02-26-pop9-maintenance-loss", "2026-03-04-pop7-dns-latency", "2026-03-18-pop12-quiet"]);
    expect(partial(names[2]!).windows.map((w) => w.id)).toEqual(shardIds);
  });
});

describe("sharded runs fail closed", () => {
  it("sets failure with the reason when a shard failed or was cancelled (uploaded nothing)", async () => {
    const repo = await createRepo({}, ["2026-03-18-pop12-quiet", "2026-02-26-pop9-maintenance-loss"]);
    repos.push(repo);
    const head = await repo.commit({ [POLICY_PATH]: current.replace("the current version.", "half sharded.") });
    const payload = { ...openPull(emu, repo, 51, head), action: "opened" };
    const runId = 777_000_002;
    expect((await run({ repo, eventName: "pull_request", payload, runId, inputs: { shard: "1/2" } })).code).toBe(0);
    // Shard 2/2 was cancelled: the merge job (if: always()) runs anyway.
    const merged = await run({ repo, eventName: "pull_request", payload, runId, inputs: { merge: "true" } });
    expect(merged.outputs["verdict"]).toBe("fail");
    expect(merged.code).toBe(1);
    const last = emu.statuses(head).at(-1)!;
    expect(last.state).toBe("failure");
    expect(last.description).toContain("sharded replay incomplete: 1 of 2 shard(s) (2/2) produced no partial report");
    expect(emu.comments("acme", "netops", 51)[0]?.body).toContain("**shards-incomplete**");
  });
  it("sets error, never success, when a shard's artifact holds a forged report that drops that shard's windows", async () => {
    const repo = await createRepo({}, ["2026-03-18-pop12-quiet", "2026-02-26-pop9-maintenance-loss", "2026-03-04-pop7-dns-latency"]);
    repos.push(repo);
    const head = await repo.commit({ [POLICY_PATH]: current.replace("the current version.", "forged shard.") });
    const payload = { ...openPull(emu, repo, 52, head), action: "opened" };
    const runId = 777_000_003;
    expect((await run({ repo, eventName: "pull_request", payload, runId, inputs: { shard: "1/2" } })).code).toBe(0);
    // Another step of the run uploads shard 2's artifact: shard 1's genuine report with every window taken out.
    const genuine = JSON.parse(emu.artifacts().find((a) => a.name === "replay-gate-shard-1of2-777000003-1")!.files().get("report.json")!.toString("utf8")) as { windows: unknown[]; inputs: { windows: unknown[] } };
    await uploadRunArtifact(emu, TOKEN, runId, "replay-gate-shard-2of2-777000003-1", { "report.json": JSON.stringify({ ...genuine, windows: [], inputs: { ...genuine.inputs, windows: [] } }) });
    const merged = await run({ repo, eventName: "pull_request", payload, runId, inputs: { merge: "true" } });
    expect(merged.outputs["verdict"]).toBe("fail");
    expect(merged.code).toBe(1);
    expect(merged.stdout).toMatch(/::error::replay-gate failed unexpectedly: merge: the partial report of shard 2\/2 does not hold that shard's windows \(1 expected, 0 held; missing: /);
    expect(emu.statuses(head).map((s) => s.state)).toEqual(["pending", "pending", "error"]);
  });
});

describe("the head moves during a run", () => {
  it("an older head's slower run posts its status on its own commit only and leaves the newer head's comment alone", async () => {
    const repo = await createRepo({}, ["2026-03-18-pop12-quiet"]);
    repos.push(repo);
    const oldHead = await repo.commit({ [POLICY_PATH]: current.replace("the current version.", "first push.") });
    const newHead = await repo.commit({ [POLICY_PATH]: current.replace("the current version.", "second push.") });
    const payload = openPull(emu, repo, 60, oldHead);
    pushToPull(emu, 60, newHead, repo.changedFiles(newHead));
    const pull = payload["pull_request"] as { head: object };
    const fresh = await run({ repo, eventName: "pull_request", payload: { ...payload, action: "synchronize", pull_request: { ...pull, head: { ...pull.head, sha: newHead } } } });
    expect(fresh.outputs["verdict"]).toBe("pass");
    const before = emu.comments("acme", "netops", 60);
    expect(before).toHaveLength(1);

    repo.checkout(oldHead);
    const slow = await run({ repo, eventName: "pull_request", payload: { ...payload, action: "opened" } });
    expect(slow.outputs["verdict"]).toBe("pass");
    expect(slow.stdout).toContain("A newer run already commented for");
    expect(emu.comments("acme", "netops", 60)).toEqual(before);
    expect(emu.statuses(oldHead).map((s) => s.state)).toEqual(["pending", "success"]);
    expect(emu.statuses(newHead).map((s) => s.state)).toEqual(["pending", "success"]);
  });
});
