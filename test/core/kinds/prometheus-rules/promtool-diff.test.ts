/**
 * Differential test against promtool 2.42 (the Prometheus 2.x knob): seeded random series and
 * rules; replay-gate's alert timeline becomes a `promtool test rules` file with `exp_alerts` for
 * every alert at every evaluation step, and promtool must pass it. Skipped when promtool is absent.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { runRules } from "../../../../src/core/kinds/prometheus-rules/evaluate.js";
import { compileRulesFile } from "../../../../src/core/kinds/prometheus-rules/rules-file.js";
import { labelsKey } from "../../../../src/core/promql/labels.js";
import { Storage } from "../../../../src/core/promql/storage.js";
import { parseYaml } from "../../../../src/core/yaml.js";
import { genCase, type GenCase } from "./generate.js";
import { promtoolPath } from "./promtool.js";

const run = promisify(execFile);
const STEPS = 40;
const CASES = Number(process.env.PROMTOOL_DIFF_CASES ?? 120);
const BATCH = 30;

function seriesText(labels: Record<string, string>): string {
  const { __name__, ...rest } = labels;
  const inner = Object.keys(rest)
    .sort()
    .map((k) => `${k}="${rest[k]}"`)
    .join(",");
  return `${__name__}{${inner}}`;
}

function rulesYaml(cases: readonly GenCase[]): string {
  return stringify({
    groups: cases.map((c) => ({
      name: `g${c.id}`,
      rules: [
        ...c.records,
        ...c.rules.map((r) => ({
          alert: r.alert,
          expr: r.expr,
          for: r.for,
          ...(Object.keys(r.labels).length ? { labels: r.labels } : {}),
          ...(Object.keys(r.annotations).length ? { annotations: r.annotations } : {}),
        })),
      ],
    })),
  });
}

/** Our timeline → promtool assertions: every alert rule at every step. */
function testYaml(cases: readonly GenCase[], rulesText: string): { text: string; assertions: number } {
  const compiled = compileRulesFile(parseYaml(rulesText, "rules.yaml"), rulesText);
  const storage = new Storage();
  for (const c of cases) for (const s of c.series) s.values.forEach((v, i) => v !== null && storage.add(s.labels, i * 60_000, v));
  const result = runRules(compiled.groups, storage, 0, (STEPS - 1) * 60_000, { evaluationIntervalMs: 60_000, prometheus2: true, externalLabels: {} }, true);
  const tests: unknown[] = [];
  let assertions = 0;
  for (const { t, firing } of result.timeline) {
    for (const c of cases) {
      for (const r of c.rules) {
        const mine = firing.filter((a) => a.labels.alertname === r.alert).sort((a, b) => (labelsKey(a.labels) < labelsKey(b.labels) ? -1 : 1));
        assertions++;
        tests.push({
          eval_time: `${t / 60_000}m`,
          alertname: r.alert,
          exp_alerts: mine.map((a) => {
            const { alertname: _a, ...labels } = a.labels;
            return { exp_labels: labels, ...(Object.keys(a.annotations).length ? { exp_annotations: a.annotations } : {}) };
          }),
        });
      }
    }
  }
  const input_series = cases.flatMap((c) => c.series.map((s) => ({ series: seriesText(s.labels), values: s.values.map((v) => (v === null ? "_" : String(v))).join(" ") })));
  return { text: stringify({ rule_files: ["rules.yaml"], evaluation_interval: "1m", tests: [{ interval: "1m", input_series, alert_rule_test: tests }] }), assertions };
}

const promtool = promtoolPath();

describe.skipIf(promtool === undefined)("differential test against promtool 2.42", () => {
  it(`agrees with promtool on every alert at every step for ${CASES} random rule groups over random series`, async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "rg-promtool-"));
    let rulesCompared = 0,
      assertions = 0;
    const failures: string[] = [];
    try {
      for (let from = 1; from <= CASES; from += BATCH) {
        const cases = Array.from({ length: Math.min(BATCH, CASES - from + 1) }, (_, i) => genCase(from + i, STEPS));
        const rulesText = rulesYaml(cases);
        const test = testYaml(cases, rulesText);
        await writeFile(path.join(dir, "rules.yaml"), rulesText);
        await writeFile(path.join(dir, "test.yaml"), test.text);
        try {
          await run(promtool!, ["test", "rules", "test.yaml"], { cwd: dir, maxBuffer: 64 * 1024 * 1024 });
        } catch (e) {
          const out = String((e as { stdout?: string }).stdout ?? "") + String((e as { stderr?: string }).stderr ?? "");
          failures.push(`batch from seed ${from}:\n${out.slice(0, 6000)}`);
          if (process.env.PROMTOOL_DIFF_KEEP) await run("cp", ["-r", dir, `${dir}-batch${from}`]);
        }
        rulesCompared += cases.reduce((n, c) => n + c.rules.length, 0);
        assertions += test.assertions;
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    console.log(`promtool differential: ${rulesCompared} alerting rules × ${STEPS} steps (${assertions} exp_alerts assertions); ${failures.length} failing batches`);
    if (process.env.PROMTOOL_DIFF_OUT) await writeFile(process.env.PROMTOOL_DIFF_OUT, failures.join("\n"));
    expect(failures.length, failures.join("\n").slice(0, 4000)).toBe(0);
  }, 600_000);
});

describe.skipIf(promtool !== undefined)("differential test against promtool 2.42", () => {
  it.skip("is skipped: promtool is not installed (CI installs Debian's prometheus package)", () => {});
});
