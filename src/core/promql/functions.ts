/** PromQL functions (promql/functions.go), float samples only. */
import { RE2JS } from "re2js";
import type { Call, Expr } from "./ast.js";
import { quantile } from "./aggregate.js";
import type { Evaluator } from "./eval.js";
import { dropName, LabelMemo, signature, withLabel, type Labels } from "./labels.js";
import { civil } from "./calendar.js";
import { EvalError, isDistinct, isOneName, noteVector, type RangeSeries, type Sample, type Value } from "./value.js";

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

type RangeFn = (s: RangeSeries, m: Extract<Value, { kind: "matrix" }>, t: number, args: readonly Value[]) => number | undefined;
type ElemFn = (v: number, args: readonly Value[]) => number;

function scalarArg(args: readonly Value[], i: number, fallback: number): number {
  const a = args[i];
  if (a === undefined) return fallback;
  if (a.kind !== "scalar") throw new EvalError("expected a scalar argument");
  return a.v;
}

function stringArg(args: readonly Value[], i: number): string {
  const a = args[i];
  if (a?.kind !== "string") throw new EvalError("expected a string argument");
  return a.s;
}

/** Neumaier-compensated summation step (kahanSumInc). */
function kahanInc(inc: number, sum: number, c: number): [number, number] {
  const t = sum + inc;
  if (Math.abs(sum) >= Math.abs(inc)) c += sum - t + inc;
  else c += inc - t + sum;
  return [t, c];
}

function linearRegression(ts: ArrayLike<number>, vs: ArrayLike<number>, from: number, to: number, interceptTime: number): [number, number] {
  let n = 0,
    sumX = 0,
    cX = 0,
    sumY = 0,
    cY = 0,
    sumXY = 0,
    cXY = 0,
    sumX2 = 0,
    cX2 = 0;
  const initY = vs[from]!;
  let constY = true;
  for (let i = from; i < to; i++) {
    const y = vs[i]!;
    if (constY && i > from && y !== initY) constY = false;
    n += 1;
    const x = (ts[i]! - interceptTime) / 1e3;
    [sumX, cX] = kahanInc(x, sumX, cX);
    [sumY, cY] = kahanInc(y, sumY, cY);
    [sumXY, cXY] = kahanInc(x * y, sumXY, cXY);
    [sumX2, cX2] = kahanInc(x * x, sumX2, cX2);
  }
  if (constY) {
    if (!Number.isFinite(initY) && !Number.isNaN(initY)) return [NaN, NaN];
    return [0, initY];
  }
  sumX += cX;
  sumY += cY;
  sumXY += cXY;
  sumX2 += cX2;
  const covXY = sumXY - (sumX * sumY) / n;
  const varX = sumX2 - (sumX * sumX) / n;
  const slope = covXY / varX;
  return [slope, sumY / n - (slope * sumX) / n];
}

