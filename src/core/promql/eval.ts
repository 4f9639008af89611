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
import { compileMatcher, lowerBound, matchersKey, upperBound, type LabelTest, type Storage } from "./storage.js";
import { EvalError, isDistinct, noteVector, type RangeSeries, type Sample, type Value } from "./value.js";

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

/** A selector's compiled matchers, the key its selections are cached under, and the metric it names. */
interface CompiledSelector {
  readonly key: string;
  readonly tests: readonly LabelTest[];
  readonly name: string | undefined;
}

/** A selector's result at one time, valid while the storage generation it was read at holds. */
interface CachedRead<T> {
  readonly t: number;
  readonly generation: number;
  readonly value: T;
  readonly samples: number;
}

/** Evaluates expressions against one storage; caches compiled matchers per selector. */
export class Evaluator {
  readonly stats: EvalStats = { samplesRead: 0 };
  private readonly selectors = new WeakMap<VectorSelector, CompiledSelector>();
  /**
   * Selector reads by matcher set, offset and range: rules of one evaluation step that read the
   * same selector (a warning and a critical alert, a recording rule and its alert) share one read.
   */
  private readonly instantReads = new Map<string, CachedRead<Sample[]>>();
  private readonly rangeReads = new Map<string, CachedRead<RangeSeries[]>>();

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

  private compiled(sel: VectorSelector): CompiledSelector {
    let c = this.selectors.get(sel);
    if (c === undefined) {
      const named = sel.matchers.find((m) => m.name === "__name__" && m.op === "=");
      c = { key: matchersKey(sel.matchers), tests: sel.matchers.map((m) => compileMatcher(m, !this.options.closedRanges)), name: named?.value };
      this.selectors.set(sel, c);
    }
    return c;
  }

  /** `read()` at `t`, or the result of an earlier identical read the storage has not changed since. */
  private cached<T>(reads: Map<string, CachedRead<T>>, key: string, name: string | undefined, t: number, read: () => { value: T; samples: number }): T {
    const generation = this.storage.generation(name);
    const hit = reads.get(key);
    if (hit !== undefined && hit.t === t && hit.generation === generation) {
      this.stats.samplesRead += hit.samples;
      return hit.value;
    }
    const { value, samples } = read();
    reads.set(key, { t, generation, value, samples });
    this.stats.samplesRead += samples;
    return value;
  }

  /** An instant vector selector at `t`: each series' latest sample within the lookback, unless stale. */
  instant(sel: VectorSelector, t: number): Sample[] {
    const c = this.compiled(sel);
    return this.cached(this.instantReads, `${c.key}\u0002${sel.offset}`, c.name, t, () => {
      const ref = t - sel.offset;
      const min = ref - this.options.lookbackMs;
      const closed = this.options.closedRanges;
      const out: Sample[] = [];
      for (const s of this.storage.select(c.key, sel.matchers, c.tests)) {
        const i = upperBound(s.ts, ref, s.n) - 1;
        if (i < 0) continue;
        const st = s.ts[i]!;
        if (closed ? st < min : st <= min) continue;
        if (s.stale?.has(i)) continue;
        out.push({ labels: s.labels, v: s.vs[i]!, t: st });
      }
      return { value: noteVector(out, true, c.name !== undefined), samples: out.length };
    });
  }

  /** A range selector at `t`: each series' non-stale samples in the range (views, not copies). */
  range(sel: VectorSelector, rangeMs: number, t: number): Value {
    const end = t - sel.offset;
    const start = end - rangeMs;
    const c = this.compiled(sel);
    const series = this.cached(this.rangeReads, `${c.key}\u0002${sel.offset}\u0002${rangeMs}`, c.name, t, () => {
      const closed = this.options.closedRanges;
      const out: RangeSeries[] = [];
      let read = 0;
      for (const s of this.storage.select(c.key, sel.matchers, c.tests)) {
        const from = closed ? lowerBound(s.ts, start, s.n) : upperBound(s.ts, start, s.n);
        const to = upperBound(s.ts, end, s.n);
        if (to <= from) continue;
        const r = s.stale === undefined ? { labels: s.labels, ts: s.ts, vs: s.vs, from, to } : withoutStale(s.labels, s.ts, s.vs, from, to, s.stale);
        if (r === undefined) continue;
        read += r.to - r.from;
        out.push(r);
      }
      return { value: noteVector(out, true, c.name !== undefined), samples: read };
    });
    return { kind: "matrix", series, rangeStart: start, rangeEnd: end };
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
    const series: RangeSeries[] = [];
    for (const e of bySeries.values()) series.push({ labels: e.labels, ts: e.ts, vs: e.vs, from: 0, to: e.ts.length });
    return { kind: "matrix", series: noteVector(series, true, false), rangeStart: start, rangeEnd: end };
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

/** The samples of `[from, to)` that are not stale markers, copied; undefined when none is left. */
function withoutStale(labels: Labels, ts: Float64Array, vs: Float64Array, from: number, to: number, stale: ReadonlySet<number>): RangeSeries | undefined {
  const kts: number[] = [],
    kvs: number[] = [];
  for (let i = from; i < to; i++) {
    if (stale.has(i)) continue;
    kts.push(ts[i]!);
    kvs.push(vs[i]!);
  }
  return kts.length === 0 ? undefined : { labels, ts: kts, vs: kvs, from: 0, to: kts.length };
}

/** Prometheus refuses a vector holding one label set twice. */
function checkUnique(v: Value): Value {
  if (v.kind !== "vector" || v.samples.length < 2 || isDistinct(v.samples)) return v;
  const seen = new Set<string>();
  for (const s of v.samples) {
    const k = labelsKey(s.labels);
    if (seen.has(k)) throw new EvalError("vector cannot contain metrics with the same labelset");
    seen.add(k);
  }
  return v;
}
