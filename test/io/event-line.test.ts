/**
 * The fast events-line parser against the full path (JSON.parse, normalizeEvent, the
 * duplicate-key scan): on every line it takes, it must build the very same event (keys, order,
 * values, -0 included); every line the full path refuses, it must leave to the full path.
 */
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { isEventIssue, normalizeEvent, type NormalizedEvent } from "../../src/core/event.js";
import { findDuplicateKey } from "../../src/core/json-keys.js";
import { EventLineParser } from "../../src/io/event-line.js";
import { prng } from "../../scripts/prng.mjs";

/** The full path's reading of a line: the event, or null when it refuses the line. */
function full(line: string): NormalizedEvent | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return null;
  }
  const event = normalizeEvent(parsed);
  if (isEventIssue(event)) return null;
  return findDuplicateKey(line) === undefined ? event : null;
}

/** A value's exact form: key order, types and -0 kept. */
function exact(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (Object.is(x, -0) ? "-0 (negative zero)" : typeof x === "number" ? `${x} (number)` : x));
}

/** Reads `line` with the fast parser as the replay does: from its bytes, in a buffer that may hold more lines. */
function fast(parser: EventLineParser, line: string, before = "", after = "\n"): { event: NormalizedEvent | null; end: number } {
  const bytes = Buffer.from(before + line + after);
  const start = Buffer.byteLength(before);
  const event = parser.parse(bytes, start);
  return { event, end: event === null ? -1 : parser.end - start };
}

/** Asserts the fast parser agrees with the full path on `line`; true when it took the line. */
function agrees(parser: EventLineParser, line: string): boolean {
  const want = full(line);
  const got = fast(parser, line);
  if (got.event === null) return false;
  expect(want, `the fast parser took a line the full path refuses: ${line}`).not.toBeNull();
  expect(exact(got.event), line).toBe(exact(want));
  expect(got.end, line).toBe(Buffer.byteLength(line.replace(/\r$/, "")) + (line.endsWith("\r") ? 1 : 0));
  return true;
}

const SAMPLES = [
  "policies/windows/2026-02-26-pop12-routing/events.ndjson.gz",
  "policies/windows/2016-08-11-rrc21-session-flap/events.ndjson.gz",
  "policies/windows/2018-03-24-wrccdc-dns-failure-storm/events.ndjson.gz",
  "policies/prometheus/windows/msft-mongo/events.ndjson.gz",
  "examples/alertmanager/windows/2026-11-24-pop12-outage/events.ndjson.gz",
].flatMap((f) => gunzipSync(readFileSync(f)).toString("utf8").split("\n").filter(Boolean).slice(0, 400));