/** rate/increase/delta: Prometheus' extrapolation, in the 2.x order or the 3.x order. */
function extrapolatedRate(s: RangeSeries, m: Extract<Value, { kind: "matrix" }>, isCounter: boolean, isRate: boolean, legacy: boolean): number | undefined {
  const { ts, vs, from, to } = s;
  const n = to - from;
  if (n < 2) return undefined;
  const first = vs[from]!,
    last = vs[to - 1]!;
  let result = last - first;
  if (isCounter) {
    let prev = legacy ? 0 : first;
    for (let i = legacy ? from : from + 1; i < to; i++) {
      const v = vs[i]!;
      if (v < prev) result += prev;
      prev = v;
    }
  }
  let durationToStart = (ts[from]! - m.rangeStart) / 1000;
  let durationToEnd = (m.rangeEnd - ts[to - 1]!) / 1000;
  const sampledInterval = (ts[to - 1]! - ts[from]!) / 1000;
  const avg = sampledInterval / (n - 1);
  const threshold = avg * 1.1;
  const rangeSeconds = (m.rangeEnd - m.rangeStart) / 1000;
  if (legacy) {
    // Prometheus 2.42: the zero point caps the start before the threshold test.
    if (isCounter && result > 0 && first >= 0) {
      const durationToZero = sampledInterval * (first / result);
      if (durationToZero < durationToStart) durationToStart = durationToZero;
    }
    let extrapolateTo = sampledInterval;
    extrapolateTo += durationToStart < threshold ? durationToStart : avg / 2;
    extrapolateTo += durationToEnd < threshold ? durationToEnd : avg / 2;
    let factor = extrapolateTo / sampledInterval;
    if (isRate) factor /= rangeSeconds;
    return result * factor;
  }
  if (durationToStart >= threshold) durationToStart = avg / 2;
  if (isCounter && result > 0 && first >= 0) {
    const durationToZero = sampledInterval * (first / result);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  if (durationToEnd >= threshold) durationToEnd = avg / 2;
  let factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
  if (isRate) factor /= rangeSeconds;
  return result * factor;
}

function instantValue(s: RangeSeries, isRate: boolean): number | undefined {
  const { ts, vs, from, to } = s;
  if (to - from < 2) return undefined;
  const last = vs[to - 1]!,
    prev = vs[to - 2]!;
  let result = isRate && last < prev ? last : last - prev;
  const interval = ts[to - 1]! - ts[to - 2]!;
  if (interval === 0) return undefined;
  if (isRate) result /= interval / 1000;
  return result;
}

function meanOverTime({ vs, from, to }: RangeSeries): number {
  let mean = 0,
    count = 0,
    c = 0;
  for (let i = from; i < to; i++) {
    const v = vs[i]!;
    count++;
    if (!Number.isFinite(mean) && !Number.isNaN(mean)) {
      if (!Number.isFinite(v) && !Number.isNaN(v) && mean > 0 === v > 0) continue;
      if (Number.isFinite(v)) continue;
    }
    [mean, c] = kahanInc(v / count - mean / count, mean, c);
  }
  if (!Number.isFinite(mean) && !Number.isNaN(mean)) return mean;
  return mean + c;
}

function varianceOverTime({ vs, from, to }: RangeSeries): number {
  let count = 0,
    mean = 0,
    cMean = 0,
    aux = 0,
    cAux = 0;
  for (let i = from; i < to; i++) {
    const v = vs[i]!;
    count++;
    const delta = v - (mean + cMean);
    [mean, cMean] = kahanInc(delta / count, mean, cMean);
    [aux, cAux] = kahanInc(delta * (v - (mean + cMean)), aux, cAux);
  }
  return (aux + cAux) / count;
}

/** The values of a range series as a plain array. */
function valuesOf({ vs, from, to }: RangeSeries): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i++) out.push(vs[i]!);
  return out;
}

