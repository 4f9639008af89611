import { describe, expect, it } from "vitest";
import { loadKindPolicy } from "../../../../src/core/kinds/registry.js";
import { prometheusRulesKind, type CompiledRules } from "../../../../src/core/kinds/prometheus-rules/index.js";
import type { NormalizedEvent } from "../../../../src/core/event.js";

const M = 60_000;

function replay(rules: string, series: Record<string, (number | null)[]>, minutes: number) {
  const compiled = loadKindPolicy(rules, "rules.yaml").compiled as CompiledRules;
  const run = prometheusRulesKind.start(compiled, { id: "w", start: 0, end: minutes * M, scope: {} });
  let id = 0;
  const events: NormalizedEvent[] = [];
  for (const [sel, values] of Object.entries(series)) {
    const [name, inst] = sel.split("/") as [string, string];
    values.forEach((v, i) => v !== null && events.push({ ts: i * M, signal: "metric", name, scope: {}, value: v, labels: { __name__: name, instance: inst } }));
  }
  events.sort((a, b) => a.ts - b.ts);
  for (const e of events) run.push(e, id++);
  return run.finish();
}

const DOWN = `groups:
  - name: g
    rules:
      - record: instance:up:last
        expr: last_over_time(up[2m])
      - alert: Down
        expr: instance:up:last == 0
        for: 2m
        keep_firing_for: 1m
        labels: { severity: critical }
        annotations: { summary: "{{ $labels.instance }} down ({{ $value }})" }
      - alert: NoData
        expr: absent(up{instance="b"})
`;

describe("rule evaluation over a window", () => {
  it("takes an alert pending → firing after for → resolved after keep_firing_for, via a recording rule", () => {
    const r = replay(DOWN, { "up/a": [1, 1, 0, 0, 0, 0, 1, 1, 1, 1] }, 9);
    expect(r.extras.alerts.filter((a) => a.rule === "Down")).toEqual([
      { rule: "Down", group: "g", labels: { alertname: "Down", instance: "a", severity: "critical" }, annotations: { summary: "a down (0)" }, active_at: 2 * M, fired_at: 4 * M, resolved_at: 7 * M },
    ]);
    expect(r.incidents.filter((i) => i.rules[0] === "Down").map((i) => [i.title, i.start, i.end, i.severity])).toEqual([
      ['{alertname="Down", instance="a", severity="critical"}', 4 * M, 7 * M, "critical"],
    ]);
  });

  it("treats a series the window lacks as absent(): it fires, it is not an error", () => {
    const r = replay(DOWN, { "up/a": [1, 1, 1] }, 2);
    expect(r.extras.alerts.filter((a) => a.rule === "NoData").map((a) => [a.labels, a.fired_at])).toEqual([[{ alertname: "NoData", instance: "b" }, 0]]);
    expect(r.extras.rules.every((s) => s.errors === 0)).toBe(true);
  });

  it("keeps a pending alert that never reaches for out of the incidents, with fired_at null", () => {
    const r = replay(DOWN, { "up/a": [1, 0, 0, 1, 1, 1] }, 5);
    const down = r.extras.alerts.filter((a) => a.rule === "Down");
    expect(down.map((a) => [a.active_at, a.fired_at, a.resolved_at])).toEqual([[1 * M, null, 3 * M]]);
    expect(r.incidents.filter((i) => i.rules[0] === "Down")).toEqual([]);
  });

  it("counts evaluations, samples read and series produced per rule, and is byte-identical across runs", () => {
    const a = replay(DOWN, { "up/a": [1, 0, 0, 0], "up/c": [1, 1, 1, 1] }, 3);
    const b = replay(DOWN, { "up/c": [1, 1, 1, 1], "up/a": [1, 0, 0, 0] }, 3);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    const rec = a.extras.rules.find((s) => s.rule === "instance:up:last")!;
    // Prometheus 3 ranges are left-open: (t-2m, t] holds 1, 2, 2, 2 samples per series at t = 0..3m.
    expect([rec.evaluations, rec.series_produced, rec.samples_read]).toEqual([4, 2, 2 + 4 + 4 + 4]);
  });
});
