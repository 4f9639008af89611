/** thresholds.blast_radius bounds how many services, regions and POPs a change may alter. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCliInProcess } from "../support/cli.js";

async function reasonsWith(bounds: string): Promise<{ code: string; message: string; value: number | null; limit: number | null }[]> {
  const dir = mkdtempSync(join(tmpdir(), "rg-br-"));
  const config = join(dir, "replay-gate.yml");
  writeFileSync(config, `policies: [policies/edge-gw.yaml]\nwindows: ["policies/windows/2026-*"]\nthresholds:\n  blast_radius: ${bounds}\n`);
  const r = await runCliInProcess(["diff", "--config", config, "--base", "policies/versions/edge-gw-2.14.2.yaml", "--format", "json"]);
  expect(r.code).toBe(1);
  return JSON.parse(r.stdout).evaluation.reasons;
}

describe("blast-radius bounds", () => {
  it("fails a change that alters more POPs than allowed, naming them", async () => {
    const br = (await reasonsWith("{ max_pops: 2, max_services: 1 }")).filter((r) => r.code === "blast-radius");
    expect(br).toEqual([expect.objectContaining({ value: 3, limit: 2, message: "the change alters results in 3 pops (POP-12, POP-7, POP-9), blast_radius.max_pops is 2" })]);
  });

  it("passes the bound when the change stays within it", async () => {
    expect((await reasonsWith("{ max_pops: 3, max_regions: 3 }")).filter((r) => r.code === "blast-radius")).toEqual([]);
  });
});
