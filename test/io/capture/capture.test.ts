import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { InputError } from "../../../src/core/errors.js";
import { isEventIssue, normalizeEvent } from "../../../src/core/event.js";
import { renderCaptureOutcome, runCapture, type CaptureIo, type CaptureOutcome } from "../../../src/io/capture/capture.js";
import { parseCaptureArgv } from "../../../src/cli/capture-args.js";
import { readWindowManifest, verifyPin } from "../../../src/io/window.js";
import { FIXTURES } from "./helpers.js";

let ws: string;
const stderr: string[] = [];
const io = (): CaptureIo => ({ cwd: ws, stderr: (t) => void stderr.push(t), stderrIsTTY: false, now: () => Date.UTC(2026, 0, 2, 3, 4, 5) });

beforeAll(() => {
  ws = mkdtempSync(join(tmpdir(), "rg-capture-test-"));
  mkdirSync(join(ws, "in"));
  for (const f of [
    "zeek-dns.tsv",
    "zeek-conn.tsv",
    "bgpdump-rrc21.txt",
    "prom-wrccdc-dns-outcomes.json",
    "goflow2-sflow.jsonl",
    "mrt-updates.bin",
    "empty.txt",
    "alertmanager-mongo-01.json",
    "alertmanager-mongo-02.json",
    "alertmanager-mongo-03.json",
  ]) {
    copyFileSync(join(FIXTURES, f), join(ws, "in", f));
  }
  writeFileSync(join(ws, "in/zeek-dns.tsv.gz"), gzipSync(readFileSync(join(FIXTURES, "zeek-dns.tsv"))));
  writeFileSync(join(ws, "in/notes.txt"), "just some prose\nthat is no export\n");
  writeFileSync(
    join(ws, "map.yaml"),
    [
      "apiVersion: replay-gate/v1",
      "kind: CaptureMapping",
      "scope:",
      "  service: { value: wrccdc-dns }",
      "  pop:",
      "    - { field: src, prefixes: { 10.47.0.0/16: TEAMS } }",
      "    - { field: server_group, table: { other_servers: TEAMS, root_servers: TEAMS } }",
      "attrs: { add: [uid] }",
      "",
    ].join("\n"),
  );
});
afterAll(() => rmSync(ws, { recursive: true, force: true }));

async function capture(argv: string): Promise<CaptureOutcome> {
  return runCapture(parseCaptureArgv(argv.split(/\s+/).filter(Boolean)), io());
}

async function refusal(argv: string): Promise<string> {
  try {
    await capture(argv);
  } catch (err) {
    if (err instanceof InputError) return err.message;
    throw err;
  }
  throw new Error("capture did not refuse");
}

function lines(dir: string): string[] {
  return gunzipSync(readFileSync(join(ws, dir, "events.ndjson.gz")))
    .toString("utf8")
    .trimEnd()
    .split("\n");
}

const DNS_AND_PROM =
  "--from zeek:in/zeek-dns.tsv --from prom:in/prom-wrccdc-dns-outcomes.json --mapping map.yaml --library lib-none --captured-at 2026-01-01T00:00:00Z --id w --max-reject-fraction 0.1";