/** Range-vector functions; `keepName` ones keep `__name__`. */
const RANGE_FUNCTIONS: Readonly<Record<string, { fn: RangeFn; keepName?: boolean }>> = {
  rate: { fn: (s, m, _t, a) => extrapolatedRate(s, m, true, true, legacyOf(a)) },
  increase: { fn: (s, m, _t, a) => extrapolatedRate(s, m, true, false, legacyOf(a)) },
  delta: { fn: (s, m, _t, a) => extrapolatedRate(s, m, false, false, legacyOf(a)) },
  irate: { fn: (s) => instantValue(s, true) },
  idelta: { fn: (s) => instantValue(s, false) },
  deriv: { fn: (s) => (s.to - s.from < 2 ? undefined : linearRegression(s.ts, s.vs, s.from, s.to, s.ts[s.from]!)[0]) },
  predict_linear: {
    fn: (s, _m, t, a) => {
      if (s.to - s.from < 2) return undefined;
      const [slope, intercept] = linearRegression(s.ts, s.vs, s.from, s.to, t);
      return slope * scalarArg(a, 1, 0) + intercept;
    },
  },
  changes: {
    fn: ({ vs, from, to }) => {
      let changes = 0,
        prev = vs[from]!;
      for (let i = from + 1; i < to; i++) {
        const cur = vs[i]!;
        if (cur !== prev && !(Number.isNaN(cur) && Number.isNaN(prev))) changes++;
        prev = cur;
      }
      return changes;
    },
  },
  resets: {
    fn: ({ vs, from, to }) => {
      let resets = 0,
        prev = vs[from]!;
      for (let i = from + 1; i < to; i++) {
        if (vs[i]! < prev) resets++;
        prev = vs[i]!;
      }
      return resets;
    },
  },
  avg_over_time: { fn: meanOverTime },
  sum_over_time: {
    fn: ({ vs, from, to }) => {
      let sum = 0,
        c = 0;
      for (let i = from; i < to; i++) [sum, c] = kahanInc(vs[i]!, sum, c);
      return !Number.isFinite(sum) && !Number.isNaN(sum) ? sum : sum + c;
    },
  },
  min_over_time: {
    fn: ({ vs, from, to }) => {
      let min = vs[from]!;
      for (let i = from; i < to; i++) if (vs[i]! < min || Number.isNaN(min)) min = vs[i]!;
      return min;
    },
  },
  max_over_time: {
    fn: ({ vs, from, to }) => {
      let max = vs[from]!;
      for (let i = from; i < to; i++) if (vs[i]! > max || Number.isNaN(max)) max = vs[i]!;
      return max;
    },
  },
  count_over_time: { fn: (s) => s.to - s.from },
  stdvar_over_time: { fn: varianceOverTime },
  stddev_over_time: { fn: (s) => Math.sqrt(varianceOverTime(s)) },
  last_over_time: { fn: (s) => s.vs[s.to - 1], keepName: true },
  present_over_time: { fn: () => 1 },
  quantile_over_time: { fn: (s, _m, _t, a) => quantile(scalarArg(a, 0, NaN), valuesOf(s)) },
};

/** Instant-vector element functions (all drop `__name__`). */
const ELEM_FUNCTIONS: Readonly<Record<string, ElemFn>> = {
  abs: Math.abs,
  ceil: Math.ceil,
  floor: Math.floor,
  exp: Math.exp,
  ln: Math.log,
  log2: Math.log2,
  log10: Math.log10,
  sqrt: Math.sqrt,
  sgn: (v) => (v > 0 ? 1 : v < 0 ? -1 : v),
  round: (v, a) => {
    const inv = 1 / scalarArg(a, 1, 1);
    return Math.floor(v * inv + 0.5) / inv;
  },
  clamp_min: (v, a) => goMax(v, scalarArg(a, 1, NaN)),
  clamp_max: (v, a) => goMin(v, scalarArg(a, 1, NaN)),
};

function goMax(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  return Math.max(a, b);
}

function goMin(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  return Math.min(a, b);
}

const DATE_FUNCTIONS: Readonly<Record<string, (c: ReturnType<typeof civil>) => number>> = {
  day_of_week: (c) => c.weekday,
  day_of_month: (c) => c.day,
  day_of_year: (c) => c.yearDay,
  hour: (c) => c.hour,
  minute: (c) => c.minute,
  month: (c) => c.month,
  year: (c) => c.year,
  days_in_month: (c) => c.daysInMonth,
};

// The 2.x knob travels to range functions as a hidden trailing argument.
const LEGACY_MARK: Value = { kind: "string", s: "\u0000legacy" };
function legacyOf(args: readonly Value[]): boolean {
  return args[args.length - 1] === LEGACY_MARK;
}

