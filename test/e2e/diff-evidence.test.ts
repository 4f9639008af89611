/** `replay-gate diff --evidence` (in-process): a byte-identical bundle per run, with audit records that hold to their schema. */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { auditRecordSchema } from "../../src/core/evidence/audit-record.js";
import { runCliInProcess } from "../support/cli.js";

describe("replay-gate diff --evidence", () => {
  it("writes the same bundle twice: report, manifests, audit records, incidents, traces, signatures for base and head", async () => {
    const root = mkdtempSync(join(tmpdir(), "rg-ev-"));
    const args = ["diff", "--base", "policies/versions/edge-gw-2.14.2.yaml", "--head", "policies/edge-gw.yaml", "--windows", "policies/windows/2026-02-26-pop12-routing", "--format", "json"];
    const a = await runCliInProcess([...args, "--evidence", join(root, "a")]);
    await runCliInProcess([...args, "--evidence", join(root, "b")]);
    expect(a.code).toBe(1); // the demo change fails the default thresholds (an incident is removed); evidence is written all the same
    expect(a.stderr).toMatch(/^evidence: .*a\.tar\.gz \(11 files, tar sha256:[0-9a-f]{64}\)$/m);
    expect(readFileSync(join(root, "a.tar.gz")).equals(readFileSync(join(root, "b.tar.gz")))).toBe(true);
    const dir = join(root, "a", "windows", "2026-02-26-pop12-routing", "edge-gw");
    for (const side of ["base", "head"]) {
      const audit = auditRecordSchema.parse(JSON.parse(readFileSync(join(dir, side, "audit.json"), "utf8")));
      expect(audit.input.records_scanned).toBe(5861);
      const sig = JSON.parse(readFileSync(join(dir, side, "signatures.json"), "utf8"));
      expect(sig.trace_signature).toMatch(/^sha256:/);
    }
    const report = JSON.parse(readFileSync(join(root, "a", "report.json"), "utf8"));
    expect(report).toEqual(JSON.parse(a.stdout));
  });
});
