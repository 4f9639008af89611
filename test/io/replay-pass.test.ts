/** The one replay pass and time travel: every consumer sees each event once; travel agrees with a fresh replay. */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Engine } from "../../src/core/engine/engine.js";
import { loadPolicyText } from "../../src/core/policy/load.js";
import { replayPass, timeTravel } from "../../src/io/replay-pass.js";
import { readWindowManifest } from "../../src/io/window.js";
import { line, writeWindow } from "../support/windows.js";

const policy = loadPolicyText(readFileSync("policies/edge-gw.yaml", "utf8"), "edge-gw.yaml").compiled;
const lines = Array.from({ length: 40 }, (_, i) => line(`2026-02-26T10:12:${String(i).padStart(2, "0")}Z`, { attrs: { peer: `192.0.2.${i % 4}`, prefix: "203.0.113.0/24" } }));

describe("replayPass", () => {
  it("feeds every engine and observer each event once, in order, and keeps the asked-for prefix", async () => {
    const src = await readWindowManifest(writeWindow(lines).dir);
    const seen: number[] = [];
    const engine = new Engine(policy);
    const pass = await replayPass(src, { engines: [engine], observers: [{ push: (_e, id) => seen.push(id) }], keepPrefix: 5 });
    expect(pass.events).toBe(40);
    expect(seen).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect([...pass.prefix].map((e) => e.ts)).toEqual([...pass.prefix].map((_, i) => Date.parse(`2026-02-26T10:12:0${i}Z`)));
    expect(engine.finish().counts.alerts).toBeGreaterThan(0);
  });

  it("stops keeping the prefix at the first event after which prefixComplete answers true, and still feeds every event", async () => {
    const src = await readWindowManifest(writeWindow(lines).dir);
    const seen: number[] = [];
    const asked: number[] = [];
    const pass = await replayPass(src, {
      engines: [{ push: (_e, id) => seen.push(id) }],
      keepPrefix: 30,
      prefixComplete: () => asked.push(seen.length - 1) >= 7,
    });
    expect(seen).toHaveLength(40);
    // Asked once per kept event, after the consumers took it; the answer true at event 6 ends the keeping.
    expect(asked).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect([...pass.prefix].map((e) => e.ts)).toEqual([...pass.prefix].map((_, i) => Date.parse(`2026-02-26T10:12:0${i}Z`)));
    expect(pass.prefix).toHaveLength(7);
  });

  it("keeps exactly the events the consumers took, read from the file or from the cache", async () => {
    const { dir } = writeWindow([...lines.slice(0, 20), line("2026-02-26T10:12:20.5+00:00", { attrs: { note: 'needs "the full path"' } }), ...lines.slice(21)]);
    const cacheDir = mkdtempSync(join(tmpdir(), "rg-prefix-"));
    for (const limits of [{}, { cacheDir }, { cacheDir }]) {
      const src = await readWindowManifest(dir, limits);
      const taken: string[] = [];
      const pass = await replayPass(src, { engines: [{ push: (e) => void taken.push(JSON.stringify(e)) }], keepPrefix: 25 });
      expect(pass.prefix).toHaveLength(25);
      expect([...pass.prefix].map((e) => JSON.stringify(e))).toEqual(taken.slice(0, 25));
    }
  });

  it("stops keeping the prefix once its lines' bytes pass the bound, and time travel reads the rest from the window", async () => {
    const src = await readWindowManifest(writeWindow(lines).dir);
    const full = new Engine(policy, { trace: true });
    const pass = await replayPass(src, { engines: [full], keepPrefix: 40, maxPrefixBytes: 1 });
    expect(pass.prefix).toHaveLength(0);
    const trace = full.finish().trace;
    const index = trace.length - 1;
    const travelled = new Engine(policy, { stopAfterTrace: index });
    const watched = await timeTravel(src, [{ engine: travelled }], { prefix: pass.prefix, watch: trace[index]!.event });
    expect(travelled.halted).toBe(true);
    expect(watched).not.toBeNull();
  });

  it("bounds the prefix by bytes for events from the window cache too: each counts its share of its chunk", async () => {
    const { dir } = writeWindow(lines);
    const cacheDir = mkdtempSync(join(tmpdir(), "rg-prefix-bytes-"));
    const lineBytes = lines.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);
    for (const pass of [1, 2]) {
      // Pass 1 reads the file (and writes the entry), pass 2 reads the entry.
      const src = await readWindowManifest(dir, { cacheDir });
      const kept = await replayPass(src, { engines: [{ push: () => {} }], keepPrefix: 40, maxPrefixBytes: 1 });
      expect(kept.prefix, `pass ${pass}`).toHaveLength(0);
      const roomy = await replayPass(await readWindowManifest(dir, { cacheDir }), { engines: [{ push: () => {} }], keepPrefix: 40, maxPrefixBytes: 4 * lineBytes });
      expect(roomy.prefix, `pass ${pass}`).toHaveLength(40);
    }
  });

  it("refuses a window whose pin does not match before any result is used", async () => {
    const src = await readWindowManifest(writeWindow(lines, { pin: { sha256: "0".repeat(64) } }).dir);
    await expect(replayPass(src, { engines: [new Engine(policy)] })).rejects.toThrow(/sha256/);
  });
});

describe("timeTravel", () => {
  it("reaches the same state from the kept prefix as from a second read of the window", async () => {
    const src = await readWindowManifest(writeWindow(lines).dir);
    const full = new Engine(policy, { trace: true });
    const { prefix } = await replayPass(src, { engines: [full], keepPrefix: 10 });
    const trace = full.finish().trace;
    expect(trace.length).toBeGreaterThan(3);
    const index = trace.length - 2;
    const fromPrefix = new Engine(policy, { stopAfterTrace: index });
    const fromDisk = new Engine(policy, { stopAfterTrace: index });
    const watched = await timeTravel(src, [{ engine: fromPrefix }], { prefix, watch: trace[index]!.event });
    await timeTravel(src, [{ engine: fromDisk }]);
    expect(fromPrefix.halted && fromDisk.halted).toBe(true);
    expect(fromPrefix.snapshot()).toEqual(fromDisk.snapshot());
    expect(watched?.ts).toBe(Date.parse(`2026-02-26T10:12:${String(trace[index]!.event).padStart(2, "0")}Z`));
  });

  it("stops a traveller at a time bound: the state after every event at or before it", async () => {
    const src = await readWindowManifest(writeWindow(lines).dir);
    const until = Date.parse("2026-02-26T10:12:19Z");
    const travelled = new Engine(policy);
    await timeTravel(src, [{ engine: travelled, untilTs: until }]);
    const direct = new Engine(policy);
    await replayPass(src, {
      engines: [
        {
          push: (e, id) => {
            if (e.ts <= until) direct.push(e, id);
          },
        },
      ],
    });
    expect(travelled.snapshot()).toEqual(direct.snapshot());
    expect(travelled.snapshot().events_processed).toBe(20);
  });
});
