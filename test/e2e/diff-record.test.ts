/** `replay-gate diff --record` (in-process): a run record of the diff with its four timed stages, listed by `runs`. */
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runRecordSchema } from "../../src/core/evidence/run-record.js";
import { runCliInProcess } from "../support/cli.js";

describe("replay-gate diff --record", () => {
  it("records the run (id from inputs, stages, outcome, reasons) and runs lists it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rg-runs-"));
    const args = ["diff", "--base", "policies/versions/edge-gw-2.14.2.yaml", "--head", "policies/edge-gw.yaml", "--windows", "policies/windows/2026-02-26-pop12-routing", "--runs-dir", dir];
    const a = await runCliInProcess(args, { env: { USER: "alice" } });
    expect(a.code).toBe(1);
    expect(a.stderr).toMatch(/^recorded run .*rx-[0-9a-f]{12}\.json$/m);
    await runCliInProcess(args, { env: { USER: "alice" } });
    const files = readdirSync(dir).sort();
    expect(files).toHaveLength(2);
    const [first, second] = files.map((f) => runRecordSchema.parse(JSON.parse(readFileSync(join(dir, f), "utf8"))));
    expect(first!.id).toBe(second!.id);
    expect(first!.command).toBe("diff");
    expect(first!.stages.map((s) => [s.name, s.status])).toEqual([["ingest & normalize", "ok"], ["correlation", "ok"], ["incident aggregation", "ok"], ["parity report", "ok"]]);
    expect(first!.outcome).toBe("fail");
    expect(first!.reasons).toContain("2026-02-26-pop12-routing (edge-gw): 1 incident(s) removed, at most 0 allowed");
    expect(first!.triggered_by).toEqual({ actor: "alice", event: "cli" });
    const list = await runCliInProcess(["runs", "--dir", dir]);
    expect(list.code).toBe(0);
    expect(list.stdout.match(new RegExp(first!.id, "g"))).toHaveLength(2);
  });
});
