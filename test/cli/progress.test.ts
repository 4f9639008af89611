/** Progress on stderr: windows done / total, events/s and an ETA, shown on a terminal or with --progress, never otherwise. */
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { progress, readMeter, type CliIo } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";
import type { WindowSource } from "../../src/io/window.js";

const ROOT = resolve(import.meta.dirname, "..", "..");

function fakeSource(id: string, count: number): WindowSource {
  return { manifest: { id, events: { count } } } as unknown as WindowSource;
}

function io(tty: boolean): CliIo & { err: () => string; out: () => string } {
  let out = "",
    err = "";
  return { stdout: (t) => (out += t), stderr: (t) => (err += t), stderrIsTTY: tty, stdoutIsTTY: false, env: {}, cwd: ROOT, err: () => err, out: () => out };
}

describe("readMeter", () => {
  it("reports the window being read of all planned, events of the pinned total, the rate and the time left", () => {
    let t = 0;
    const lines: string[] = [];
    const meter = readMeter(
      (l) => lines.push(l),
      () => t,
    );
    const a = fakeSource("a", 300_000);
    const b = fakeSource("b", 900_000);
    meter.plan([a, b]);
    meter.read(a, 100_000, false);
    t = 1000;
    meter.read(a, 200_000, false);
    t = 1500;
    meter.read(a, 300_000, true);
    t = 3000;
    meter.read(b, 300_000, false);
    expect(lines.slice(1)).toEqual([
      "a: window 1/2 · 200,000/1,200,000 events · 200,000 events/s · ETA 0:05",
      "a: window 1/2 · 300,000/1,200,000 events · 200,000 events/s · ETA 0:05",
      "b: window 2/2 · 600,000/1,200,000 events · 200,000 events/s · ETA 0:03",
    ]);
  });

  it("counts a window read again (time travel) once, at its furthest read", () => {
    let t = 0;
    const lines: string[] = [];
    const meter = readMeter(
      (l) => lines.push(l),
      () => t,
    );
    const a = fakeSource("a", 1000);
    meter.plan([a]);
    meter.read(a, 1000, true);
    t = 1000;
    meter.read(a, 400, false);
    expect(lines.at(-1)).toBe("a: window 1/1 · 1,000/1,000 events · 1,000 events/s · ETA 0:00");
  });
});

describe("progress", () => {
  it("has no meter and prints nothing when stderr is not a terminal and --progress is not given", () => {
    const run = io(false);
    const bar = progress(run);
    bar.update("x");
    bar.done();
    expect(bar.meter).toBeUndefined();
    expect(run.err()).toBe("");
  });

  it("prints whole lines, at most one per interval, with --progress and no terminal", () => {
    let t = 0;
    const run = io(false);
    const bar = progress(run, { force: true, now: () => t, every: 1000 });
    bar.update("one");
    t = 500;
    bar.update("skipped");
    t = 1000;
    bar.update("two");
    expect(run.err()).toBe("one\ntwo\n");
  });

  it("overwrites one line on a terminal and clears it when done", () => {
    const run = io(true);
    const bar = progress(run);
    bar.update("one");
    bar.done();
    expect(run.err()).toBe("\r\u001b[2Kone\r\u001b[2K");
  });
});

describe("diff --progress", () => {
  const args = [
    "diff",
    "--base",
    "policies/versions/edge-gw-2.14.2.yaml",
    "--head",
    "policies/edge-gw.yaml",
    "--windows",
    "policies/windows/2026-02-26-pop12-routing",
    "--windows",
    "policies/windows/2026-03-04-pop7-dns-latency",
    "--format",
    "json",
    "--no-cache",
  ];

  it("shows windows, events/s and an ETA on stderr and leaves stdout as without it", async () => {
    const plain = io(false);
    await main(args, plain);
    const shown = io(false);
    await main([...args, "--progress"], shown);
    expect(shown.out()).toBe(plain.out());
    expect(plain.err()).not.toMatch(/events\/s/);
    // With a worker per core the two windows are read at once: either may report first.
    expect(shown.err()).toMatch(/^(2026-02-26-pop12-routing|2026-03-04-pop7-dns-latency): window [12]\/2 · [\d,]+\/10,198 events · [\d,]+ events\/s/m);
  });
});
