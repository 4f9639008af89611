/** `replay-gate capture` (in-process): a real bgpdump sample pinned, verified and replayed. */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runCliInProcess } from "../support/cli.js";

describe("replay-gate capture", () => {
  it("pins a window that verify accepts and replay runs, and reports a second capture as a duplicate", async () => {
    const out = mkdtempSync(join(tmpdir(), "rg-cap-"));
    const args = ["capture", "--workspace", "/", "--from", `bgpdump:${join(ROOT, "test/fixtures/capture/bgpdump-rrc21.txt")}`, "--mapping", "policies/mappings/rrc21-franceix.yaml", "--max-reject-fraction", "0.2", "--out", join(out, "w1"), "--format", "json"];
    const first = await runCliInProcess(args);
    expect(first.code).toBe(0);
    const outcome = JSON.parse(first.stdout);
    // The fixture keeps one broken line of the real sample: counted, named, and within the allowed fraction.
    expect(outcome.rejects).toEqual([expect.objectContaining({ line: 14 })]);
    expect(outcome.kind).toBe("written");
    const manifest = readFileSync(join(out, "w1", "window.yaml"), "utf8");
    expect(manifest).toMatch(/^signals:\n  - bgp$/m);
    const verify = await runCliInProcess(["verify", join(out, "w1")]);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/^ok .*w1: \d+ events, sha256 [0-9a-f]{64}\n$/);
    const replay = await runCliInProcess(["replay", "--policy", "policies/rrc21-routing.yaml", "--window", join(out, "w1"), "--format", "json"]);
    expect(replay.code).toBeLessThan(2);
    expect(JSON.parse(replay.stdout).windows[0].counts.events).toBe(outcome.manifest.events.count);
    const second = await runCliInProcess([...args.slice(0, -4), "--out", join(out, "w2"), "--library", out, "--format", "json"]);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout).kind).toBe("duplicate");
  });

  it("refuses an unknown adapter with exit 2 and a hint", async () => {
    const r = await runCliInProcess(["capture", "--from", "snmp:x.txt", "--out", "/tmp/never"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: .*snmp/m);
  });
});
