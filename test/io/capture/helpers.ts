/** Shared helpers for the capture tests: run one adapter over a fixture, read a written window. */
import { readFileSync } from "node:fs";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import type { CaptureRecord } from "../../../src/core/capture/record.js";
import type { AttrValue } from "../../../src/core/event.js";
import { findAdapter } from "../../../src/io/capture/adapters/index.js";
import type { AdapterContext } from "../../../src/io/capture/adapters/types.js";

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
export const FIXTURES = join(REPO, "test/fixtures/capture");
/** The real samples the repository carries, one folder a topic (see fixtures/realdata/README.md). */
export const REALDATA = join(REPO, "fixtures/realdata");

/** The path of real sample `topic/name`; a missing sample fails the test rather than skipping it. */
export function realdata(name: string): string {
  const p = join(REALDATA, name);
  if (!existsSync(p)) throw new Error(`real sample fixtures/realdata/${name} is missing; it is committed with the repository`);
  return p;
}

/** A record flattened for assertions: its fields read eagerly. */
export interface Flat {
  ts: number;
  signal: string;
  name: string;
  value?: number | undefined;
  severity?: string | undefined;
  source?: string | undefined;
  fields: Record<string, AttrValue>;
  defaults: readonly string[];
}

export interface AdapterRun {
  records: Flat[];
  raw: CaptureRecord[];
  rejects: { line: number; message: string }[];
  ignored: number;
  duplicates: number;
}

function flatten(r: CaptureRecord): Flat {
  const fields: Record<string, AttrValue> = {};
  for (const n of r.fields.names()) {
    const v = r.fields.get(n);
    if (v !== undefined) fields[n] = v;
  }
  return { ts: r.ts, signal: r.signal, name: r.name, value: r.value, severity: r.severity, source: r.source, fields, defaults: r.defaultAttrs };
}

/** Runs adapter `name` over texts (each one source) sharing state, as one capture would. */
export function runAdapter(name: string, ...texts: string[]): AdapterRun {
  const adapter = findAdapter(name);
  if (!adapter) throw new Error(`no adapter ${name}`);
  const run: AdapterRun = { records: [], raw: [], rejects: [], ignored: 0, duplicates: 0 };
  const shared = new Map<string, unknown>();
  for (const text of texts) {
    const ctx: AdapterContext = {
      file: "test",
      shared,
      emit: (r) => {
        run.raw.push(r);
        run.records.push(flatten(r));
      },
      reject: (line, message) => run.rejects.push({ line, message }),
      duplicate: () => void run.duplicates++,
      ignore: () => void run.ignored++,
    };
    const parser = adapter.createParser(ctx);
    const lines = text.split("\n");
    if (lines[lines.length - 1] === "") lines.pop();
    lines.forEach((l, i) => parser.line(l.endsWith("\r") ? l.slice(0, -1) : l, i + 1));
    parser.end();
  }
  return run;
}

/** Text of a fixture, gunzipped when it is gzip. */
export function fixtureText(path: string): string {
  const buf = readFileSync(path.includes("/") ? path : join(FIXTURES, path));
  return (buf[0] === 0x1f && buf[1] === 0x8b ? gunzipSync(buf) : buf).toString("utf8");
}
