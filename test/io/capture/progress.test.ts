/** capture --progress: sources done / total, records/s and, for plain-text sources, the time left. */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { runCapture } from "../../../src/io/capture/capture.js";
import { parseCaptureArgv } from "../../../src/cli/capture-args.js";
import { FIXTURES } from "./helpers.js";

const ws = mkdtempSync(join(tmpdir(), "rg-capture-progress-"));
afterAll(() => rmSync(ws, { recursive: true, force: true }));

test("shows each source's number of all, records/s and an ETA with --progress, and nothing without it", async () => {
  mkdirSync(join(ws, "in"));
  for (const f of ["zeek-dns.tsv", "prom-wrccdc-dns-outcomes.json"]) copyFileSync(join(FIXTURES, f), join(ws, "in", f));
  const argv = (out: string, extra: string[]) =>
    parseCaptureArgv([
      "--from",
      "zeek:in/zeek-dns.tsv",
      "--from",
      "prom:in/prom-wrccdc-dns-outcomes.json",
      "--library",
      "lib",
      "--captured-at",
      "2026-01-01T00:00:00Z",
      "--id",
      "w",
      "--max-reject-fraction",
      "0.5",
      "--out",
      out,
      ...extra,
    ]);
  const run = async (out: string, extra: string[]) => {
    let t = 0;
    let err = "";
    // Each reading of the clock is a second later: every chunk is past the pacing interval.
    await runCapture(argv(out, extra), { cwd: ws, stderr: (s) => void (err += s), stderrIsTTY: false, now: () => (t += 1000) });
    return err;
  };
  const shown = await run("w1", ["--progress"]);
  expect(shown).toMatch(/capture: in\/zeek-dns\.tsv: source 1\/2 · [\d.]+ MiB read · \d+ events kept · \d+ records\/s · ETA \d+ s/);
  expect(shown).toMatch(/capture: in\/prom-wrccdc-dns-outcomes\.json: source 2\/2 · /);
  expect(await run("w2", [])).not.toMatch(/records\/s/);
});
