/**
 * The `prometheus` capture adapter keeps each series' label set whole in the event's `labels`
 * (no mapping needed), leaves gaps as gaps, and a rules replay reads labels from windows written
 * either way (`labels`, or the older attrs-only form).
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { isEventIssue, normalizeEvent, type NormalizedEvent } from "../../../src/core/event.js";
import { prometheusRulesKind, type CompiledRules } from "../../../src/core/kinds/prometheus-rules/index.js";
import { loadKindPolicy } from "../../../src/core/kinds/registry.js";
import { runCapture, type CaptureIo } from "../../../src/io/capture/capture.js";
import { parseCaptureArgv } from "../../../src/cli/capture-args.js";
import { FIXTURES, fixtureText, runAdapter } from "./helpers.js";

let ws: string;
const io = (): CaptureIo => ({ cwd: ws, stderr: () => {}, stderrIsTTY: false, now: () => Date.UTC(2026, 0, 2, 3, 4, 5) });

beforeAll(() => {
  ws = mkdtempSync(join(tmpdir(), "rg-prom-labels-"));
  mkdirSync(join(ws, "in"));
  copyFileSync(join(FIXTURES, "prom-wrccdc-dns-outcomes.json"), join(ws, "in/prom.json"));
  // A mapping that keeps no attrs at all: the label set must survive regardless.
  writeFileSync(join(ws, "no-attrs.yaml"), ["apiVersion: replay-gate/v1", "kind: CaptureMapping", "scope:", "  service: { value: dns }", "attrs: { keep: [] }", ""].join("\n"));
});
afterAll(() => rmSync(ws, { recursive: true, force: true }));

const RULES = `groups:
  - name: dns
    interval: 15s
    rules:
      - alert: RootServersUnanswered
        expr: sum by (server_group) (zeek_dns_log_rows_per_15s{rcode_name="no_response"}) > 200
        labels: { severity: page }
`;

function replayRules(events: readonly NormalizedEvent[], start: number, end: number) {
  const compiled = loadKindPolicy(RULES, "rules.yaml").compiled as CompiledRules;
  const run = prometheusRulesKind.start(compiled, { id: "w", start, end, scope: {} });
  events.forEach((e, i) => run.push(e, i));
  return run.finish();
}

/** The attrs-only form older windows have: every label but `__name__`. */
function attrsOf(labels: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(labels)) if (k !== "__name__") out[k] = labels[k]!;
  return out;
}

function windowEvents(dir: string): NormalizedEvent[] {
  const text = gunzipSync(readFileSync(join(ws, dir, "events.ndjson.gz")))
    .toString("utf8")
    .trimEnd();
  return text.split("\n").map((l, i) => {
    const e = normalizeEvent(JSON.parse(l));
    if (isEventIssue(e)) throw new Error(`line ${i + 1}: ${e.path}: ${e.message}`);
    return e;
  });
}

describe("prometheus capture keeps the label set", () => {
  test("the whole label set, __name__ included, goes to labels, one object per series; __name__ is also the event name", () => {
    const run = runAdapter("prom", fixtureText("prom-wrccdc-dns-outcomes.json"));
    expect(run.raw[0]).toMatchObject({ name: "zeek_dns_log_rows_per_15s" });
    expect(run.raw[0]!.labels).toEqual({ __name__: "zeek_dns_log_rows_per_15s", rcode_name: "NOERROR", server_group: "other_servers", source: "brimdata/zed-sample-data wrccdc 2018-03-24" });
    expect(run.records[0]!.fields).not.toHaveProperty("__name__");
    const perSeries = new Set(run.raw.map((r) => r.labels));
    expect(perSeries.size).toBe(new Set(run.raw.map((r) => JSON.stringify(r.labels))).size);
  });

  test("a gap in values stays a gap: one event per sample, at the sample's own time", () => {
    const run = runAdapter("prom", fixtureText("prom-range-missing.json"));
    expect(run.raw.map((r) => [r.ts, r.value, r.labels])).toEqual([
      [1641889533000, 21, { __name__: "go_goroutines", job: "prometheus" }],
      [1641889534000, 32, { __name__: "go_goroutines", job: "prometheus" }],
      [1641889537000, 43, { __name__: "go_goroutines", job: "prometheus" }],
    ]);
  });

  test("a series without __name__ is named unnamed_series and its labels stay without one", () => {
    const doc = JSON.stringify({ data: { resultType: "vector", result: [{ metric: { job: "api" }, value: [1, "1"] }] } });
    expect(runAdapter("prom", doc).raw.map((r) => [r.name, r.labels])).toEqual([["unnamed_series", { job: "api" }]]);
  });

  test("a label name that cannot be stored in a window rejects its series with the path", () => {
    const doc = JSON.stringify({
      data: {
        resultType: "vector",
        result: [
          { metric: { __name__: "x", constructor: "a" }, value: [1, "1"] },
          { metric: { __name__: "x" }, value: [1, "2"] },
        ],
      },
    });
    const run = runAdapter("prom", doc);
    expect(run.rejects).toEqual([{ line: 1, message: 'data.result[0].metric: the label name "constructor" cannot be stored in a window (reserved key)' }]);
    expect(run.raw.map((r) => r.value)).toEqual([2]);
  });

  test("a window captured with a mapping that keeps no attrs still carries every label, and rules group by them", async () => {
    await runCapture(parseCaptureArgv("--from prom:in/prom.json --mapping no-attrs.yaml --library lib-none --captured-at 2026-01-01T00:00:00Z --id w --out win/labels".split(" ")), io());
    const events = windowEvents("win/labels");
    expect(events.length).toBe(48);
    expect(events.every((e) => e.attrs === undefined && e.labels?.server_group !== undefined && e.labels.rcode_name !== undefined)).toBe(true);
    const r = replayRules(events, events[0]!.ts, events[events.length - 1]!.ts);
    expect(r.extras.alerts.map((a) => a.labels)).toEqual([{ alertname: "RootServersUnanswered", server_group: "root_servers", severity: "page" }]);
  });

  test("a rules replay reads the same labels from a window written before labels existed (labels in attrs)", () => {
    const current = runAdapter("prom", fixtureText("prom-wrccdc-dns-outcomes.json")).raw;
    const asEvent = (r: (typeof current)[number], withLabels: boolean): NormalizedEvent => ({
      ts: r.ts,
      signal: "metric",
      name: r.name,
      scope: {},
      value: r.value!,
      ...(withLabels ? { labels: r.labels! } : { attrs: attrsOf(r.labels!) }),
    });
    const sorted = [...current].sort((a, b) => a.ts - b.ts);
    const start = sorted[0]!.ts,
      end = sorted[sorted.length - 1]!.ts;
    const fromLabels = replayRules(
      sorted.map((r) => asEvent(r, true)),
      start,
      end,
    );
    const fromAttrs = replayRules(
      sorted.map((r) => asEvent(r, false)),
      start,
      end,
    );
    expect(fromLabels.extras.alerts.length).toBe(1);
    expect(fromAttrs.extras).toEqual(fromLabels.extras);
    expect(fromAttrs.trace_signature).toBe(fromLabels.trace_signature);
  });
});
