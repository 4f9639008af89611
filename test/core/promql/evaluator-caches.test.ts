/**
 * The evaluator's speed-ups must not change a result: a selector read shared within a step sees a
 * recording rule's write made between two reads, memoised label sets do not leak between
 * expressions, and the duplicate-label-set check still fails where Prometheus fails.
 */
import { describe, expect, it } from "vitest";
import type { NormalizedEvent } from "../../../src/core/event.js";
import { prometheusRulesKind, type CompiledRules } from "../../../src/core/kinds/prometheus-rules/index.js";
import { loadKindPolicy } from "../../../src/core/kinds/registry.js";
import { parsePromql } from "../../../src/core/promql/parse.js";
import { Evaluator } from "../../../src/core/promql/eval.js";
import { Storage } from "../../../src/core/promql/storage.js";

const M = 60_000;

function replay(rules: string, series: Record<string, readonly number[]>, minutes: number) {
  const compiled = loadKindPolicy(rules, "rules.yaml").compiled as CompiledRules;
  const run = prometheusRulesKind.start(compiled, { id: "w", start: 0, end: minutes * M, scope: {} });
  const events: NormalizedEvent[] = [];
  for (const [key, values] of Object.entries(series)) {
    const [name, instance] = key.split("/") as [string, string];
    values.forEach((v, i) => events.push({ ts: i * M, signal: "metric", name, scope: {}, value: v, labels: { __name__: name, instance } }));
  }
  events.sort((a, b) => a.ts - b.ts);
  events.forEach((e, i) => run.push(e, i));
  return run.finish().extras;
}

describe("evaluator caches and shortcuts", () => {
  it("a rule reading a recorded series after the recording rule ran at the same step sees the new sample, though an earlier rule read it before", () => {
    const r = replay(
      `groups:
  - name: g
    rules:
      - alert: MissingBefore
        expr: absent(x:copy)
      - record: x:copy
        expr: x
      - alert: MissingAfter
        expr: absent(x:copy)
`,
      { "x/a": [1, 1, 1] },
      2,
    );
    expect(r.alerts.filter((a) => a.rule === "MissingBefore").map((a) => [a.active_at, a.resolved_at])).toEqual([[0, M]]);
    expect(r.alerts.filter((a) => a.rule === "MissingAfter")).toEqual([]);
  });

  it("two rules reading one selector at one step get the same samples, and each counts them as read", () => {
    const r = replay(
      `groups:
  - name: g
    rules:
      - alert: A
        expr: x > 1
      - alert: B
        expr: x > 2
`,
      { "x/a": [3, 3], "x/b": [2, 2] },
      1,
    );
    expect(r.alerts.map((a) => [a.rule, a.labels.instance])).toEqual([
      ["A", "a"],
      ["A", "b"],
      ["B", "a"],
    ]);
    expect(r.rules.map((s) => s.samples_read)).toEqual([4, 4]);
  });

  it("still refuses a vector whose label sets collide once __name__ is dropped (selector over two metric names)", () => {
    const storage = new Storage();
    for (const name of ["a_total", "b_total"]) for (let t = 0; t <= 5 * M; t += 15_000) storage.add({ __name__: name, job: "j" }, t, t / 1000);
    const ev = new Evaluator(storage, { lookbackMs: 5 * M, closedRanges: false, intervalMs: M });
    for (const q of ['rate({__name__=~"a_total|b_total"}[5m])', 'abs({__name__=~"a_total|b_total"})', '{__name__=~"a_total|b_total"} * 2']) {
      expect(() => ev.eval(parsePromql(q), 5 * M), q).toThrow(/same labelset/);
    }
    // One metric name: dropping it cannot make two series collide.
    const one = ev.eval(parsePromql("rate(a_total[5m])"), 5 * M);
    expect(one.kind === "vector" && one.samples.length).toBe(1);
  });

  it("a series whose samples arrive out of order, and a same-time sample replacing another, read as Prometheus stores them", () => {
    const storage = new Storage();
    const l = { __name__: "g", job: "j" };
    for (const [t, v] of [
      [0, 1],
      [30_000, 3],
      [15_000, 2],
      [30_000, 4],
    ] as const)
      storage.add(l, t, v);
    const ev = new Evaluator(storage, { lookbackMs: 5 * M, closedRanges: true, intervalMs: M });
    const m = ev.eval(parsePromql("g[1m]"), 30_000);
    expect(m.kind === "matrix" && Array.from({ length: m.series[0]!.to - m.series[0]!.from }, (_, i) => m.series[0]!.vs[m.series[0]!.from + i])).toEqual([1, 2, 4]);
  });
});