describe("capture", () => {
  test("writes a window the loader verifies: sorted, in range, scoped, every line a valid event", async () => {
    const out = await capture(`${DNS_AND_PROM} --out win/a --start 2018-03-24T17:19:00Z --end 2018-03-24T17:21:00Z --scope pop=TEAMS`);
    expect(out.kind).toBe("written");
    const src = await readWindowManifest(join(ws, "win/a"));
    await verifyPin(src);
    const m = src.manifest;
    expect(m).toMatchObject({ id: "w", start: "2018-03-24T17:19:00Z", end: "2018-03-24T17:21:00Z", scope: { service: "wrccdc-dns", pop: "TEAMS" }, signals: ["dns", "metric"] });
    const evs = lines("win/a").map((l) => normalizeEvent(JSON.parse(l)));
    expect(evs.every((e) => !isEventIssue(e))).toBe(true);
    const ts = evs.map((e) => (e as { ts: number }).ts);
    expect(ts).toEqual([...ts].sort((a, b) => a - b));
    expect(m.events.count).toBe(evs.length);
    // 9 prom samples per series fall in range (4 series); the Zeek duplicates collapse to one each.
    expect(evs.filter((e) => (e as { signal: string }).signal === "metric").length).toBe(36);
    expect(m.capture).toMatchObject({
      duplicates_dropped: 7,
      sources: [
        { adapter: "zeek", path: "in/zeek-dns.tsv", records: 14, rejected: 1 },
        { adapter: "prometheus", records: 48, rejected: 0 },
      ],
    });
    expect(m.capture).toMatchObject({ out_of_range_dropped: 12, out_of_scope_dropped: 0, scope_filter: { pop: "TEAMS" }, max_reject_fraction: 0.1 });
    expect(out.rejects).toEqual([{ file: "in/zeek-dns.tsv", line: 23, message: "expected 24 tab-separated columns (#fields), found 4" }]);
  });

  test("equal timestamps keep --from order, then line order", async () => {
    await capture(`${DNS_AND_PROM} --out win/order --start 2018-03-24T17:19:00Z --end 2018-03-24T17:19:00Z`);
    await capture(
      `--from prom:in/prom-wrccdc-dns-outcomes.json --from zeek:in/zeek-dns.tsv --mapping map.yaml --library lib-none --max-reject-fraction 0.1 --out win/order2 --start 2018-03-24T17:19:00Z --end 2018-03-24T17:19:00Z`,
    );
    const a = lines("win/order").map((l) => JSON.parse(l).signal);
    const b = lines("win/order2").map((l) => JSON.parse(l).signal);
    expect(a).toEqual(["metric", "metric", "metric", "metric"]);
    expect(b).toEqual(a);
    const c = lines("win/order").map((l) => JSON.parse(l).attrs.rcode_name);
    expect(c).toEqual(["NOERROR", "NXDOMAIN", "no_response", "no_response"]);
  });

  test("is deterministic: same inputs, same bytes, whether sorted in memory or spilled to disk, plain or gzip", async () => {
    const a = await capture(`${DNS_AND_PROM} --out det/a`);
    await capture(`${DNS_AND_PROM} --out det/b`);
    const spilled = await capture(`${DNS_AND_PROM} --out det/c --sort-buffer 1024`);
    await capture(DNS_AND_PROM.replace("in/zeek-dns.tsv", "in/zeek-dns.tsv.gz") + " --out det/d");
    expect(spilled.spills).toBeGreaterThan(2);
    expect(a.spills).toBe(0);
    const bytes = (d: string) => readFileSync(join(ws, d, "events.ndjson.gz"));
    expect(bytes("det/b").equals(bytes("det/a"))).toBe(true);
    expect(bytes("det/c").equals(bytes("det/a"))).toBe(true);
    expect(bytes("det/d").equals(bytes("det/a"))).toBe(true);
    expect(readFileSync(join(ws, "det/b/window.yaml"), "utf8")).toBe(readFileSync(join(ws, "det/a/window.yaml"), "utf8"));
    expect(bytes("det/a")[9]).toBe(3);
    expect(bytes("det/a").readUInt32LE(4)).toBe(0);
  });

  test("reports a window whose events already exist in the library and writes nothing", async () => {
    await capture(`--from bgpdump:in/bgpdump-rrc21.txt --out lib/first --max-reject-fraction 0.1`);
    const again = await capture(`--from bgpdump:in/bgpdump-rrc21.txt --out lib/second --max-reject-fraction 0.1`);
    expect(again).toMatchObject({ kind: "duplicate", existing: "lib/first" });
    expect(existsSync(join(ws, "lib/second"))).toBe(false);
    expect(renderCaptureOutcome(again, "text")).toMatch(/^not written: lib\/first already pins these 13 events/);
  });

  test("replaces an existing window only with --force", async () => {
    await capture(`--from zeek:in/zeek-conn.tsv --out force/w`);
    expect(await refusal(`--from zeek:in/zeek-conn.tsv --out force/w`)).toMatch(/a window already exists here \(pass --force/);
    const again = await capture(`--from zeek:in/zeek-conn.tsv --out force/w --force --title replaced`);
    expect(again.kind).toBe("written");
    expect(readFileSync(join(ws, "force/w/window.yaml"), "utf8")).toMatch(/^title: replaced$/m);
  });

  test("re-sent Alertmanager alerts across files count as duplicates", async () => {
    const out = await capture("--from am:in/alertmanager-mongo-01.json --from am:in/alertmanager-mongo-02.json --from am:in/alertmanager-mongo-03.json --out am/w");
    expect(out).toMatchObject({ kind: "written", dropped: { duplicates: 3 } });
    expect(lines("am/w")).toHaveLength(4);
  });
});

describe("capture refuses, before reading, with a fix", () => {
  test.each([
    ["binary MRT", "--from in/mrt-updates.bin --out r/1", /MRT binary .*bgpdump -m/],
    ["an unknown format", "--from in/notes.txt --out r/2", /unknown format: it matches none of the adapters \(name the adapter/],
    ["a mismatched adapter", "--from goflow2:in/zeek-dns.tsv --out r/3", /does not look like goflow2 input; it looks like zeek/],
    ["an empty file without an adapter", "--from in/empty.txt --out r/4", /empty, so its format cannot be detected/],
    ["a file over --max-bytes", "--from in/zeek-dns.tsv --out r/5 --max-bytes 1KiB", /has 2940 bytes, over --max-bytes 1024/],
    ["a source outside the workspace", "--from ../../etc/hostname --out r/6", /outside the workspace/],
    ["--out outside the workspace", "--from in/zeek-conn.tsv --out ../elsewhere", /--out is outside the workspace/],
    ["a gzip source that expands past --max-bytes", "--from zeek:in/zeek-dns.tsv.gz --out r/11 --max-bytes 2000", /more than --max-bytes 2000 after decompression/],
    ["a missing file", "--from zeek:in/nope.log --out r/7", /no such file/],
    ["too many unreadable records", "--from in/goflow2-sflow.jsonl --out r/8", /1 of 12 records could not be read \(8\.33%\), over --max-reject-fraction 0\.01/],
    ["nothing left to pin", "--from in/zeek-conn.tsv --out r/9 --start 2020-01-01T00:00:00Z", /no events left to pin: 3 outside --start\/--end/],
    ["a bad mapping", "--from in/zeek-conn.tsv --out r/10 --mapping in/notes.txt", /notes\.txt/],
  ])("%s", async (_what, argv, message) => {
    expect(await refusal(argv)).toMatch(message);
    expect(existsSync(join(ws, "r"))).toBe(false);
  });

  test("a rejected-record refusal names the file and line of each sample", async () => {
    try {
      await capture("--from in/goflow2-sflow.jsonl --out r/x");
    } catch (err) {
      expect((err as InputError).problems[0]).toMatchObject({ file: "in/goflow2-sflow.jsonl", line: 10 });
    }
  });

  test("an empty file with a named adapter is fine and contributes nothing", async () => {
    const out = await capture("--from zeek:in/empty.txt --from zeek:in/zeek-conn.tsv --out ok/empty");
    expect(out.sources[0]).toMatchObject({ records: 0, rejected: 0 });
  });
});

describe("parseCaptureArgv", () => {
  test.each([
    ["", /at least one --from/],
    ["--from x.log", /--out <dir> is required/],
    ["--from nope:x.log --out o", /unknown adapter "nope"/],
    ["--from x.log --out o --scope colour=red", /--scope colour=red: expected key=value/],
    ["--from x.log --out o --start yesterday", /--start yesterday: expected an RFC 3339 time/],
    ["--from x.log --out o --start 2020-01-02T00:00:00Z --end 2020-01-01T00:00:00Z", /--end is before --start/],
    ["--from x.log --out o --max-reject-fraction 2", /expected a number from 0 to 1/],
    ["--from x.log --out o --max-bytes lots", /expected a size like 2GiB/],
    ["--from x.log --out o --bogus", /Unknown option '--bogus'/],
  ])("%s", (argv, message) => {
    expect(() => parseCaptureArgv(argv.split(" ").filter(Boolean))).toThrow(message);
  });

  test("a Windows drive letter is a path, not an adapter", () => {
    expect(parseCaptureArgv(["--from", "C:\\logs\\dns.log", "--out", "o"]).sources[0]).toEqual({ adapter: undefined, path: "C:\\logs\\dns.log" });
  });
});
