/** `replay-gate check`: the gate locally, with the config read from the base ref of a real git repository. */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runCliInProcess } from "../support/cli.js";

const STRICT = "policies: [policies/*.yaml]\nwindows: [\"policies/windows/*\"]\n";
const LENIENT = STRICT + "thresholds: { min_parity: 0, max_added_incidents: 5, max_removed_incidents: 5, expectations: advisory }\n";

/** A repository whose main branch holds edge-gw 2.14.2 and the bundled windows; the working tree upgrades it to 2.14.3. */
function repo(baseConfig: string | null): string {
  const dir = mkdtempSync(join(tmpdir(), "rg-check-"));
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "pipe", env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.com" } });
  git("init", "-q", "-b", "main");
  mkdirSync(join(dir, "policies", "windows"), { recursive: true });
  for (const id of ["2026-02-26-pop12-routing", "2026-02-26-pop9-maintenance-loss", "2026-03-04-pop7-dns-latency", "2026-03-18-pop12-quiet"]) cpSync(join(ROOT, "policies", "windows", id), join(dir, "policies", "windows", id), { recursive: true });
  cpSync(join(ROOT, "policies", "versions", "edge-gw-2.14.2.yaml"), join(dir, "policies", "edge-gw.yaml"));
  if (baseConfig !== null) {
    mkdirSync(join(dir, ".github"));
    writeFileSync(join(dir, ".github", "replay-gate.yml"), baseConfig);
  }
  git("add", "-A");
  git("commit", "-qm", "base");
  writeFileSync(join(dir, "policies", "edge-gw.yaml"), readFileSync(join(ROOT, "policies", "edge-gw.yaml")));
  return dir;
}

describe("replay-gate check", () => {
  it("fails the change under the default thresholds when the base has no config", async () => {
    const r = await runCliInProcess(["check", "--base", "main", "--format", "json"], { cwd: repo(null) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("no .github/replay-gate.yml at main; the default thresholds apply");
    const report = JSON.parse(r.stdout);
    expect(report.inputs.base.policies[0].version).toBe("2.14.2");
    expect(report.inputs.head.policies[0].version).toBe("2.14.3");
    expect(report.evaluation.reasons.map((x: { code: string }) => x.code)).toContain("incidents-removed");
  });

  it("passes under the base's lenient thresholds", async () => {
    const r = await runCliInProcess(["check", "--base", "main"], { cwd: repo(LENIENT) });
    expect(r.stderr).toContain("gate config from main:.github/replay-gate.yml");
    expect(r.code).toBe(0);
  });

  it("keeps the base's strict config when the change loosens it in the working tree", async () => {
    const dir = repo(STRICT);
    writeFileSync(join(dir, ".github", "replay-gate.yml"), LENIENT);
    const r = await runCliInProcess(["check", "--base", "main", "--format", "markdown"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("fail");
  });
});
