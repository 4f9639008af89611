/** The bundled example library is reproducible from its seeded generator. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/cli.js";

describe("scripts/gen-windows.mjs", () => {
  it("regenerates every bundled 2026 window byte for byte", () => {
    const out = mkdtempSync(join(tmpdir(), "rg-gen-"));
    execFileSync(process.execPath, ["scripts/gen-windows.mjs", "--out", out], { cwd: ROOT });
    const ids = readdirSync(out).sort();
    expect(ids).toEqual(readdirSync(join(ROOT, "policies", "windows")).filter((d) => d.startsWith("2026-")).sort());
    for (const id of ids) {
      const committed = join(ROOT, "policies", "windows", id);
      const fresh = join(out, id);
      const a = readFileSync(join(committed, "events.ndjson.gz"));
      const b = readFileSync(join(fresh, "events.ndjson.gz"));
      expect(gunzipSync(b).equals(gunzipSync(a)), `${id}: events differ`).toBe(true);
      const manifest = (dir: string) => readFileSync(join(dir, "window.yaml"), "utf8");
      // Another zlib build may frame equal content differently; then only the pin may differ.
      const strip = (s: string) => (a.equals(b) ? s : s.replace(/^events: .*$/m, "events: <pin>"));
      expect(strip(manifest(fresh))).toBe(strip(manifest(committed)));
    }
  });
});
