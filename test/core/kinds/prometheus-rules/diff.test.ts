/**
 * Parity and diff for rule files: base and head alert episodes matched by identity and overlap,
 * the kind_diff the report carries (validated by its schema), and its Markdown and text.
 */
import { describe, expect, it } from "vitest";
import type { NormalizedEvent } from "../../../../src/core/event.js";
import { loadKindPolicy } from "../../../../src/core/kinds/registry.js";
import { prometheusRulesKind, type CompiledRules } from "../../../../src/core/kinds/prometheus-rules/index.js";
import { renderRulesWindowMarkdown, renderRulesWindowText, definitionDiff } from "../../../../src/core/kinds/prometheus-rules/diff-render.js";
import type { RulesKindDiff } from "../../../../src/core/kinds/prometheus-rules/diff-schema.js";
import { diffRules } from "../../../../src/core/kinds/prometheus-rules/diff.js";
import type { RulesExtras } from "../../../../src/core/kinds/prometheus-rules/index.js";

const M = 60_000;
const rules = (threshold: number, forDur: string, name = "High") => `groups:
  - name: g
    rules:
      - alert: ${name}
        expr: load > ${threshold}
        for: ${forDur}
`;

function replay(text: string, series: Record<string, number[]>) {
  const compiled = loadKindPolicy(text, "rules.yaml").compiled as CompiledRules;
  const run = prometheusRulesKind.start(compiled, { id: "w", start: 0, end: 9 * M, scope: {} });
  const events: NormalizedEvent[] = [];
  for (const [inst, values] of Object.entries(series))
    values.forEach((v, i) => events.push({ ts: i * M, signal: "metric", name: "load", scope: {}, value: v, labels: { __name__: "load", instance: inst } }));
  events.sort((a, b) => a.ts - b.ts).forEach((e, i) => run.push(e, i));
  return run.finish();
}

function compare(base: string | null, head: string | null, series: Record<string, number[]> = SERIES): RulesKindDiff {
  const d = prometheusRulesKind.compare!(base === null ? null : replay(base, series), head === null ? null : replay(head, series));
  if (d.kind !== "prometheus-rules") throw new Error("expected a rules diff");
  return d;
}

const SERIES = { a: [1, 5, 5, 5, 1, 1, 1, 1, 1, 1], b: [1, 1, 3, 3, 3, 3, 1, 1, 1, 1], c: [1, 1, 1, 1, 1, 1, 9, 9, 9, 1] };

