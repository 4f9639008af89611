import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { InputError, formatProblem } from "../../src/core/errors.js";
import { loadWindowSources, replayWindow } from "../../src/io/windows.js";
import { line, writeWindow, fireOnEveryBgpEvent } from "../support/windows.js";

const policy = fireOnEveryBgpEvent;

async function replayProblems(dir: string): Promise<string[]> {
  try {
    const [src] = await loadWindowSources([dir], () => {});
    await replayWindow(src!, [policy.compiled]);
  } catch (err) {
    if (err instanceof InputError) return err.problems.map(formatProblem);
    throw err;
  }
  throw new Error("expected the window to be refused");
}

const good = [line("2026-02-26T10:12:00Z"), line("2026-02-26T10:12:01.500Z"), line("2026-02-26T10:13:00Z")];

describe("window loading refuses bad input and reports no partial result", () => {
  it("replays a valid gzipped and a valid plain window alike", async () => {
    for (const gzip of [true, false]) {
      const w = writeWindow(good, { gzip });
      const [src] = await loadWindowSources([w.dir], () => {});
      const [r] = await replayWindow(src!, [policy.compiled]);
      expect(r!.counts.events).toBe(3);
      expect(r!.counts.alerts).toBe(3);
      expect(r!.incidents).toHaveLength(1);
    }
  });

  it("refuses a truncated gzip stream", async () => {
    const full = gzipSync(Buffer.from(good.join("\n") + "\n"));
    const w = writeWindow(good, { stored: full.subarray(0, full.length - 12) });
    const out = await replayProblems(w.dir);
    expect(out).toHaveLength(1);
    expect(out[0]).toContain(`${w.eventsPath}: not a complete gzip stream`);
  });

  it("refuses a hash mismatch and hands out no result", async () => {
    const w = writeWindow(good, { pin: { sha256: "0".repeat(64) } });
    expect((await replayProblems(w.dir))[0]).toMatch(/window\.yaml: events\.sha256: the events file hashes to [0-9a-f]{64}, the manifest pins 0{64} \(the file changed after it was pinned/);
  });

  it("reports an edited events file as a pin mismatch, not as the line error the edit caused", async () => {
    const w = writeWindow(good, { gzip: false });
    const edited = (await import("node:fs")).readFileSync(w.eventsPath, "utf8").replace('"signal":"bgp"', '"signal":"xyz"');
    writeFileSync(w.eventsPath, edited);
    expect(await replayProblems(w.dir)).toEqual([expect.stringContaining("events.sha256: the events file hashes to")]);
  });

  it("refuses a size mismatch", async () => {
    const w = writeWindow(good, { pin: { bytes: 1 } });
    expect((await replayProblems(w.dir))[0]).toContain("events.bytes: the events file has");
  });

  it("refuses a count mismatch", async () => {
    const w = writeWindow(good, { pin: { count: 4 } });
    expect(await replayProblems(w.dir)).toEqual([expect.stringContaining("events.count: the events file has 3 events, the manifest pins 4")]);
  });

  it("names the line that is not JSON", async () => {
    const w = writeWindow([good[0]!, "{not json", good[2]!]);
    expect((await replayProblems(w.dir))[0]).toMatch(/events\.ndjson\.gz:2: not valid JSON/);
  });

  it("names the line and field of a schema violation", async () => {
    const w = writeWindow([good[0]!, line("2026-02-26T10:12:01Z", { signal: "smoke" })]);
    expect(await replayProblems(w.dir)).toEqual([`${w.eventsPath}:2: signal: expected one of flow, bgp, dns, metric, alert, log`]);
  });

  it("refuses an event out of order", async () => {
    const w = writeWindow([good[1]!, good[0]!]);
    expect((await replayProblems(w.dir))[0]).toContain(":2: ts: 2026-02-26T10:12:00Z is earlier than the line before (2026-02-26T10:12:01.500Z)");
  });

  it("refuses an event outside the window's bounds", async () => {
    const w = writeWindow([good[0]!, line("2026-02-26T10:16:00.001Z")]);
    expect((await replayProblems(w.dir))[0]).toContain(":2: ts: 2026-02-26T10:16:00.001Z is outside the window 2026-02-26T10:12:00Z … 2026-02-26T10:16:00Z");
  });

  it("refuses __proto__ keys in events", async () => {
    const w = writeWindow([good[0]!, '{"ts":"2026-02-26T10:12:01Z","signal":"bgp","name":"x","scope":{},"attrs":{"__proto__":{"polluted":1}}}']);
    expect((await replayProblems(w.dir))[0]).toContain(":2: attrs.__proto__: reserved or empty key");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("refuses a blank line in the middle", async () => {
    const w = writeWindow([good[0]!, "", good[1]!]);
    expect((await replayProblems(w.dir))[0]).toContain(":2: empty line");
  });

  it("refuses a manifest with an unknown key, naming its line", async () => {
    const w = writeWindow(good, { manifestExtra: "colour: red\n" });
    expect(await replayProblems(w.dir)).toEqual([`${join(w.dir, "window.yaml")}:9:1: colour: unknown key "colour"`]);
  });

  it("refuses a missing events file", async () => {
    const w = writeWindow(good);
    writeFileSync(join(w.dir, "window.yaml"), (await import("node:fs")).readFileSync(join(w.dir, "window.yaml"), "utf8").replace("events.ndjson.gz", "missing.ndjson.gz"));
    expect((await replayProblems(w.dir))[0]).toContain("missing.ndjson.gz: events file is missing");
  });

  it("treats two windows pinning the same events as one, with a warning", async () => {
    const a = writeWindow(good, { id: "a" });
    const b = writeWindow(good, { id: "b" });
    const warnings: string[] = [];
    const sources = await loadWindowSources([a.dir, b.dir], (m) => warnings.push(m));
    expect(sources).toHaveLength(1);
    expect(warnings[0]).toContain("pins the same events");
  });
});
