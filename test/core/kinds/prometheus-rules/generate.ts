/**
 * Seeded random metric series and rules drawn from a grammar of the PromQL constructs
 * replay-gate evaluates, for differential tests against promtool.
 */
import { prng } from "../../../../scripts/prng.mjs";

/** The project's seeded PRNG (mulberry32; tests only: the core has no randomness). */
export const rng: (seed: number) => () => number = prng;

export interface GenSeries {
  readonly labels: Record<string, string>;
  /** One value per step; null = no sample (a gap). */
  readonly values: (number | null)[];
}

export interface GenCase {
  readonly id: number;
  readonly series: GenSeries[];
  readonly rules: { alert: string; expr: string; for: string; labels: Record<string, string>; annotations: Record<string, string> }[];
  readonly records: { record: string; expr: string }[];
}

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

function int(r: () => number, lo: number, hi: number): number {
  return lo + Math.floor(r() * (hi - lo + 1));
}

/** Series for one case, metric names prefixed so cases can share one promtool run. */
export function genSeries(r: () => number, p: string, steps: number): GenSeries[] {
  const out: GenSeries[] = [];
  const gaps = (vals: (number | null)[]) => {
    if (r() < 0.5) {
      const from = int(r, 0, steps - 1),
        len = int(r, 1, 8);
      for (let i = from; i < Math.min(steps, from + len); i++) vals[i] = null;
    }
    return vals;
  };
  for (const inst of ["a", "b", "c"]) {
    for (const job of r() < 0.7 ? ["api"] : ["api", "db"]) {
      let c = int(r, 0, 50);
      const counter: (number | null)[] = [];
      for (let i = 0; i < steps; i++) {
        if (r() < 0.04) c = int(r, 0, 5);
        else c += int(r, 0, 12);
        counter.push(c);
      }
      out.push({ labels: { __name__: `${p}_requests_total`, job, instance: inst }, values: gaps(counter) });
      const gauge: (number | null)[] = [];
      let g = int(r, 0, 100);
      for (let i = 0; i < steps; i++) {
        g = Math.max(0, g + int(r, -15, 15));
        gauge.push(r() < 0.1 ? g + 0.5 : g);
      }
      out.push({ labels: { __name__: `${p}_load`, job, instance: inst }, values: gaps(gauge) });
    }
    const up: (number | null)[] = [];
    let u = 1;
    for (let i = 0; i < steps; i++) {
      if (r() < 0.1) u = 1 - u;
      up.push(u);
    }
    out.push({ labels: { __name__: `${p}_up`, job: "api", instance: inst }, values: gaps(up) });
  }
  const les = ["0.1", "0.5", "1", "+Inf"];
  const counts = les.map(() => 0);
  const buckets = les.map(() => [] as (number | null)[]);
  for (let i = 0; i < steps; i++) {
    let cum = 0;
    for (let b = 0; b < les.length; b++) {
      cum += int(r, 0, b === 0 ? 3 : 6);
      counts[b] = Math.max(counts[b]!, counts[b]! + cum - (b > 0 ? 0 : 0));
      buckets[b]!.push(counts[b]!);
    }
  }
  // Buckets are cumulative: make each at least the one below it.
  for (let i = 0; i < steps; i++) for (let b = 1; b < les.length; b++) buckets[b]![i] = Math.max(buckets[b]![i]!, buckets[b - 1]![i]!);
  les.forEach((le, b) => out.push({ labels: { __name__: `${p}_latency_bucket`, job: "api", le }, values: buckets[b]! }));
  return out;
}

