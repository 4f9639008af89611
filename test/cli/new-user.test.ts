/**
 * Issue 9 items 4, 5 and 10: what a new user trips over in the CLI — check's base is the merge
 * base, named configs must exist, located errors instead of internal ones, help that lists flags
 * and exit codes, truthful runs columns, replay of uncovered windows, durations as written.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { COMMAND_FLAGS } from "../../src/cli/help.js";
import { cli, DEMO_WINDOWS, ROOT } from "../support/demo.js";
import { dnsPolicy, writeDnsWindow } from "../support/dns-library.js";

const V2142 = readFileSync(join(ROOT, "policies/versions/edge-gw-2.14.2.yaml"), "utf8");

function gitRepo(): { dir: string; git: (...args: string[]) => string } {
  const dir = mkdtempSync(join(tmpdir(), "rg-newuser-"));
  const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false", ...args], { cwd: dir, encoding: "utf8" }).trim();
  git("init", "-q", "-b", "main");
  return { dir, git };
}

describe("check compares with what the branch would merge into", () => {
  it("does not report a policy change made on main after the branch point as the branch's own change", async () => {
    const { dir, git } = gitRepo();
    mkdirSync(join(dir, "policies"));
    writeFileSync(join(dir, "policies", "core-dns.yaml"), dnsPolicy(2));
    writeDnsWindow(dir, "2026-05-01-dns-eu", "{ region: eu-west-1 }");
    mkdirSync(join(dir, ".github"));
    writeFileSync(join(dir, ".github", "replay-gate.yml"), "policies: policies/*.yaml\nwindows: windows/*\n");
    git("add", "-A");
    git("commit", "-q", "-m", "base");
    git("checkout", "-q", "-b", "feature");
    writeFileSync(join(dir, "README.md"), "docs only\n");
    git("add", "-A");
    git("commit", "-q", "-m", "feature: docs");
    git("checkout", "-q", "main");
    writeFileSync(join(dir, "policies", "core-dns.yaml"), dnsPolicy(100));
    git("commit", "-q", "-am", "main: tighten core-dns");
    git("checkout", "-q", "feature");
    const r = await cli(["check", "--base", "main", "--format", "json"], join(dir));
    const report = JSON.parse(r.stdout) as { policies: { status: string }[]; windows: { status: string }[] };
    expect(report.policies.map((p) => p.status)).toEqual(["unchanged"]);
    expect(report.windows.map((w) => w.status)).toEqual(["identical"]);
    expect(r.stderr).toContain("comparing with the merge base");
  });
});

describe("an explicitly given config path must exist", () => {
  it("exits 2 when check --config names a file the base ref does not have", async () => {
    const { dir, git } = gitRepo();
    writeFileSync(join(dir, "README.md"), "x\n");
    git("add", "-A");
    git("commit", "-q", "-m", "base");
    const r = await cli(["check", "--base", "main", "--config", ".github/nope.yml"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("main:.github/nope.yml: no such config file at main");
  });

  it("exits 2 when diff --config names a missing file", async () => {
    const r = await cli(["diff", "--config", "no/such/replay-gate.yml", "--base", "policies/versions/edge-gw-2.14.2.yaml", "--head", "policies/edge-gw.yaml", "--windows", DEMO_WINDOWS]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no/such/replay-gate.yml: no such config file");
  });

  it("diff uses .github/replay-gate.yml by default when present, like check", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rg-diffcfg-"));
    mkdirSync(join(dir, ".github"));
    mkdirSync(join(dir, "policies"));
    writeFileSync(join(dir, ".github", "replay-gate.yml"), "policies: policies/*.yaml\nwindows: windows/*\nthresholds: { min_parity: 0, max_removed_incidents: 9 }\n");
    writeFileSync(join(dir, "policies", "core-dns.yaml"), dnsPolicy(100));
    writeFileSync(join(dir, "base.yaml"), dnsPolicy(2));
    writeDnsWindow(dir, "2026-05-01-dns-eu", "{ region: eu-west-1 }");
    const r = await cli(["diff", "--base", "base.yaml", "--format", "json"], dir);
    expect(r.stderr).toContain("diff: gate config from .github/replay-gate.yml");
    const report = JSON.parse(r.stdout) as { verdict: string; inputs: { config: { file: string } | null }; evaluation: { thresholds: { min_parity: number } } };
    expect(report.inputs.config?.file).toBe(".github/replay-gate.yml");
    expect(report.evaluation.thresholds.min_parity).toBe(0);
    expect(r.code).toBe(0);
  });
});

describe("small things a new user hit", () => {
  it("exits 2 with a message when --out points into a missing directory", async () => {
    const r = await cli([
      "diff",
      "--base",
      "policies/versions/edge-gw-2.14.2.yaml",
      "--head",
      "policies/edge-gw.yaml",
      "--windows",
      "policies/windows/2026-03-18-pop12-quiet",
      "--out",
      "no/such/dir/report.json",
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no/such/dir/report.json: --out: cannot write the report: the directory no/such/dir does not exist");
    expect(r.stderr).not.toContain("internal error");
  });

  it("explain --at outside the window is a located error", async () => {
    const r = await cli(["explain", "--policy", "policies/edge-gw.yaml", "--window", "policies/windows/2026-03-18-pop12-quiet", "--at", "2020-01-01T00:00:00Z"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: policies\/windows\/2026-03-18-pop12-quiet\/window\.yaml: --at: 2020-01-01T00:00:00Z is outside the window, which runs from /);
  });

  it("explain --at with an index past the last step, or not an index, is a located error", async () => {
    const past = await cli(["explain", "--policy", "policies/edge-gw.yaml", "--window", "policies/windows/2026-03-18-pop12-quiet", "--at", "999999"]);
    expect(past.code).toBe(2);
    expect(past.stderr).toMatch(/^error: policies\/windows\/2026-03-18-pop12-quiet: --at: trace index 999999 (is past the last step|does not exist)/);
    const bad = await cli(["explain", "--policy", "policies/edge-gw.yaml", "--window", "policies/windows/2026-03-18-pop12-quiet", "--at=-3"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('replay-gate explain: --at: "-3" is neither a trace index');
  });

  it("verify prints each problem once, a FAIL line for every failing window, and the window.yaml line of a pin field", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rg-verify-"));
    writeDnsWindow(dir, "a-good", "{ region: eu-west-1 }", 3);
    const bad = writeDnsWindow(dir, "b-tampered", "{ region: eu-west-1 }", 4);
    writeFileSync(join(bad, "events.ndjson"), readFileSync(join(bad, "events.ndjson"), "utf8").replace("NXDOMAIN", "SERVFAIL"));
    const broken = writeDnsWindow(dir, "c-broken", "{ region: eu-west-1 }", 5);
    writeFileSync(join(broken, "window.yaml"), readFileSync(join(broken, "window.yaml"), "utf8").replace("captured_at: 2026-05-01T11:00:00Z", "captured_at: yesterday"));
    const r = await cli(["verify", "windows/*"], dir);
    expect(r.code).toBe(2);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^ok windows\/a-good: 3 events/);
    expect(
      lines.filter((l) => l.startsWith("FAIL windows/b-tampered: ")),
      r.stdout,
    ).toEqual([expect.stringMatching(/window\.yaml:8:\d+: events\.sha256: the events file hashes to/)]);
    expect(lines.filter((l) => l.startsWith("FAIL windows/c-broken: "))).toHaveLength(1);
    expect(r.stderr).toBe("verify: 2 of 3 window(s) failed\n");
  });

  it("every subcommand's --help lists its flags and the exit codes 0, 1, 2, 3", async () => {
    for (const name of ["replay", "diff", "check", "explain", "verify", "capture", "runs", "report"]) {
      const r = await cli([name, "--help"]);
      expect(r.code).toBe(0);
      for (const code of ["0  ", "1  ", "2  ", "3  "]) expect(r.stdout, `${name} --help`).toContain(`\n  ${code}`);
      for (const [flag] of COMMAND_FLAGS[name] ?? []) expect(r.stdout, `${name} --help`).toContain(flag);
    }
    expect((await cli(["diff", "--help"])).stdout).toContain("--runs-dir <dir>");
    expect((await cli(["capture", "--help"])).stdout).toContain("--from [adapter:]<file>");
  });

  it("replay over a window the policy does not cover says so instead of failing its expectations", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rg-replay-uncovered-"));
    writeFileSync(join(dir, "core-dns.yaml"), dnsPolicy(2));
    writeDnsWindow(dir, "dns-eu", "{ region: eu-west-1 }", 6, "expect: { incidents: 1 }\n");
    writeDnsWindow(dir, "mail", "{ service: mail }", 4, "expect: { incidents: 3 }\n");
    const r = await cli(["replay", "--policy", "core-dns.yaml", "--window", "windows/*"], dir);
    expect(r.stderr).toContain("not covered: windows/mail: the window's scope {service: mail} contradicts the policy's {service: core-dns}; not replayed, its expectations not checked");
    expect(r.code).toBe(0);
    const none = await cli(["replay", "--policy", "core-dns.yaml", "--window", "windows/mail"], dir);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("nothing was replayed");
  });

  it("runs labels its columns for what they hold and says when --dir does not exist", async () => {
    const r = await cli(["runs", "--dir", "no/such/runs"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no/such/runs: --dir: no such runs directory");
    const empty = mkdtempSync(join(tmpdir(), "rg-runs-"));
    expect((await cli(["runs"], empty)).code).toBe(0);
    const { renderRunsTable } = await import("../../src/core/evidence/run-record.js");
    expect(renderRunsTable([]).split("\n")[0]).toMatch(/^STARTED\s+ID\s+WINDOW\s+MODE\s+OUTCOME\s+DURATION/);
  });

  it("shows durations as written in the policy and counts every row of the policy diff table", async () => {
    const r = await cli(["diff", "--base", "policies/versions/edge-gw-2.14.2.yaml", "--head", "policies/edge-gw.yaml", "--windows", "policies/windows/2026-03-18-pop12-quiet", "--format", "markdown"]);
    expect(r.stdout).toContain("dedupe\\_within: 60s → 300s");
    expect(r.stdout).toContain("within: 10s → 120s");
    const rows = r.stdout.split("\n").filter((l) => /^\| (metadata|scope|mode|group|incident|suppress|inhibit|detect|correlate|actions) \|/.test(l)).length;
    expect(r.stdout).toContain(`: ${rows} changes (4 rules, 2 settings)`);
    expect(V2142).toContain("dedupe_within: 60s");
  });
});
