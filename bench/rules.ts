/**
 * Prometheus rules benchmark: 200 rules over 10,000 series × 1 hour at 15 s (2.4 M samples),
 * evaluated every minute. Prints rule evaluations/s (wall, and per CPU second, which a loaded
 * machine disturbs less) and peak RSS as one JSON line.
 */
import { performance } from "node:perf_hooks";
import { runRules } from "../src/core/kinds/prometheus-rules/evaluate.js";
import { compileRulesFile } from "../src/core/kinds/prometheus-rules/rules-file.js";
import { Storage } from "../src/core/promql/storage.js";
import { parseYaml } from "../src/core/yaml.js";

const SERIES = Number(process.argv[2] ?? 10_000);
const RULES = Number(process.argv[3] ?? 200);
const FAMILIES = 20;
const STEP = 15_000;
const HOUR = 3_600_000;

let seed = 42;
const rand = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296;

const t0 = performance.now();
const storage = new Storage();
for (let s = 0; s < SERIES; s++) {
  const fam = s % FAMILIES;
  const labels = { __name__: fam % 2 === 0 ? `requests_${fam}_total` : `load_${fam}`, job: `job${s % 7}`, instance: `i${s}` };
  let v = rand() * 100;
  for (let t = 0; t <= HOUR; t += STEP) {
    if (fam % 2 === 0) v = rand() < 0.002 ? 0 : v + rand() * 10;
    else v = Math.max(0, v + (rand() - 0.5) * 10);
    storage.add(labels, t, v);
  }
}
storage.compact();
const loaded = performance.now();
const cpu0 = process.cpuUsage();

const rules: string[] = [];
for (let i = 0; i < RULES; i++) {
  const fam = i % FAMILIES;
  const m = fam % 2 === 0 ? `requests_${fam}_total` : `load_${fam}`;
  const expr =
    fam % 2 === 0
      ? [`rate(${m}[5m]) > 0.66`, `sum by (job) (rate(${m}[5m])) > 150`, `increase(${m}{job="job${i % 7}"}[10m]) > 400`][i % 3]!
      : [`avg_over_time(${m}[5m]) > 80`, `max by (job) (${m}) > 120`, `${m} > 95 and ${m} offset 5m > 90`][i % 3]!;
  rules.push(`      - alert: R${i}\n        expr: ${expr}\n        for: 2m`);
}
const text = `groups:\n  - name: bench\n    rules:\n${rules.join("\n")}\n`;
const groups = compileRulesFile(parseYaml(text, "bench.yaml"), text).groups;
const run = runRules(groups, storage, 0, HOUR, { evaluationIntervalMs: 60_000, prometheus2: false, externalLabels: {} });
const done = performance.now();
const cpu = process.cpuUsage(cpu0);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const evaluations = run.stats.reduce((n, s) => n + s.evaluations, 0);
console.log(
  JSON.stringify({
    series: SERIES,
    samples: SERIES * (HOUR / STEP + 1),
    rules: RULES,
    rule_evaluations: evaluations,
    alert_episodes: run.episodes.length,
    load_seconds: Math.round(loaded - t0) / 1000,
    eval_seconds: Math.round(done - loaded) / 1000,
    rule_evaluations_per_second: Math.round(evaluations / ((done - loaded) / 1000)),
    eval_cpu_seconds: Math.round(cpuSeconds * 1000) / 1000,
    rule_evaluations_per_cpu_second: Math.round(evaluations / cpuSeconds),
    peak_rss_bytes: process.resourceUsage().maxRSS * 1024,
  }),
);