/** Evaluates a function call at `t`. */
export function callFunction(ev: Evaluator, call: Call, t: number): Value {
  const { func } = call;
  if (func === "time") return { kind: "scalar", v: t / 1000 };
  if (func === "absent") return absent(ev, call, t);
  if (func === "absent_over_time") return absentOverTime(ev, call, t);
  const args = call.args.map((a) => ev.eval(a, t));
  const range = RANGE_FUNCTIONS[func];
  if (range !== undefined) {
    const mIdx = func === "quantile_over_time" ? 1 : 0;
    const m = args[mIdx];
    if (m?.kind !== "matrix") throw new EvalError(`${func} needs a range vector`);
    const callArgs = ev.legacy ? [...args, LEGACY_MARK] : args;
    const out: Sample[] = [];
    for (const s of m.series) {
      const v = range.fn(s, m, t, callArgs);
      if (v === undefined) continue;
      out.push({ labels: range.keepName ? s.labels : dropName(s.labels), v, t });
    }
    const distinct = isDistinct(m.series) && (range.keepName === true || isOneName(m.series));
    return { kind: "vector", samples: noteVector(out, distinct, range.keepName !== true || isOneName(m.series)) };
  }
  const elem = ELEM_FUNCTIONS[func];
  if (elem !== undefined) {
    const input = vectorArg(args);
    const out = input.map((s) => ({ labels: dropName(s.labels), v: elem(s.v, args), t }));
    return { kind: "vector", samples: noteVector(out, isDistinct(input) && isOneName(input), true) };
  }
  const date = DATE_FUNCTIONS[func];
  if (date !== undefined) {
    const input = args.length === 0 ? [{ labels: {}, v: t / 1000, t }] : vectorArg(args);
    return { kind: "vector", samples: input.map((s) => ({ labels: dropName(s.labels), v: date(civil(Math.trunc(s.v) * 1000)), t })) };
  }
  switch (func) {
    case "clamp": {
      const min = scalarArg(args, 1, NaN),
        max = scalarArg(args, 2, NaN);
      if (max < min) return { kind: "vector", samples: [] };
      return { kind: "vector", samples: vectorArg(args).map((s) => ({ labels: dropName(s.labels), v: goMax(min, goMin(max, s.v)), t })) };
    }
    case "vector":
      return { kind: "vector", samples: [{ labels: {}, v: scalarArg(args, 0, NaN), t }] };
    case "scalar": {
      const v = vectorArg(args);
      return { kind: "scalar", v: v.length === 1 ? v[0]!.v : NaN };
    }
    case "timestamp": {
      // A plain selector's samples carry their own time; anything else is stamped with the evaluation time.
      const direct = call.args[0]!.type === "vector";
      return { kind: "vector", samples: vectorArg(args).map((s) => ({ labels: dropName(s.labels), v: (direct ? s.t : t) / 1000, t })) };
    }
    case "sort":
    case "sort_desc": {
      const desc = func === "sort_desc";
      const v = [...vectorArg(args)].sort((a, b) => compareForSort(a.v, b.v, desc));
      return { kind: "vector", samples: v };
    }
    case "label_replace":
      return { kind: "vector", samples: labelReplace(call, args, vectorArg(args), stringArg(args, 1), stringArg(args, 2), stringArg(args, 3), stringArg(args, 4)) };
    case "label_join": {
      const dst = stringArg(args, 1),
        sep = stringArg(args, 2);
      if (!LABEL_NAME.test(dst)) throw new EvalError(`invalid destination label name in label_join(): ${dst}`);
      const srcs = args.slice(3).map((_, i) => stringArg(args, 3 + i));
      for (const s of srcs) if (!LABEL_NAME.test(s)) throw new EvalError(`invalid source label name in label_join(): ${s}`);
      const { memo } = relabelOf(call, args);
      return { kind: "vector", samples: vectorArg(args).map((s) => ({ labels: memo.get(s.labels, (l) => withLabel(l, dst, srcs.map((n) => l[n] ?? "").join(sep))), v: s.v, t: s.t })) };
    }
    case "histogram_quantile":
      return { kind: "vector", samples: histogramQuantile(scalarArg(args, 0, NaN), vectorArg(args, 1), t) };
    default:
      throw new EvalError(`function "${func}" is not supported`);
  }
}

