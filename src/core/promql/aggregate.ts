/** Aggregation operators (engine.go aggregation, Prometheus 2.42 arithmetic). */
import type { Aggregate } from "./ast.js";
import { compareStrings } from "../compare.js";
import { SiteMemo, type Labels } from "./labels.js";
import { formatGoFloat } from "./format.js";
import { EvalError, isDistinct, isOneName, noteVector, type Sample, type Value } from "./value.js";

interface Group {
  labels: Labels;
  value: number;
  mean: number;
  count: number;
  heap: Sample[];
  values: number[];
}

/** Each aggregation's grouping of each input label set, memoised (label sets repeat every step). */
const groupings = new SiteMemo<{ key: string; labels: Labels }>();

function groupingKey(l: Labels, grouping: readonly string[], without: boolean): { key: string; labels: Labels } {
  const out: Record<string, string> = {};
  if (without) {
    for (const k in l) if (k !== "__name__" && !grouping.includes(k)) out[k] = l[k]!;
  } else {
    for (const k of grouping) if (l[k] !== undefined && l[k] !== "") out[k] = l[k]!;
  }
  const names = Object.keys(out).sort(compareStrings);
  return { key: names.map((n) => `${n}\u0000${out[n]!}`).join("\u0001"), labels: out };
}

/** Evaluates one aggregation over an evaluated vector and its (evaluated) parameter. */
export function aggregate(a: Aggregate, vec: readonly Sample[], param: Value | undefined): Sample[] {
  const { op } = a;
  let k = 0,
    q = 0,
    valueLabel = "";
  if (op === "topk" || op === "bottomk") {
    if (param?.kind !== "scalar") throw new EvalError(`${op} needs a scalar parameter`);
    const f = param.v;
    if (!(f >= -9.223372036854776e18 && f <= 9.223372036854776e18)) throw new EvalError(`Scalar value ${formatGoFloat(f)} overflows int64`);
    k = Math.trunc(f);
    if (k < 1) return [];
  } else if (op === "quantile") {
    if (param?.kind !== "scalar") throw new EvalError("quantile needs a scalar parameter");
    q = param.v;
  } else if (op === "count_values") {
    if (param?.kind !== "string") throw new EvalError("count_values needs a string parameter");
    valueLabel = param.s;
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(valueLabel)) throw new EvalError(`invalid label name ${JSON.stringify(valueLabel)}`);
  }
  const groups = new Map<string, Group>();
  const order: Group[] = [];
  const memo = groupings.at(a);
  for (const s of vec) {
    let { key, labels } = memo.get(s.labels, (l) => groupingKey(l, a.grouping, a.without));
    if (op === "count_values") {
      const v = formatGoFloat(s.v);
      const l: Record<string, string> = { ...labels, [valueLabel]: v };
      labels = l;
      key = `${key}\u0002${v}`;
    }
    let g = groups.get(key);
    if (g === undefined) {
      g = { labels, value: s.v, mean: s.v, count: 1, heap: [s], values: [s.v] };
      if (op === "stddev" || op === "stdvar") g.value = 0;
      if (op === "count" || op === "count_values") g.value = 1;
      if (op === "group") g.value = 1;
      groups.set(key, g);
      order.push(g);
      continue;
    }
    g.count++;
    switch (op) {
      case "sum":
        g.value += s.v;
        break;
      case "avg":
        if (isInf(g.mean)) {
          // Inf of the same sign stays; a finite value cannot move an infinite mean (Inf - Inf would be NaN).
          if (isInf(s.v) && g.mean > 0 === s.v > 0) break;
          if (!isInf(s.v) && !Number.isNaN(s.v)) break;
        }
        g.mean += s.v / g.count - g.mean / g.count;
        break;
      case "count":
      case "count_values":
        g.value++;
        break;
      case "group":
        break;
      case "max":
        if (g.value < s.v || Number.isNaN(g.value)) g.value = s.v;
        break;
      case "min":
        if (g.value > s.v || Number.isNaN(g.value)) g.value = s.v;
        break;
      case "stddev":
      case "stdvar": {
        const delta = s.v - g.mean;
        g.mean += delta / g.count;
        g.value += delta * (s.v - g.mean);
        break;
      }
      case "topk":
      case "bottomk":
        g.heap.push(s);
        break;
      case "quantile":
        g.values.push(s.v);
        break;
    }
  }
  const out: Sample[] = [];
  for (const g of order) {
    switch (op) {
      case "avg":
        out.push({ labels: g.labels, v: g.mean, t: 0 });
        break;
      case "stddev":
        out.push({ labels: g.labels, v: Math.sqrt(g.value / g.count), t: 0 });
        break;
      case "stdvar":
        out.push({ labels: g.labels, v: g.value / g.count, t: 0 });
        break;
      case "topk":
      case "bottomk":
        for (const s of selectK(g.heap, k, op === "topk")) out.push(s);
        break;
      case "quantile":
        out.push({ labels: g.labels, v: quantile(q, g.values), t: 0 });
        break;
      default:
        out.push({ labels: g.labels, v: g.value, t: 0 });
    }
  }
  // Groups have distinct keys; topk/bottomk return input elements as they were.
  if (op === "topk" || op === "bottomk") return noteVector(out, isDistinct(vec), isOneName(vec));
  // count_values may overwrite a grouping label with the value, so its sets may collide.
  return noteVector(out, op !== "count_values", a.without || !a.grouping.includes("__name__"));
}

/** The k largest (or smallest) samples; NaN ranks lowest for topk and highest for bottomk. */
function selectK(samples: readonly Sample[], k: number, top: boolean): Sample[] {
  const idx = samples.map((s, i) => ({ s, i }));
  idx.sort((a, b) => {
    const c = top ? compareDesc(a.s.v, b.s.v) : compareDesc(b.s.v, a.s.v);
    return c !== 0 ? c : a.i - b.i;
  });
  return idx.slice(0, k).map((x) => x.s);
}

function compareDesc(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
  if (Number.isNaN(b)) return -1;
  return a > b ? -1 : a < b ? 1 : 0;
}

/** Prometheus' `quantile`: linear interpolation between closest ranks. */
export function quantile(q: number, values: readonly number[]): number {
  if (values.length === 0 || Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const sorted = [...values].sort(compareFloat);
  const n = sorted.length;
  const rank = q * (n - 1);
  const lower = Math.max(0, Math.floor(rank));
  const upper = Math.min(n - 1, lower + 1);
  const weight = rank - Math.floor(rank);
  return sorted[lower]! * (1 - weight) + sorted[upper]! * weight;
}

/** Ascending with NaN first, as Go's sort.Float64s. */
function compareFloat(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : -1;
  if (Number.isNaN(b)) return 1;
  return a - b;
}

function isInf(v: number): boolean {
  return v === Infinity || v === -Infinity;
}