/** A random instant-vector expression over the case's metrics. */
function genVector(r: () => number, p: string, depth: number): string {
  const rng_ = pick(r, ["2m", "3m", "5m", "150s", "10m"]);
  const sel = () => {
    const m = pick(r, [`${p}_requests_total`, `${p}_load`, `${p}_up`]);
    const matcher = pick(r, ["", `{job="api"}`, `{instance=~"a|b"}`, `{instance!="c"}`, `{job!~"d.*"}`]);
    return `${m}${matcher}`;
  };
  const counter = () => `${p}_requests_total${pick(r, ["", `{job="api"}`, `{instance!~"b"}`])}`;
  const choices: (() => string)[] = [
    () => `rate(${counter()}[${rng_}])`,
    () => `increase(${counter()}[${rng_}])`,
    () => `irate(${counter()}[${rng_}])`,
    () => `delta(${p}_load[${rng_}])`,
    () => `idelta(${p}_load[${rng_}])`,
    () => `deriv(${p}_load[${rng_}])`,
    () => `predict_linear(${p}_load[${rng_}], 600)`,
    () => `changes(${p}_up[${rng_}])`,
    () => `resets(${counter()}[${rng_}])`,
    () => `${pick(r, ["avg", "min", "max", "sum", "count", "stddev", "stdvar", "last", "present"])}_over_time(${p}_load[${rng_}])`,
    () => `quantile_over_time(0.${int(r, 1, 9)}, ${p}_load[${rng_}])`,
    () => sel(),
    () => `${sel()} offset ${pick(r, ["1m", "2m", "90s"])}`,
    () => `${pick(r, ["sum", "avg", "max", "min", "count", "group", "stddev"])} by (${pick(r, ["job", "instance", "job, instance"])}) (${genVector(r, p, depth + 1)})`,
    () => `${pick(r, ["sum", "max"])} without (instance) (${genVector(r, p, depth + 1)})`,
    // promtool's series order is random, so ties would pick different series: break them.
    () => `${pick(r, ["topk", "bottomk"])}(${int(r, 1, 2)}, ${p}_load + ${p}_requests_total / 997)`,
    () => `quantile(0.${int(r, 1, 9)}, ${p}_load)`,
    () => `histogram_quantile(0.${pick(r, ["5", "9", "99"])}, sum by (le) (rate(${p}_latency_bucket[${rng_}])))`,
    () => `absent(${p}_load{instance="${pick(r, ["a", "zz"])}"})`,
    () => `absent_over_time(${p}_up{instance="${pick(r, ["a", "q"])}"}[${rng_}])`,
    () => `${pick(r, ["abs", "ceil", "floor", "sqrt", "ln", "exp", "log2", "log10"])}(${p}_load)`,
    () => `round(${p}_load / 7, 0.5)`,
    () => `clamp(${p}_load, 10, 60)`,
    () => `clamp_max(${p}_load, 40)`,
    () => `max_over_time(rate(${counter()}[2m])[5m:1m])`,
    () => `${p}_load / on(job, instance) group_left ${p}_up`,
    () => `${p}_load * on(job, instance) ${p}_up`,
    () => `${p}_load * ignoring(job) group_left sum by (instance) (${p}_up)`,
    () => `${p}_load and ${p}_up == 1`,
    () => `${p}_load unless ${p}_up == 0`,
    () => `${p}_load{instance="a"} or ${p}_load{job="db"}`,
    () => `label_replace(${p}_load, "host", "h-$1", "instance", "(.*)")`,
    () => `count_values("v", ${p}_up)`,
    () => `${p}_load > bool ${int(r, 20, 80)}`,
    () => `timestamp(${p}_up)`,
    () => `scalar(sum(${p}_up)) * ${p}_load`,
    () => `vector(time() / 60)`,
    () => `-${p}_load + ${int(r, 1, 9)} ^ 2 % 7`,
  ];
  if (depth > 1) return pick(r, choices.slice(0, 12))();
  return pick(r, choices)();
}

/** One case: series and a handful of alerting rules (plus a recording rule feeding one). */
export function genCase(seed: number, steps: number): GenCase {
  const r = rng(seed);
  const p = `m${seed}`;
  const series = genSeries(r, p, steps);
  const records = [{ record: `${p}:rate2m`, expr: `sum by (job) (rate(${p}_requests_total[2m]))` }];
  const rules: GenCase["rules"] = [];
  const n = int(r, 3, 5);
  for (let i = 0; i < n; i++) {
    const op = pick(r, [">", "<", ">=", "<=", "!="]);
    const base = i === 0 && r() < 0.5 ? `${p}:rate2m` : genVector(r, p, 0);
    const threshold = pick(r, ["0", "0.5", "1", "5", "20", "50"]);
    const expr = r() < 0.85 ? `${base} ${op} ${threshold}` : base;
    // promtool creates series in Go map order, so float sums over several series differ run to run
    // in the last bit; values of such expressions stay out of annotations (labels only).
    // Go's exp/log differ from JavaScript's in the last bit for some inputs: compared as thresholds only.
    const summed = /sum|avg|stddev|stdvar|quantile|rate2m|exp|ln|log/.test(expr);
    const annotations: Record<string, string> = summed
      ? { summary: "{{ $labels.job }} {{ $labels.instance }}" }
      : r() < 0.6
        ? {
            summary: pick(r, [
              "value {{ $value }}",
              "{{ $labels.instance }} at {{ humanize $value }}",
              '{{ printf "%.2f" $value }} on {{ $labels.job }}',
              "{{ $value | humanizePercentage }}",
              "{{ humanizeDuration $value }}",
            ]),
          }
        : {};
    rules.push({ alert: `A${seed}_${i}`, expr, for: pick(r, ["0s", "1m", "2m", "5m"]), labels: r() < 0.5 ? { severity: pick(r, ["page", "ticket"]) } : {}, annotations });
  }
  return { id: seed, series, rules, records };
}
