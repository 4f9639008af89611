/** The verified window cache: same results with and without it; a bad entry is rebuilt, never trusted; a failed pin never reaches it. */
import { gunzipSync } from "node:zlib";
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_THRESHOLDS } from "../../src/core/config.js";
import { stableJson } from "../../src/core/report/json.js";
import { runDiff } from "../../src/io/diff-run.js";
import { readWindowManifest, streamEvents } from "../../src/io/window.js";
import { cacheEntryPath, CACHE_FORMAT_VERSION, CacheWriter, CHUNK_EVENTS } from "../../src/io/window-cache.js";
import type { NormalizedEvent } from "../../src/core/event.js";
import { line, writeWindow } from "../support/windows.js";

const WINDOWS = ["policies/windows/2026-02-26-pop12-routing", "policies/windows/2026-03-04-pop7-dns-latency", "policies/windows/2026-02-26-pop9-maintenance-loss"];

function tmp(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

function diff(cacheDir: string | undefined) {
  return runDiff({
    base: ["policies/versions/edge-gw-2.14.2.yaml"],
    head: ["policies/edge-gw.yaml"],
    windows: WINDOWS,
    thresholds: DEFAULT_THRESHOLDS,
    config: null,
    cwd: process.cwd(),
    warn: () => {},
    cacheDir,
  });
}

/** Every event of a window as the sink sees it, serialized with its id (key order included). */
async function collect(dir: string, cacheDir: string | undefined): Promise<string[]> {
  const src = await readWindowManifest(dir, { cacheDir });
  const out: string[] = [];
  const n = await streamEvents(src, (e, id) => out.push(`${id} ${JSON.stringify(e)}`));
  expect(n).toBe(out.length);
  return out;
}

/** Events that use every value kind: attrs of each type, labels, lone surrogates, -0, timestamps as strings and numbers. */
function variedLines(n: number): string[] {
  const base = Date.parse("2026-02-26T10:12:00Z");
  return Array.from({ length: n }, (_, i) => {
    const ts = i % 2 === 0 ? new Date(base + i * 10).toISOString() : base + i * 10;
    const extra: Record<string, unknown> = { attrs: { peer: `192.0.2.${i % 7}`, n: i % 3 === 0 ? -0 : i / 7, up: i % 2 === 0, "1": "numeric key" } };
    if (i % 5 === 0) extra["labels"] = { alertname: "High\uD800Latency", __name__: "up" };
    if (i % 11 === 0) extra["value"] = 1e-300 * i;
    if (i % 13 === 0) extra["starts_at"] = "2026-02-26T10:11:00Z";
    return line(ts as string, extra);
  });
}

describe("the verified window cache", () => {
  it("gives a byte-identical diff report without a cache, building the cache, and reading from it", async () => {
    const cacheDir = tmp("rg-cache-");
    const plain = stableJson(await diff(undefined));
    const building = stableJson(await diff(cacheDir));
    expect(readdirSync(cacheDir).filter((f) => f.endsWith(`.v${CACHE_FORMAT_VERSION}.rgwc`))).toHaveLength(WINDOWS.length);
    const cached = stableJson(await diff(cacheDir));
    expect(building).toBe(plain);
    expect(cached).toBe(plain);
  });

  it("hands the sink the same events, ids and key order from an entry as from the events file, across chunks", async () => {
    const { dir } = writeWindow(variedLines(CHUNK_EVENTS * 2 + 17));
    const cacheDir = tmp("rg-cache-");
    const fromFile = await collect(dir, undefined);
    expect(await collect(dir, cacheDir)).toEqual(fromFile);
    const src = await readWindowManifest(dir);
    const entry = cacheEntryPath(cacheDir, src.manifest.events.sha256)!;
    const mtime = statSync(entry).mtimeMs;
    expect(await collect(dir, cacheDir)).toEqual(fromFile);
    // Read, not rewritten: the entry is the same file.
    expect(statSync(entry).mtimeMs).toBe(mtime);
    expect(fromFile.some((l) => l.includes("\\ud800"))).toBe(true);
  });

  it.each([
    ["a flipped byte in a chunk", (p: string) => flip(p, 100)],
    ["a flipped byte in the last chunk, after the first chunk was delivered", (p: string) => flip(p, statSync(p).size - 48 - (60 + 2 * 40) - 10)],
    ["a flipped byte in the table", (p: string) => flip(p, statSync(p).size - 60)],
    ["a truncated entry", (p: string) => truncateSync(p, statSync(p).size - 1000)],
    ["an entry of another format version", (p: string) => flip(p, statSync(p).size - 12)],
    ["an empty file", (p: string) => writeFileSync(p, "")],
  ])("ignores and rebuilds %s, with the same events", async (_name, damage) => {
    const { dir } = writeWindow(variedLines(CHUNK_EVENTS + 500));
    const cacheDir = tmp("rg-cache-");
    const fromFile = await collect(dir, undefined);
    await collect(dir, cacheDir);
    const entry = cacheEntryPath(cacheDir, (await readWindowManifest(dir)).manifest.events.sha256)!;
    const good = readFileSync(entry);
    damage(entry);
    expect(await collect(dir, cacheDir)).toEqual(fromFile);
    expect(readFileSync(entry).equals(good)).toBe(true);
  });

  it.each([
    ["a signal outside the vocabulary", (e: Record<string, unknown>) => ({ ...e, signal: "telepathy" })],
    ["a reserved attrs key", (e: Record<string, unknown>) => ({ ...e, attrs: JSON.parse('{"constructor": "x"}') as unknown })],
    ["a ts out of order", (e: Record<string, unknown>) => ({ ...e, ts: (e["ts"] as number) - 1000 })],
  ])("ignores and rebuilds an entry whose checksums hold but whose second chunk holds %s", async (_name, forge) => {
    const { dir, eventsPath } = writeWindow(variedLines(CHUNK_EVENTS + 500));
    const cacheDir = tmp("rg-cache-");
    const fromFile = await collect(dir, undefined);
    await collect(dir, cacheDir);
    const src = await readWindowManifest(dir);
    const entry = cacheEntryPath(cacheDir, src.manifest.events.sha256)!;
    const good = readFileSync(entry);
    // Written through the writer itself, so every checksum holds.
    const writer = CacheWriter.open(cacheDir, src.manifest.events.sha256, src.maxLineBytes)!;
    fromFile.forEach((l, i) => {
      const e = JSON.parse(l.slice(l.indexOf(" ") + 1)) as Record<string, unknown>;
      writer.add((i === CHUNK_EVENTS + 3 ? forge(e) : e) as unknown as NormalizedEvent);
    });
    writer.commit(src.manifest.events.sha256, fromFile.length, gunzipSync(readFileSync(eventsPath)).length);
    expect(readFileSync(entry).equals(good)).toBe(false);
    expect(await collect(dir, cacheDir)).toEqual(fromFile);
    expect(readFileSync(entry).equals(good)).toBe(true);
  });

  it("writes no entry when an event does not fit the layout", () => {
    const cacheDir = tmp("rg-cache-");
    const sha = "0".repeat(64);
    const writer = CacheWriter.open(cacheDir, sha, 1024)!;
    writer.add(JSON.parse(line("2026-02-26T10:12:00Z").replace('"2026-02-26T10:12:00Z"', String(Date.parse("2026-02-26T10:12:00Z")))) as NormalizedEvent);
    writer.add({ ...(JSON.parse(line("2026-02-26T10:12:00Z")) as object), ts: 0, extra: true } as unknown as NormalizedEvent);
    writer.commit(sha, 2, 100);
    expect(readdirSync(cacheDir)).toEqual([]);
  });

  it("never uses an entry for a window whose pin fails", async () => {
    const lines = variedLines(50);
    const { dir, eventsPath } = writeWindow(lines);
    const cacheDir = tmp("rg-cache-");
    await collect(dir, cacheDir);
    // The same events, stored differently: the pin no longer matches, though the entry would.
    const root = tmp("rg-win-");
    cpSync(dir, join(root, "w1"), { recursive: true });
    writeFileSync(join(root, "w1", "events.ndjson.gz"), Buffer.concat([readFileSync(eventsPath), Buffer.from([0])]));
    const src = await readWindowManifest(join(root, "w1"), { cacheDir });
    const seen: number[] = [];
    await expect(streamEvents(src, (_e, id) => seen.push(id))).rejects.toThrow(/bytes|sha256/);
    expect(seen).toEqual([]);
  });

  it("does not use an entry built under a longer line limit, and rejects the long line as the file read would", async () => {
    const { dir } = writeWindow(variedLines(20));
    const cacheDir = tmp("rg-cache-");
    await collect(dir, cacheDir);
    const src = await readWindowManifest(dir, { cacheDir, maxLineBytes: 100 });
    await expect(streamEvents(src, () => {})).rejects.toThrow(/at most 100 bytes/);
  });

  it("reads a shared entry under another manifest's bounds from the file, reporting the file's error", async () => {
    const lines = variedLines(20);
    const { dir } = writeWindow(lines);
    const cacheDir = tmp("rg-cache-");
    await collect(dir, cacheDir);
    const narrower = writeWindow(lines, { manifestExtra: "" });
    // Same events file, but the window ends before its last events.
    const yaml = readFileSync(join(narrower.dir, "window.yaml"), "utf8").replace("end: 2026-02-26T10:16:00Z", "end: 2026-02-26T10:12:00.050Z");
    writeFileSync(join(narrower.dir, "window.yaml"), yaml);
    const src = await readWindowManifest(narrower.dir, { cacheDir });
    await expect(streamEvents(src, () => {})).rejects.toThrow(/outside the window/);
  });
});

function flip(path: string, at: number): void {
  const bytes = readFileSync(path);
  bytes[at] = bytes[at]! ^ 0xff;
  writeFileSync(path, bytes);
}