function compareForSort(a: number, b: number, desc: boolean): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
  if (Number.isNaN(b)) return -1;
  return desc ? b - a : a - b;
}

function vectorArg(args: readonly Value[], i = 0): readonly Sample[] {
  const a = args[i];
  if (a?.kind !== "vector") throw new EvalError("expected an instant vector argument");
  return a.samples;
}

function absentLabels(e: Expr): Labels {
  const sel = e.type === "vector" ? e : e.type === "matrix" ? e.selector : undefined;
  if (sel === undefined) return {};
  const out: Record<string, string> = {};
  const seen = new Set<string>();
  for (const m of sel.matchers) {
    if (m.name === "__name__") continue;
    if (m.op === "=" && !seen.has(m.name)) out[m.name] = m.value;
    else if (m.op === "=") delete out[m.name];
    seen.add(m.name);
  }
  for (const m of sel.matchers) if (m.op !== "=" && out[m.name] !== undefined) delete out[m.name];
  return out;
}

function absent(ev: Evaluator, call: Call, t: number): Value {
  const v = ev.eval(call.args[0]!, t);
  if (v.kind === "vector" && v.samples.length > 0) return { kind: "vector", samples: [] };
  return { kind: "vector", samples: [{ labels: absentLabels(call.args[0]!), v: 1, t }] };
}

function absentOverTime(ev: Evaluator, call: Call, t: number): Value {
  const v = ev.eval(call.args[0]!, t);
  if (v.kind === "matrix" && v.series.length > 0) return { kind: "vector", samples: [] };
  return { kind: "vector", samples: [{ labels: absentLabels(call.args[0]!), v: 1, t }] };
}

/** Go's regexp.Expand template: `$1`, `${1}`, `$name`, `${name}`, `$$`. */
function expandTemplate(template: string, groups: readonly (string | null)[], named: Readonly<Record<string, number>>): string {
  let out = "";
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c !== "$" || i + 1 >= template.length) {
      out += c;
      continue;
    }
    const next = template[i + 1]!;
    if (next === "$") {
      out += "$";
      i++;
      continue;
    }
    let name: string;
    let end: number;
    if (next === "{") {
      const close = template.indexOf("}", i + 2);
      const inner = close < 0 ? "" : template.slice(i + 2, close);
      if (close < 0 || !/^[A-Za-z0-9_]+$/.test(inner)) {
        out += c;
        continue;
      }
      name = inner;
      end = close;
    } else {
      const m = /^[A-Za-z0-9_]+/.exec(template.slice(i + 1));
      if (m === null) {
        out += c;
        continue;
      }
      name = m[0];
      end = i + m[0].length;
    }
    i = end;
    const idx = /^\d+$/.test(name) ? Number(name) : named[name];
    if (idx !== undefined && idx < groups.length) out += groups[idx] ?? "";
  }
  return out;
}

/**
 * label_replace/label_join results per call and string arguments, memoised per input label set
 * (the arguments are string literals, so one entry per call in practice), with the compiled regex.
 */
interface Relabel {
  readonly memo: LabelMemo<Labels>;
  re?: RE2JS;
}
const relabelled = new WeakMap<Call, Map<string, Relabel>>();

function relabelOf(call: Call, args: readonly Value[]): Relabel {
  let byArgs = relabelled.get(call);
  if (byArgs === undefined) relabelled.set(call, (byArgs = new Map()));
  const key = args.map((a) => (a.kind === "string" ? a.s : "")).join("\u0000");
  let r = byArgs.get(key);
  if (r === undefined) byArgs.set(key, (r = { memo: new LabelMemo<Labels>() }));
  return r;
}

