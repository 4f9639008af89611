/**
 * The PromQL evaluator: one instant query at a time over a {@link Storage}, with Prometheus'
 * semantics (lookback, staleness, offset, vector matching, aggregation, subqueries). Pure and
 * deterministic. Range selectors are left-open (Prometheus 3) unless `closedRanges` (2.x).
 */
import type { Aggregate, Binary, Expr, Subquery, VectorSelector } from "./ast.js";
import { aggregate } from "./aggregate.js";
import { binary } from "./binary.js";
import { callFunction } from "./functions.js";
import { dropName, labelsKey, type Labels } from "./labels.js";
import { compileMatcher, lowerBound, upperBound, type LabelTest, type Storage } from "./storage.js";
import { EvalError, type RangeSeries, type Sample, type Value } from "./value.js";

/** How queries read the storage. */
export interface EvalOptions {
  /** ms; Prometheus' default is 5m. */
  readonly lookbackMs: number;
  /** True for Prometheus 2.x range selectors `[t-r, t]`; false for 3.x `(t-r, t]`. */
  readonly closedRanges: boolean;
  /** Default subquery step (ms): the rule group's evaluation interval. */
  readonly intervalMs: number;
}

export const DEFAULT_LOOKBACK_MS = 5 * 60_000;

/** Counters of one evaluator's work. */
export interface EvalStats {
  samplesRead: number;
}

/** Evaluates expressions against one storage; caches compiled matchers per selector. */
export class Evaluator {
  readonly stats: EvalStats = { samplesRead: 0 };
  private readonly tests = new WeakMap<VectorSelector, LabelTest[]>();

  constructor(
    private readonly storage: Storage,
    private readonly options: EvalOptions,
  ) {}

  /** The value of `expr` at `t` (ms). Throws {@link EvalError} where Prometheus fails the query. */
  eval(expr: Expr, t: number): Value {
    switch (expr.type) {
      case "number":
        return { kind: "scalar", v: expr.value };
      case "string":
        return { kind: "string", s: expr.value };
      case "vector":
        return { kind: "vector", samples: this.instant(expr, t) };
      case "matrix":
        return this.range(expr.selector, expr.range, t);
      case "subquery":
        return this.subquery(expr, t);
      case "unary": {
        const v = this.eval(expr.expr, t);
        if (expr.op === "+") return v;
        if (v.kind === "scalar") return { kind: "scalar", v: -v.v };
        if (v.kind === "vector") return { kind: "vector", samples: v.samples.map((s) => ({ labels: dropName(s.labels), v: -s.v, t: s.t })) };
        throw new EvalError("unary minus on a non-numeric value");
      }
      case "call":
        return checkUnique(callFunction(this, expr, t));
      case "aggregate":
        return this.aggregate(expr, t);
      case "binary":
        return this.binary(expr, t);
      default: {
        const never: never = expr;
        return never;
      }
    }
  }

  /** True under the Prometheus 2.x knob (closed ranges, 2.42 rate extrapolation order). */
  get legacy(): boolean {
    return this.options.closedRanges;
  }

  /** The evaluation interval subqueries default to (ms). */
  get intervalMs(): number {
    return this.options.intervalMs;
  }

  private matcherTests(sel: VectorSelector): LabelTest[] {
    let tests = this.tests.get(sel);
    if (tests === undefined) {
      tests = sel.matchers.map((m) => compileMatcher(m, !this.options.closedRanges));
      this.tests.set(sel, tests);
    }
    return tests;
  }

  /** An instant vector selector at `t`: each series' latest sample within the lookback, unless stale. */
  instant(sel: VectorSelector, t: number): Sample[] {
    const ref = t - sel.offset;
    const min = ref - this.options.lookbackMs;
    const out: Sample[] = [];
    for (const s of this.storage.select(sel.matchers, this.matcherTests(sel))) {
      const i = upperBound(s.ts, ref) - 1;
      if (i < 0) continue;
      const st = s.ts[i]!;
      if (this.options.closedRanges ? st < min : st <= min) continue;
      if (s.stale?.has(i)) continue;
      this.stats.samplesRead++;
      out.push({ labels: s.labels, v: s.vs[i]!, t: st });
    }
    return out;
  }

  /** A range selector at `t`: each series' non-stale samples in the range. */
  range(sel: VectorSelector, rangeMs: number, t: number): Value {
    const end = t - sel.offset;
    const start = end - rangeMs;
    const out: RangeSeries[] = [];
    for (const s of this.storage.select(sel.matchers, this.matcherTests(sel))) {
      const from = this.options.closedRanges ? lowerBound(s.ts, start) : upperBound(s.ts, start);
      const to = upperBound(s.ts, end);
      if (to <= from) continue;
      let ts = s.ts.slice(from, to);
      let vs = s.vs.slice(from, to);
      if (s.stale !== undefined) {
        const keep = ts.map((_, k) => !s.stale!.has(from + k));
        ts = ts.filter((_, k) => keep[k]);
        vs = vs.filter((_, k) => keep[k]);
        if (ts.length === 0) continue;
      }
      this.stats.samplesRead += ts.length;
      out.push({ labels: s.labels, ts, vs });
    }
    return { kind: "matrix", series: out, rangeStart: start, rangeEnd: end };
  }

  private subquery(q: Subquery, t: number): Value {
    const step = q.step ?? this.options.intervalMs;
    const end = t - q.offset;
    const start = end - q.range;
    let first = Math.floor(start / step) * step;
    if (this.options.closedRanges ? first < start : first <= start) first += step;
    const bySeries = new Map<string, { labels: Labels; ts: number[]; vs: number[] }>();
    for (let at = first; at <= end; at += step) {
      const v = this.eval(q.expr, at);
      if (v.kind !== "vector") throw new EvalError("subquery of a non-vector");
      for (const s of v.samples) {
        const k = labelsKey(s.labels);
        let e = bySeries.get(k);
        if (e === undefined) bySeries.set(k, (e = { labels: s.labels, ts: [], vs: [] }));
        e.ts.push(at);
        e.vs.push(s.v);
      }
    }
    return { kind: "matrix", series: [...bySeries.values()], rangeStart: start, rangeEnd: end };
  }

  private aggregate(a: Aggregate, t: number): Value {
    const v = this.eval(a.expr, t);
    if (v.kind !== "vector") throw new EvalError("aggregation over a non-vector");
    const p = a.param === undefined ? undefined : this.eval(a.param, t);
    return { kind: "vector", samples: aggregate(a, v.samples, p) };
  }

  private binary(b: Binary, t: number): Value {
    const l = this.eval(b.lhs, t);
    const r = this.eval(b.rhs, t);
    return checkUnique(binary(b, l, r));
  }
}

/** Prometheus refuses a vector holding one label set twice. */
function checkUnique(v: Value): Value {
  if (v.kind !== "vector" || v.samples.length < 2) return v;
  const seen = new Set<string>();
  for (const s of v.samples) {
    const k = labelsKey(s.labels);
    if (seen.has(k)) throw new EvalError("vector cannot contain metrics with the same labelset");
    seen.add(k);
  }
  return v;
}