describe("the fast events-line parser reads exactly what the full path reads", () => {
  it("takes every line of the bundled windows (telemetry, BGP, DNS, Prometheus series, alerts) and builds the same events", () => {
    const parser = new EventLineParser();
    let taken = 0;
    for (const line of SAMPLES) if (agrees(parser, line)) taken++;
    expect(SAMPLES.length).toBeGreaterThan(1500);
    expect(taken).toBe(SAMPLES.length);
  });

  it("converts numbers exactly as JSON.parse does, and leaves non-JSON numbers to the full path", () => {
    const parser = new EventLineParser();
    const numbers = [
      "0",
      "-0",
      "-0.0",
      "1",
      "0.1",
      "0.30000000000000004",
      "109.54",
      "9.7",
      "123456789012345",
      "1234567890123456789",
      "9007199254740993",
      "1e3",
      "1E+3",
      "2.5e-3",
      "-1.5e-7",
      "1e400",
      "-1e400",
      "5e-324",
      "1.7976931348623157e308",
      "0.000000000000000000000001",
      "12345.678901234567890123",
      "3.14159265358979",
    ];
    const bad = ["01", "1.", ".5", "+1", "-", "1e", "1e+", "--1", "0x10", "1.2.3", "NaN", "Infinity", "1_000"];
    for (const n of [...numbers, ...bad]) {
      const line = `{"ts":0,"signal":"metric","name":"m","scope":{},"value":${n},"attrs":{"x":${n}}}`;
      const took = agrees(parser, line);
      if (bad.includes(n) || n.includes("e400")) expect(took, n).toBe(false);
    }
    for (const n of numbers.filter((x) => !x.includes("e400"))) expect(agrees(parser, `{"ts":0,"signal":"metric","name":"m","scope":{},"value":${n}}`), n).toBe(true);
  });

  it("converts timestamps as parseTimestamp does, across seconds, offsets, fractions and impossible dates, whatever came before", () => {
    const parser = new EventLineParser();
    const times = [
      "2026-01-02T00:00:00Z",
      "2026-01-02T00:00:00.5Z",
      "2026-01-02T00:00:00.123456789Z",
      "2026-01-02T00:00:00.999z",
      "2026-01-02t00:00:01.000Z",
      "2026-01-02T00:00:01.001+01:00",
      "2026-01-02T00:00:01-05:30",
      "2026-01-02T00:00:01.Z",
      "2026-01-02T00:00:01.5",
      "2026-01-02T00:00:01.5ZZ",
      "2024-02-29T12:00:00Z",
      "2023-02-29T12:00:00Z",
      "2026-13-01T00:00:00Z",
      "1969-12-31T23:59:59.999Z",
      "0000-01-01T00:00:00Z",
      "9999-12-31T23:59:59.999Z",
      "2026-01-02 00:00:00Z",
      "2026-01-02T00:00:00.5+01:00",
      "2026-01-02T00:00:00é",
      "2026-01-02T00:00:00.9999999999999999999Z",
      "2026-01-02T00:00:00.12345678901234567890Z",
      "2026-01-02T00:00:00.Z",
      "2026-01-02T00:00:00.5Z ",
    ];
    const rnd = prng(21);
    for (let i = 0; i < 2000; i++) {
      const t = times[Math.floor(rnd() * times.length)]!;
      const key = ["ts", "starts_at", "ends_at"][Math.floor(rnd() * 3)]!;
      const line = key === "ts" ? `{"ts":"${t}","signal":"alert","name":"a","scope":{}}` : `{"ts":1,"signal":"alert","name":"a","scope":{},"${key}":"${t}"}`;
      agrees(parser, line);
    }
    expect(agrees(parser, `{"ts":"2026-01-02T00:00:00.5Z","signal":"alert","name":"a","scope":{}}`)).toBe(true);
    for (const ms of ["0", "253402300799999", "253402300800000", "1.5", "-1", "-0", "1e3"]) agrees(parser, `{"ts":${ms},"signal":"alert","name":"a","scope":{}}`);
  });

  it("leaves to the full path every line with an escape, a duplicate or reserved key, a wrong type or a missing field", () => {
    const parser = new EventLineParser();
    const refused = [
      `{"ts":0,"signal":"flow","name":"f","scope":{},"ts":1}`,
      `{"ts":0,"signal":"flow","name":"f","scope":{"pop":"a","pop":"b"}}`,
      `{"ts":0,"signal":"flow","name":"f","scope":{},"attrs":{"a":1,"a":2}}`,
      `{"ts":0,"signal":"flow","name":"f","scope":{},"attrs":{"a":1,"\\u0061":2}}`,
      `{"ts":0,"signal":"flow","name":"f","scope":{},"labels":{"__proto__":"x"}}`,
      `{"ts":0,"signal":"flow","name":"f","scope":{},"attrs":{"constructor":1}}`,
      `{"ts":0,"signal":"flow","name":"f","scope":{},"attrs":{"":1}}`,
      `{"ts":0,"signal":"flow","name":"f","scope":{},"attrs":{"${"k".repeat(49)}":1}}`,
      `{"ts":0,"signal":"flow","name":"f","scope":{},"attrs":{${Array.from({ length: 65 }, (_, i) => `"k${i}":1`).join(",")}}}`,
      `{"ts":0,"signal":"flow","name":"f","scope":{},"attrs":{"a":null}}`,
      `{"ts":0,"signal":"flow","name":"f","scope":{},"attrs":{"a":[1]}}`,
      `{"ts":0,"signal":"flow","name":"f","scope":{},"labels":{"a":1}}`,
      `{"ts":0,"signal":"fl\\u006fw","name":"f","scope":{}}`,
      `{"ts":0,"signal":"flows","name":"f","scope":{}}`,
      `{"ts":0,"signal":"flow","name":"","scope":{}}`,
      `{"ts":0,"signal":"flow","name":"f"}`,
      `{"ts":0,"signal":"flow","scope":{}}`,
      `{"ts":0,"signal":"flow","name":"f","scope":{"zone":"a"}}`,
      `{"ts":0,"signal":"flow","name":"f","scope":{},"extra":1}`,
      `{"ts":0,"signal":"flow","name":"f","scope":{},"severity":"huge"}`,
      `{"ts":0,"signal":"flow","name":"f","scope":{},"value":"1"}`,
      `{"ts":0,"signal":"flow","name":"f","scope":{},}`,
      `{"ts":0,"signal":"flow","name":"f","scope":{}} x`,
      `{"ts":0,"signal":"flow","name":"f","scope":{}}{}`,
      `[{"ts":0,"signal":"flow","name":"f","scope":{}}]`,
      `{"ts":0,"signal":"flow","name":"f\tg","scope":{}}`,
      `\uFEFF{"ts":0,"signal":"flow","name":"f","scope":{}}`,
      `{}`,
      ``,
      ` `,
    ];
    for (const line of refused) expect(fast(parser, line).event, line).toBeNull();
    // Whitespace JSON allows, a \r before the newline, and a last line without a newline are taken.
    expect(agrees(parser, ` { "ts" : 0 ,\t"signal":"flow" ,"name":"f","scope":{ "pop" : "é€😀" } , "attrs" : { "1" : true , "b" : false , "0" : "z" } } \r`)).toBe(true);
    expect(fast(parser, `{"ts":0,"signal":"flow","name":"f","scope":{}}`, "", "").event).not.toBeNull();
  });

  it("agrees with the full path on 30,000 random mutations of real lines (never takes a line the full path refuses)", () => {
    const parser = new EventLineParser();
    const rnd = prng(22);
    const pieces = [
      '"',
      "\\",
      "{",
      "}",
      "[",
      "]",
      ",",
      ":",
      " ",
      "\t",
      "\r",
      "0",
      "1",
      "9",
      "-",
      "+",
      ".",
      "e",
      "E",
      "t",
      "true",
      "false",
      "null",
      "é",
      "😀",
      "\u0001",
      '"ts"',
      '"pop"',
      '"a"',
      "1e400",
      "__proto__",
    ];
    let taken = 0;
    for (let i = 0; i < 30_000; i++) {
      let line = SAMPLES[Math.floor(rnd() * SAMPLES.length)]!;
      for (let k = 1 + Math.floor(rnd() * 3); k > 0; k--) {
        const at = Math.floor(rnd() * (line.length + 1));
        const op = rnd();
        const piece = pieces[Math.floor(rnd() * pieces.length)]!;
        if (op < 0.4) line = line.slice(0, at) + piece + line.slice(at + 1);
        else if (op < 0.7) line = line.slice(0, at) + piece + line.slice(at);
        else if (op < 0.85) line = line.slice(0, at) + line.slice(at + 1 + Math.floor(rnd() * 5));
        else {
          const from = Math.floor(rnd() * line.length);
          line = line.slice(0, at) + line.slice(from, from + Math.floor(rnd() * 30)) + line.slice(at);
        }
      }
      // As the replay sees a line: from its bytes (a cut surrogate pair is U+FFFD there).
      line = Buffer.from(line.replace(/\n/g, "")).toString("utf8");
      if (agrees(parser, line)) taken++;
    }
    // Most mutations break the line; the ones that keep it valid (whitespace, a changed digit) are taken.
    expect(taken).toBeGreaterThan(1000);
  });

  it("shares one frozen scope among events whose scope text is the same, and reads a scope with a '}' in a value exactly", () => {
    const parser = new EventLineParser();
    const at = (scope: string) => `{"ts":0,"signal":"flow","name":"f","scope":${scope}}`;
    const a = fast(parser, at(`{"pop":"P","host":"h"}`)).event!;
    const b = fast(parser, at(`{"pop":"P","host":"h"}`)).event!;
    expect(b.scope).toBe(a.scope);
    expect(Object.isFrozen(a.scope)).toBe(true);
    expect(fast(parser, at(`{"pop":"P","host":"i"}`)).event!.scope).toEqual({ pop: "P", host: "i" });
    for (const scope of [`{"pop":"P}","host":"h"}`, `{"pop":"P}"}`, `{"pop":"P}","host":"h"}`, `{"pop":"P"}`, `{"pop":"P}"}`]) expect(agrees(parser, at(scope)), scope).toBe(true);
    expect(fast(parser, at(`{"pop":"P}","host":"h"}`)).event!.scope).toEqual({ pop: "P}", host: "h" });
  });

  it("reads a line in the middle of a buffer of lines and reports where the line ends", () => {
    const parser = new EventLineParser();
    const line = `{"ts":5,"signal":"bgp","name":"bgp.update","scope":{"pop":"P"}}`;
    const before = `{"ts":1,"signal":"bgp","name":"x","scope":{}}\n`;
    const r = fast(parser, line, before, `\n{"ts":9}\n`);
    expect(r.event).not.toBeNull();
    expect(r.end).toBe(Buffer.byteLength(line));
  });
});
