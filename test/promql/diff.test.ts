import { describe, expect, it } from "vitest";
import type { NormalizedEvent } from "../../src/core/event.js";
import { loadKindPolicy } from "../../src/core/kinds/registry.js";
import { prometheusRulesKind, type CompiledRules } from "../../src/core/kinds/prometheus-rules/index.js";
import { diffRuleResults, lostAlertReasons, renderRulesDiffMarkdown } from "../../src/core/kinds/prometheus-rules/diff.js";

const M = 60_000;
const rules = (threshold: number, forDur: string) => `groups:
  - name: g
    rules:
      - alert: High
        expr: load > ${threshold}
        for: ${forDur}
`;

function replay(text: string, series: Record<string, number[]>) {
  const compiled = loadKindPolicy(text, "rules.yaml").compiled as CompiledRules;
  const run = prometheusRulesKind.start(compiled, { id: "w", start: 0, end: 9 * M, scope: {} });
  const events: NormalizedEvent[] = [];
  for (const [inst, values] of Object.entries(series)) values.forEach((v, i) => events.push({ ts: i * M, signal: "metric", name: "load", scope: {}, value: v, labels: { __name__: "load", instance: inst } }));
  events.sort((a, b) => a.ts - b.ts).forEach((e, i) => run.push(e, i));
  return run.finish();
}

const SERIES = { a: [1, 5, 5, 5, 1, 1, 1, 1, 1, 1], b: [1, 1, 3, 3, 3, 3, 1, 1, 1, 1], c: [1, 1, 1, 1, 1, 1, 9, 9, 9, 1] };

describe("parity and diff for rule files", () => {
  it("reports alerts lost, gained and shifted by identity and overlap, and fails max_lost_alerts", () => {
    const base = replay(rules(2, "1m"), SERIES);
    const head = replay(rules(4, "0s"), SERIES);
    const d = diffRuleResults("w", 9 * M, base, head);
    expect(d.lost.map((x) => [x.labels.instance, x.fired_at])).toEqual([["b", 3 * M]]);
    expect(d.gained).toEqual([]);
    expect(d.earlier.map((x) => [x.labels.instance, x.shift_ms])).toEqual([["a", -M], ["c", -M]]);
    expect(lostAlertReasons([d])).toEqual(["w: 1 alert this change stops firing (max_lost_alerts is 0)"]);
    expect(lostAlertReasons([d], 1)).toEqual([]);
  });

  it("renders the PR-comment section leading with the alerts the change stops firing, next to the expr change", () => {
    const base = replay(rules(2, "1m"), SERIES);
    const head = replay(rules(4, "0s"), SERIES);
    const md = renderRulesDiffMarkdown([diffRuleResults("w", 9 * M, base, head)], { base: new Map([["High", "load > 2"]]), head: new Map([["High", "load > 4"]]) });
    expect(md).toBe(`### Prometheus rules

#### w

**Alerts this change stops firing** (1)

| alert | fired | resolved | rule expr (base → head) |
|---|---|---|---|
| \`{alertname="High", instance="b"}\` | 1970-01-01T00:03:00Z | 1970-01-01T00:06:00Z | \`load > 2\` → \`load > 4\` |

**Alerts firing earlier or later** (2)

| alert | base fired | head fired | shift |
|---|---|---|---|
| \`{alertname="High", instance="a"}\` | 1970-01-01T00:02:00Z | 1970-01-01T00:01:00Z | earlier by 1m |
| \`{alertname="High", instance="c"}\` | 1970-01-01T00:07:00Z | 1970-01-01T00:06:00Z | earlier by 1m |

| rule | episodes (alerts) base → head | recorded series base → head |
|---|---|---|
| High | 3 (3) → 2 (2) | 0 → 0 |
`);
  });

  it("finds nothing to report when base and head are the same file", () => {
    const r = replay(rules(2, "1m"), SERIES);
    const d = diffRuleResults("w", 9 * M, r, replay(rules(2, "1m"), SERIES));
    expect([d.lost, d.gained, d.earlier, d.later, d.rules]).toEqual([[], [], [], [], []]);
  });
});