describe("parity and diff for rule files", () => {
  it("reports alerts lost, gained and shifted by identity and overlap in time", () => {
    const d = compare(rules(2, "1m"), rules(4, "0s"));
    expect(d.lost).toEqual([{ rule: "High", labels: { alertname: "High", instance: "b" }, fired_at: "1970-01-01T00:03:00Z", resolved_at: "1970-01-01T00:06:00Z" }]);
    expect(d.gained).toEqual([]);
    expect(d.earlier.map((x) => [x.labels.instance, x.shift_ms])).toEqual([
      ["a", -M],
      ["c", -M],
    ]);
    expect(d.later).toEqual([]);
    expect(d.totals).toEqual({ lost: 1, gained: 0, earlier: 2, later: 0, fired_episodes: { base: 3, head: 2 } });
    expect(d.definitions).toEqual([{ rule: "High", base: "# group g\nexpr: load > 2\nfor: 1m", head: "# group g\nexpr: load > 4" }]);
    expect(d.notifications).toBeNull();
  });

  it("counts every episode of a policy new in head as an alert it starts firing", () => {
    const d = compare(null, rules(2, "0s"));
    expect(d.gained.map((a) => a.labels.instance)).toEqual(["a", "b", "c"]);
    expect(d.definitions).toEqual([{ rule: "High", base: null, head: "# group g\nexpr: load > 2" }]);
  });

  it("reports flapping as more firing episodes than distinct alerts", () => {
    const flappy = { a: [5, 1, 5, 1, 5, 1, 5, 1, 5, 1] };
    const d = compare(rules(9, "0s"), rules(2, "0s"), flappy);
    expect(d.rules).toEqual([{ rule: "High", episodes: { base: 0, head: 5 }, alerts: { base: 0, head: 1 }, recorded_series: { base: 0, head: 0 } }]);
  });

  it("gives the same diff whatever order the episodes and rule statistics come in", () => {
    const base = replay(rules(2, "1m"), SERIES).extras as RulesExtras,
      head = replay(rules(4, "0s"), SERIES).extras as RulesExtras;
    const reversed = (x: RulesExtras): RulesExtras => ({ ...x, alerts: [...x.alerts].reverse(), rules: [...x.rules].reverse() });
    expect(JSON.stringify(diffRules(reversed(base), reversed(head)))).toBe(JSON.stringify(diffRules(base, head)));
  });

  it("finds nothing to report when base and head are the same file", () => {
    const d = compare(rules(2, "1m"), rules(2, "1m"));
    expect([d.lost, d.gained, d.earlier, d.later, d.rules, d.definitions]).toEqual([[], [], [], [], [], []]);
  });

  it("leads the PR-comment section with the alerts the change stops firing, then the rule's definition as a diff", () => {
    expect(renderRulesWindowMarkdown(compare(rules(2, "1m"), rules(4, "0s"))))
      .toBe(`**What this change fires** (Prometheus rules): **1 alert it stops firing**, 0 it starts firing, 2 earlier, 0 later (firing episodes 3 → 2)

**Alerts this change stops firing** (1)

| alert | rule | fired at | resolved at |
|---|---|---|---|
| {alertname="High", instance="b"} | High | 1970-01-01T00:03:00Z | 1970-01-01T00:06:00Z |

**Alerts firing earlier or later** (2)

| alert | base fired | head fired | shift |
|---|---|---|---|
| {alertname="High", instance="a"} | 1970-01-01T00:02:00Z | 1970-01-01T00:01:00Z | earlier by 1m |
| {alertname="High", instance="c"} | 1970-01-01T00:07:00Z | 1970-01-01T00:06:00Z | earlier by 1m |

**Flapping and recording-rule cardinality** (base → head)

| rule | firing episodes | distinct alerts | recorded series |
|---|---:|---:|---:|
| High | 3 → 2 | 3 → 2 | 0 → 0 |

**The rules behind these changes** (base → head):

High (changed):

\`\`\`diff
 # group g
-expr: load > 2
-for: 1m
+expr: load > 4
\`\`\``);
  });

  it("prints the same for a terminal, indented under the window", () => {
    expect(renderRulesWindowText(compare(rules(2, "1m"), rules(4, "0s")))).toEqual([
      "  prometheus rules: 1 alerts it stops firing, 0 it starts firing, 2 earlier, 0 later (firing episodes 3 → 2)",
      '    stops firing {alertname="High", instance="b"} fired 1970-01-01T00:03:00Z',
      '    fires earlier by 1m {alertname="High", instance="a"}',
      '    fires earlier by 1m {alertname="High", instance="c"}',
      "    rule High: firing episodes 3 → 2, distinct alerts 3 → 2, recorded series 0 → 0",
      "    rule High (base → head):",
      "       # group g",
      "      -expr: load > 2",
      "      -for: 1m",
      "      +expr: load > 4",
    ]);
  });

  it("keeps hostile label values and expressions inert in the comment: no table break, no mention, no fence escape", () => {
    const hostile = { "x|@org/team ```": [1, 5, 5, 5, 5, 5, 5, 5, 5, 5] };
    const head = `groups:\n  - name: g\n    rules:\n      - alert: High\n        expr: 'label_replace(load > 2, "note", "\`\`\`\\n@org/oncall", "", "")'\n`;
    const md = renderRulesWindowMarkdown(compare(null, head, hostile));
    const row = md.split("\n").find((l) => l.includes("alertname"))!;
    expect(row.split(" | ")).toHaveLength(4);
    // Outside the code block a mention is broken; inside it GitHub never links one.
    expect(row).not.toContain("@org/");
    expect(md).toContain("````diff");
    expect(definitionDiff(null, "a\nb")).toBe("+a\n+b");
  });
});
