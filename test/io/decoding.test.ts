/**
 * Strict decoding (issue 10): what JSON.parse and a lenient decoder would accept silently —
 * invalid UTF-8, duplicate keys, absurd numbers, exotic YAML — is a short, located error.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { InputError, formatProblem } from "../../src/core/errors.js";
import { countKeyTokens, findDuplicateKey, parseJsonStrict } from "../../src/core/json-keys.js";
import { parseYaml } from "../../src/core/yaml.js";
import { readJsonStrict } from "../../src/io/read-json.js";
import { readWindowManifest } from "../../src/io/window.js";
import { loadWindowSources, replayWindow } from "../../src/io/windows.js";
import { line, writeWindow, fireOnEveryBgpEvent } from "../support/windows.js";

const policy = fireOnEveryBgpEvent;

function problemsOf(run: () => unknown): Promise<string[]> {
  return Promise.resolve()
    .then(run)
    .then(
      () => {
        throw new Error("expected an input error");
      },
      (err: unknown) => {
        if (err instanceof InputError) return err.problems.map(formatProblem);
        throw err;
      },
    );
}

async function replayProblems(dir: string): Promise<string[]> {
  return problemsOf(async () => {
    const [src] = await loadWindowSources([dir], () => {});
    await replayWindow(src!, [policy.compiled]);
  });
}

const first = line("2026-02-26T10:12:00Z");
const bytesWindow = (...lines: Buffer[]) => writeWindow(["x"], { stored: gzipSync(Buffer.concat(lines.flatMap((l) => [l, Buffer.from("\n")]))), pin: { count: lines.length } });

describe("events are strict UTF-8 JSON without duplicate keys", () => {
  it("refuses invalid UTF-8 in an event, naming the line and byte column", async () => {
    const bad = Buffer.concat([Buffer.from('{"ts":"2026-02-26T10:12:01Z","signal":"bgp","name":"x'), Buffer.from([0xc3, 0x28]), Buffer.from('","scope":{}}')]);
    const w = bytesWindow(Buffer.from(first), bad);
    expect(await replayProblems(w.dir)).toEqual([`${w.eventsPath}:2:54: invalid UTF-8 (byte 0xc3) (events files are UTF-8)`]);
  });

  it("refuses an encoded surrogate and an overlong form as the WHATWG decoder does", async () => {
    for (const seq of [
      [0xed, 0xa0, 0x80],
      [0xc0, 0xaf],
      [0xf4, 0x90, 0x80, 0x80],
    ]) {
      const w = bytesWindow(Buffer.concat([Buffer.from('{"ts":"2026-02-26T10:12:01Z","signal":"bgp","name":"'), Buffer.from(seq), Buffer.from('","scope":{}}')]));
      expect((await replayProblems(w.dir))[0]).toContain(`${w.eventsPath}:1:53: invalid UTF-8`);
    }
  });

  it("locates invalid UTF-8 whose bytes straddle a read chunk", async () => {
    // A 300 KiB first line puts line 2's bad byte past the first 256 KiB chunk of gunzip output.
    const long = Buffer.from(line("2026-02-26T10:12:00Z", { source: "s".repeat(300 * 1024) }));
    const bad = Buffer.concat([Buffer.from('{"ts":"2026-02-26T10:12:01Z","signal":"bgp","name":"'), Buffer.from([0xe2, 0x82]), Buffer.from('","scope":{}}')]);
    const w = bytesWindow(long, bad);
    expect((await replayProblems(w.dir))[0]).toContain(`${w.eventsPath}:2:53: invalid UTF-8 (byte 0xe2)`);
  });

  it("accepts valid multi-byte UTF-8 split across chunks", async () => {
    const long = line("2026-02-26T10:12:00Z", { source: "é€😀".repeat(60_000) });
    const w = writeWindow([long, line("2026-02-26T10:12:01Z", { source: "ü" })]);
    const [src] = await loadWindowSources([w.dir], () => {});
    const [r] = await replayWindow(src!, [policy.compiled]);
    expect(r!.counts.events).toBe(2);
  });

  it("refuses a duplicate key at the top level, in scope and in attrs, naming its path", async () => {
    const cases: Array<[string, string]> = [
      ['{"ts":"2026-02-26T10:12:01Z","signal":"bgp","signal":"dns","name":"x","scope":{}}', ':2: signal: duplicate key "signal"'],
      ['{"ts":"2026-02-26T10:12:01Z","signal":"bgp","name":"x","scope":{"pop":"A","pop":"B"}}', ':2: scope.pop: duplicate key "pop"'],
      ['{"ts":"2026-02-26T10:12:01Z","signal":"bgp","name":"x","scope":{},"attrs":{"peer":"a","peer":"b"}}', ':2: attrs.peer: duplicate key "peer"'],
      ['{"ts":"2026-02-26T10:12:01Z","signal":"bgp","name":"x","scope":{},"attrs":{"peer":"a","\\u0070eer":"b"}}', ':2: attrs.peer: duplicate key "peer"'],
      ['{"ts":"2026-02-26T10:12:01Z","signal":"bgp","name":"x","scope":{},"attrs":{"k":{"z":1}},"attrs":{"k":1}}', ':2: attrs: duplicate key "attrs"'],
      ['{"ts":"2026-02-26T10:12:01Z", "signal" :"bgp","name":"x","scope":{},"name" : "y"}', ':2: name: duplicate key "name"'],
    ];
    for (const [text, want] of cases) {
      const w = writeWindow([first, text]);
      expect(await replayProblems(w.dir)).toEqual([`${w.eventsPath}${want} (each key may appear once per object)`]);
    }
  });

  it("accepts a value that only looks like a key (an escaped quote before a colon)", async () => {
    const w = writeWindow([first, line("2026-02-26T10:12:01Z", { attrs: { note: 'say "a": 1, "b": 2' } })]);
    const [src] = await loadWindowSources([w.dir], () => {});
    const [r] = await replayWindow(src!, [policy.compiled]);
    expect(r!.counts.events).toBe(2);
  });

  it("counts at least as many key tokens as keys, whatever the whitespace and strings", () => {
    const texts = ['{"a":1,"b":{"c":"d:e"}}', '{ "a" : 1 , "b"\n:\t{"c": "\\":"}}', '{"a":"2026-02-26T10:12:00Z","b":[{"x":1},{"y":2}]}'];
    for (const t of texts) {
      let keys = 0;
      JSON.parse(t, function (k) {
        if (k !== "" && !Array.isArray(this)) keys++;
        return undefined;
      });
      expect(countKeyTokens(t), t).toBeGreaterThanOrEqual(keys);
    }
    expect(countKeyTokens(line("2026-02-26T10:12:00Z"))).toBe(8);
    expect(findDuplicateKey('{"a":[{"b":1,"b":2}]}')).toEqual({ key: "b", path: "a[0].b", offset: 13 });
    expect(findDuplicateKey('{"a":{"b":1},"c":{"b":1},"d":["a","a"]}')).toBeUndefined();
  });
});

describe("odd numbers and exotic YAML give short, legible errors", () => {
  it("says ts 1e300 is out of range in plain words", async () => {
    const w = writeWindow([first, '{"ts":1e300,"signal":"bgp","name":"x","scope":{}}']);
    expect(await replayProblems(w.dir)).toEqual([`${w.eventsPath}:2: ts: expected epoch milliseconds, a whole number from 0 to 253402300799999 (9999-12-31T23:59:59.999Z); got 1e+300`]);
  });

  it("refuses !!binary in window.yaml with one located line", async () => {
    const w = writeWindow([first], { manifestExtra: "tags: [!!binary aGVsbG8=]\n" });
    const out = await problemsOf(() => readWindowManifest(w.dir));
    expect(out).toEqual([`${join(w.dir, "window.yaml")}:9:17: YAML tag !!binary is not allowed (write a plain string, number, list or map)`]);
  });

  it("refuses a complex YAML key with one located line", async () => {
    const w = writeWindow([first], { manifestExtra: "? [a, b]\n: 1\n" });
    expect(await problemsOf(() => readWindowManifest(w.dir))).toEqual([`${join(w.dir, "window.yaml")}:9:3: complex YAML keys (a list or map as a key) are not allowed (keys are plain strings)`]);
  });

  it("reports at most ten problems for a hostile YAML file, and says how many more", () => {
    const text = Array.from({ length: 40 }, (_, i) => `k${i}: !!binary aGk=`).join("\n");
    const out = (() => {
      try {
        parseYaml(text, "h.yaml");
      } catch (err) {
        return (err as InputError).problems.map(formatProblem);
      }
      return [];
    })();
    expect(out).toHaveLength(11);
    expect(out[10]).toBe("h.yaml: 30 more problems not shown (fix the ones above first)");
  });

  it("names both manifests, with the line of id, for a duplicate window id", async () => {
    const root = mkdtempSync(join(tmpdir(), "rg-dupid-"));
    const a = writeWindow([first], { root: join(root, "a") });
    const b = writeWindow([first, line("2026-02-26T10:12:01Z")], { root: join(root, "b") });
    const out = await problemsOf(() => loadWindowSources([a.dir, b.dir], () => {}));
    expect(out).toEqual([`${join(b.dir, "window.yaml")}:1: id: window id "w1" is also used by ${join(a.dir, "window.yaml")}:1 (window ids must be unique in a library)`]);
  });
});

describe("reports read back are strict too", () => {
  it("refuses a report with a duplicate key, naming line, column and field", () => {
    expect(() => parseJsonStrict('{\n  "windows": [\n    {"id": "a", "id": "b"}\n  ]\n}', "report.json")).toThrow(
      'report.json:3:17: windows[0].id: duplicate key "id" (each key may appear once per object)',
    );
  });

  it("refuses a report file with invalid UTF-8 or a duplicate key, and reads a clean one", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rg-report-"));
    writeFileSync(join(dir, "bad.json"), Buffer.concat([Buffer.from('{"title":"'), Buffer.from([0xff]), Buffer.from('"}')]));
    expect(await problemsOf(() => readJsonStrict(join(dir, "bad.json"), { missing: "none" }))).toEqual([`${join(dir, "bad.json")}:1:11: invalid UTF-8 (byte 0xff) (save the file as UTF-8)`]);
    writeFileSync(join(dir, "dup.json"), '{"verdict":"fail","verdict":"pass"}');
    expect((await problemsOf(() => readJsonStrict(join(dir, "dup.json"), { missing: "none" })))[0]).toContain('dup.json:1:19: verdict: duplicate key "verdict"');
    writeFileSync(join(dir, "ok.json"), readFileSync(join(import.meta.dirname, "../../package.json")));
    expect(await readJsonStrict(join(dir, "ok.json"), { missing: "none" })).toMatchObject({ name: "replay-gate" });
  });
});
