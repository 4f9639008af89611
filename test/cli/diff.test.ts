/**
 * `replay-gate diff`: exit codes, --out, --config and the Markdown comment, in-process; and the
 * built bundle, as a user runs it, printing byte-identical JSON across time zones and locales.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, runCliInProcess } from "../support/cli.js";
import { expectGolden } from "../support/golden.js";

const DEMO = ["diff", "--base", "policies/versions/edge-gw-2.14.2.yaml", "--head", "policies/edge-gw.yaml", "--windows", "policies/windows/2026-*"];

describe("replay-gate diff", () => {
  it("prints the text report and exits 1 when thresholds fail", async () => {
    const r = await runCliInProcess(DEMO);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("140 → 1");
    expect(r.stdout).toContain("verdict: fail");
    expect(r.stdout).not.toContain("\u001b[");
  });

  it("writes report.json with --out equal to --format json, byte-identical across time zones and locales (the built bundle)", () => {
    const dir = mkdtempSync(join(tmpdir(), "rg-cli-"));
    const envs: Record<string, string>[] = [
      { TZ: "UTC", LC_ALL: "C" },
      { TZ: "Asia/Kolkata", LC_ALL: "C.UTF-8" },
      { TZ: "America/St_Johns", LC_ALL: "de_DE.UTF-8", LANG: "de_DE.UTF-8" },
    ];
    const outs = envs.map((env, i) => {
      const out = join(dir, `report-${i}.json`);
      const r = runCli([...DEMO, "--format", "json", "--out", out], { env });
      expect(r.code).toBe(1);
      expect(readFileSync(out, "utf8")).toBe(r.stdout);
      return r.stdout;
    });
    expect(JSON.parse(outs[0]!).schema).toBe("replay-gate/report@1");
    for (const o of outs.slice(1)) expect(o).toBe(outs[0]);
  });

  it("prints exactly the PR comment with --format markdown", async () => {
    const r = await runCliInProcess([...DEMO, "--format", "markdown"]);
    expectGolden(join(import.meta.dirname, "..", "core", "report", "golden", "demo-2.14.2-to-2.14.3.md"), r.stdout);
  });

  it("exits 0 when nothing changed", async () => {
    const r = await runCliInProcess(["diff", "--base", "policies/edge-gw.yaml", "--head", "policies/edge-gw.yaml", "--windows", "policies/windows/2026-*", "--format", "json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).summary).toMatchObject({ windows: 4, identical: 4, changed: 0, min_parity: 1 });
  });

  it("takes policies, windows and thresholds from --config", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rg-cfg-"));
    const config = join(dir, "replay-gate.yml");
    writeFileSync(config, "policies: policies/edge-gw.yaml\nwindows: policies/windows/2026-*\nthresholds: { min_parity: 0, max_added_incidents: 1, max_removed_incidents: 1 }\n");
    const r = await runCliInProcess(["diff", "--config", config, "--base", "policies/versions/edge-gw-2.14.2.yaml", "--format", "json"]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.evaluation.thresholds.min_parity).toBe(0);
    expect(report.inputs.config.file).toBe(config);
    expect(report.summary.windows).toBe(4);
  });

  it("exits 2 with a usage hint on bad input", async () => {
    const missing = await runCliInProcess(["diff", "--head", "policies/edge-gw.yaml", "--windows", "policies/windows/2026-*"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--base is required");
    const noFile = await runCliInProcess(["diff", "--base", "policies/nope.yaml", "--head", "policies/edge-gw.yaml", "--windows", "policies/windows/2026-*"]);
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toContain("policies/nope.yaml");
  });
});