function labelReplace(call: Call, args: readonly Value[], vec: readonly Sample[], dst: string, repl: string, src: string, regex: string): Sample[] {
  const r = relabelOf(call, args);
  if (r.re === undefined) {
    try {
      r.re = RE2JS.compile(`^(?:${regex})$`);
    } catch {
      throw new EvalError(`invalid regular expression in label_replace(): ${regex}`);
    }
  }
  const re = r.re;
  if (!LABEL_NAME.test(dst)) throw new EvalError(`invalid destination label name in label_replace(): ${dst}`);
  const named = re.namedGroups();
  const relabel = (l: Labels): Labels => {
    const m = re.matcher(l[src] ?? "");
    if (!m.matches()) return l;
    const groups: (string | null)[] = [];
    for (let g = 0; g <= m.groupCount(); g++) groups.push(m.group(g));
    return withLabel(l, dst, expandTemplate(repl, groups, named));
  };
  return vec.map((s) => {
    const labels = r.memo.get(s.labels, relabel);
    return labels === s.labels ? s : { labels, v: s.v, t: s.t };
  });
}

/** Go's strconv.ParseFloat for bucket bounds (`le`). */
function parseGoFloat(s: string): number | undefined {
  if (/^[+-]?(inf|infinity)$/i.test(s)) return s.startsWith("-") ? -Infinity : Infinity;
  if (/^nan$/i.test(s)) return NaN;
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(s)) return Number(s);
  return undefined;
}

/** Each bucket series' bound, group signature and group labels, memoised per label set. */
const bucketsOf = new LabelMemo<{ upper: number | undefined; sig: string; labels: Labels }>();

function bucketOf(l: Labels): { upper: number | undefined; sig: string; labels: Labels } {
  const { le: _le, __name__: _n, ...rest } = l;
  return { upper: parseGoFloat(l.le ?? ""), sig: signature(l, false, ["le"]), labels: rest };
}

function histogramQuantile(q: number, vec: readonly Sample[], t: number): Sample[] {
  const groups = new Map<string, { labels: Labels; buckets: { upper: number; count: number }[] }>();
  for (const s of vec) {
    const { upper, sig, labels } = bucketsOf.get(s.labels, bucketOf);
    if (upper === undefined) continue;
    let g = groups.get(sig);
    if (g === undefined) groups.set(sig, (g = { labels, buckets: [] }));
    g.buckets.push({ upper, count: s.v });
  }
  return [...groups.values()].map((g) => ({ labels: g.labels, v: bucketQuantile(q, g.buckets), t }));
}

function bucketQuantile(q: number, input: { upper: number; count: number }[]): number {
  if (Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const sorted = [...input].sort((a, b) => a.upper - b.upper);
  if (sorted.length === 0 || sorted[sorted.length - 1]!.upper !== Infinity) return NaN;
  // Coalesce equal bounds, then make counts monotonic, as Prometheus does.
  const buckets: { upper: number; count: number }[] = [];
  for (const b of sorted) {
    const last = buckets[buckets.length - 1];
    if (last !== undefined && last.upper === b.upper) last.count += b.count;
    else buckets.push({ ...b });
  }
  let max = -Infinity;
  for (const b of buckets) {
    if (b.count > max) max = b.count;
    else if (b.count < max) b.count = max;
  }
  if (buckets.length < 2) return NaN;
  const observations = buckets[buckets.length - 1]!.count;
  if (observations === 0) return NaN;
  let rank = q * observations;
  let b = 0;
  while (b < buckets.length - 1 && !(buckets[b]!.count >= rank)) b++;
  if (b === buckets.length - 1) return buckets[buckets.length - 2]!.upper;
  if (b === 0 && buckets[0]!.upper <= 0) return buckets[0]!.upper;
  let bucketStart = 0;
  const bucketEnd = buckets[b]!.upper;
  let count = buckets[b]!.count;
  if (b > 0) {
    bucketStart = buckets[b - 1]!.upper;
    count -= buckets[b - 1]!.count;
    rank -= buckets[b - 1]!.count;
  }
  return bucketStart + (bucketEnd - bucketStart) * (rank / count);
}
