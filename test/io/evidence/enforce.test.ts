import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { sha256Hex } from "../../../src/core/hash.js";
import { scanPolicyHistory } from "../../../src/io/evidence/spec-history.js";
import { cli, ROOT } from "../../support/demo.js";

const git = (cwd: string, ...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", ...args], { cwd, encoding: "utf8" });

/** A consumer repository: two committed versions of edge-gw, windows captured under known and unknown versions, a config. */
function makeRepo(): { repo: string; v1: string; v2: string; v1Commit: string } {
  const repo = mkdtempSync(join(tmpdir(), "rg-enforce-"));
  git(repo, "init", "-q", "-b", "main");
  mkdirSync(join(repo, "policies/windows"), { recursive: true });
  const v1 = readFileSync(join(ROOT, "policies/versions/edge-gw-2.14.2.yaml"), "utf8");
  const v2 = readFileSync(join(ROOT, "policies/edge-gw.yaml"), "utf8");
  writeFileSync(join(repo, "policies/edge-gw.yaml"), v1);
  git(repo, "add", ".");
  git(repo, "commit", "-q", "-m", "edge-gw 2.14.2");
  const v1Commit = git(repo, "rev-parse", "HEAD").trim();
  writeFileSync(join(repo, "policies/edge-gw.yaml"), v2);
  git(repo, "commit", "-q", "-am", "edge-gw 2.14.3");
  const source = join(ROOT, "policies/windows/2026-02-26-pop12-routing");
  const window = (id: string, specHash: string) => {
    const dir = join(repo, "policies/windows", id);
    cpSync(source, dir, { recursive: true });
    const manifest = readFileSync(join(source, "window.yaml"), "utf8")
      .split("\nexpect:")[0]!
      .replace(/^id: .*$/m, `id: ${id}`);
    writeFileSync(join(dir, "window.yaml"), `${manifest}\npolicy_spec_hash: "${specHash}"\n`);
  };
  window("captured-known", `sha256:${sha256Hex(v1)}`);
  window("captured-unknown", `sha256:${"ab".repeat(32)}`);
  mkdirSync(join(repo, ".github"));
  writeFileSync(
    join(repo, ".github/replay-gate.yml"),
    `environments:\n  prod: { posture: governed }\n  lab: { posture: locked }\n  sandbox: { posture: open }\napprovals:\n  - when: promotion\n    required: 1\n    from: [team:neteng-leads]\n`,
  );
  writeFileSync(join(repo, "approvals.json"), JSON.stringify({ approvals: [{ reviewer: "carol", as: ["user:carol", "team:neteng-leads"] }] }));
  writeFileSync(join(repo, "no-approvals.json"), JSON.stringify({ approvals: [{ reviewer: "dave", as: ["user:dave"] }] }));
  return { repo, v1, v2, v1Commit };
}

describe("pipeline version resolution", () => {
  it("maps every committed and working-tree version of a policy to its version and commit", async () => {
    const { repo, v1, v2, v1Commit } = makeRepo();
    writeFileSync(join(repo, "policies/edge-gw.yaml"), v2.replace("version: 2.14.3", "version: 2.15.0-wip"));
    const history = await scanPolicyHistory(["policies"], repo);
    expect(history.get(`sha256:${sha256Hex(v1)}`)).toMatchObject({ name: "edge-gw", version: "2.14.2", commit: v1Commit });
    expect(history.get(`sha256:${sha256Hex(v2)}`)).toMatchObject({ version: "2.14.3" });
    expect([...history.values()].find((v) => v.version === "2.15.0-wip")).toMatchObject({ commit: null, path: "policies/edge-gw.yaml" });
    // window.yaml files are not policies.
    expect([...history.values()].every((v) => v.name === "edge-gw")).toBe(true);
  });
});

describe("replay --mode enforce", () => {
  let repo: string, v1Commit: string;
  beforeAll(() => {
    ({ repo, v1Commit } = makeRepo());
  });
  const enforce = (...extra: string[]) =>
    cli(["replay", "--mode", "enforce", "--policy", "policies/edge-gw.yaml", "--config", ".github/replay-gate.yml", ...extra], repo, { GITHUB_ACTOR: "alice", GITHUB_EVENT_NAME: "workflow_dispatch" });

  it("runs when the window resolves, the environment is governed and approvals cover the promotion; decisions are gated", async () => {
    const r = await enforce("--window", "policies/windows/captured-known", "--environment", "prod", "--approvals", "approvals.json", "--format", "json", "--evidence", "ev");
    expect(r.stderr).toContain(`captured-known: captured under edge-gw 2.14.2 (${v1Commit.slice(0, 12)} policies/edge-gw.yaml)`);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.windows[0].decisions.map((d: { decision: string }) => d.decision)).toEqual(["gated"]);
    const audit = JSON.parse(readFileSync(join(repo, "ev/windows/captured-known/edge-gw@2.14.3/audit.json"), "utf8"));
    expect(audit.policy).toMatchObject({ environment: "prod", posture: "governed", approval_status: "approved", mode: "enforce" });
    expect(audit.window.captured_policy_spec_hash).toMatch(/^sha256:/);
  });

  it("refuses, before anything runs, a window whose spec hash maps to no known version", async () => {
    const r = await enforce("--window", "policies/windows/captured-unknown", "--environment", "prod", "--approvals", "approvals.json", "--evidence", "ev-unknown");
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`refused: unknown-spec-hash: window captured-unknown was captured under policy sha256:${"ab".repeat(32)}, which matches no version in the policy history`);
    expect(existsSync(join(repo, "ev-unknown"))).toBe(false);
  });

  it("refuses an environment whose posture is locked", async () => {
    const r = await enforce("--window", "policies/windows/captured-known", "--environment", "lab", "--approvals", "approvals.json");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("refused: environment-locked: environment lab is locked: no enforce runs");
  });

  it("refuses missing approval coverage, naming who can approve", async () => {
    const r = await enforce("--window", "policies/windows/captured-known", "--environment", "prod", "--approvals", "no-approvals.json");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("refused: approvals-missing: approval rule (when: promotion) needs 1 approval from team:neteng-leads; 0 given");
  });

  it("treats an environment the config does not list as governed", async () => {
    const r = await enforce("--window", "policies/windows/captured-known", "--environment", "staging");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("refused: approvals-missing");
  });

  it("needs no approvals in an open environment", async () => {
    const r = await enforce("--window", "policies/windows/captured-known", "--environment", "sandbox");
    expect(r.code).toBe(0);
  });

  it("writes a run record for every enforce attempt, refused ones too, and `runs` lists them newest first", async () => {
    const dir = join(repo, ".replay-gate/runs");
    const records = readdirSync(dir).map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")));
    const refused = records.filter((x) => x.outcome === "refused");
    expect(refused.length).toBeGreaterThanOrEqual(3);
    expect(refused[0].stages.every((s: { status: string }) => s.status === "skipped")).toBe(true);
    const ok = records.find((x) => x.outcome === "pass")!;
    expect(ok).toMatchObject({ schema: "replay-gate/run-record@1", command: "replay", mode: "enforce", triggered_by: { actor: "alice", event: "workflow_dispatch" } });
    expect(ok.id).toMatch(/^rx-[0-9a-f]{12}$/);
    expect(ok.stages.map((s: { name: string; status: string }) => `${s.name}:${s.status}`)).toEqual(["ingest & normalize:ok", "correlation:ok", "incident aggregation:ok", "parity report:skipped"]);
    const list = await cli(["runs"], repo);
    expect(list.code).toBe(0);
    const lines = list.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^STARTED\s+ID\s+WINDOW\s+MODE\s+OUTCOME\s+DURATION\s+TRIGGERED BY\s+POLICY$/);
    expect(lines).toHaveLength(records.length + 1);
    expect(list.stdout).toContain("captured-unknown");
    expect(list.stdout).toMatch(/enforce\s+refused/);
    expect(list.stdout).toContain("alice (workflow_dispatch)");
    expect(list.stdout).toContain("edge-gw@2.14.3");
  });
});

describe("run ids", () => {
  it("derive from the inputs only: the same replay twice keeps two records under one id", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rg-runs-"));
    const args = ["replay", "--policy", "policies/edge-gw.yaml", "--window", "policies/windows/2026-03-18-pop12-quiet", "--runs-dir", dir];
    const plain = await cli(args.slice(0, 5));
    const a = await cli(args);
    await cli(args);
    expect(a.stdout).toBe(plain.stdout);
    const records = readdirSync(dir).map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")));
    expect(records).toHaveLength(2);
    expect(records[0].id).toBe(records[1].id);
    const json = await cli(["runs", "--dir", dir, "--format", "json", "--limit", "1"]);
    expect(JSON.parse(json.stdout)).toHaveLength(1);
  });

  it("an empty history says how to record one; a --dir that does not exist says so", async () => {
    const r = await cli(["runs", "--dir", mkdtempSync(join(tmpdir(), "rg-empty-runs-"))]);
    expect(r.stdout).toContain("no runs recorded");
    const missing = await cli(["runs", "--dir", join(tmpdir(), "rg-no-such-runs")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--dir: no such runs directory");
  });
});
