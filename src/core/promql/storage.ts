/**
 * The samples a query reads: series with sorted timestamps, built from a window's metric events
 * and extended by recording rules. Stale markers (Prometheus' staleness NaN) are kept as a flag,
 * since a JavaScript NaN cannot carry Prometheus' payload bits.
 *
 * Layout: each series holds its samples in two growable Float64Arrays (timestamps, values) with
 * a count, so a window of millions of samples is two flat buffers per series rather than boxed
 * arrays, and a range selector reads a slice by index without copying (see `RangeSeries`).
 */
import { RE2JS } from "re2js";
import type { Matcher } from "./ast.js";
import { compareStrings } from "../compare.js";
import { labelsKey, type Labels } from "./labels.js";

/** One series: labels (with `__name__`), timestamps (ms, ascending), values, stale flags. */
export interface Series {
  readonly labels: Labels;
  readonly key: string;
  /** Timestamps (ms), ascending; only the first `n` entries are samples. */
  ts: Float64Array;
  /** Values; only the first `n` entries are samples. */
  vs: Float64Array;
  /** Number of samples. */
  n: number;
  /** Write counter shared by the series of one metric name. */
  readonly writes: { n: number };
  /** Indexes of stale markers, or undefined when the series has none. */
  stale: Set<number> | undefined;
}

/** A compiled label matcher. */
export type LabelTest = (value: string) => boolean;

/** Compiles a matcher; regexes are RE2 (linear time), fully anchored, as Prometheus anchors them. */
export function compileMatcher(m: Matcher, dotAll: boolean): LabelTest {
  switch (m.op) {
    case "=":
      return (v) => v === m.value;
    case "!=":
      return (v) => v !== m.value;
    default: {
      const re = RE2JS.compile(dotAll ? `^(?s:${m.value})$` : `^(?:${m.value})$`);
      // A label value is tested once per series, not once per step: selections are cached.
      return m.op === "=~" ? (v) => re.matches(v) : (v) => !re.matches(v);
    }
  }
}

/** The cache key of a matcher set (separators no label name can contain). */
export function matchersKey(matchers: readonly Matcher[]): string {
  return matchers.map((m) => `${m.name}\u0000${m.op}\u0000${m.value}`).join("\u0001");
}

const INITIAL_CAPACITY = 16;

/** A set of series, indexed by metric name. */
export class Storage {
  private readonly byKey = new Map<string, Series>();
  private readonly byName = new Map<string, Series[]>();
  private all: Series[] = [];
  /** Bumped whenever a series is added, so selector caches know to refresh. */
  version = 0;
  private readonly selectCache = new Map<string, { version: number; series: Series[] }>();
  /** The storage version at which a series of each metric name last appeared. */
  private readonly nameVersion = new Map<string, number>();
  /** The series the last `add` wrote: windows and rules often write one series many times in a row. */
  private last: Series | undefined;
  /** Write counters: per metric name, and over all series. */
  private readonly nameWrites = new Map<string, { n: number }>();
  private allWrites = 0;

  /**
   * A number that changes whenever a sample of metric `name` (any metric when undefined) is
   * written or such a series appears, so a query result read from them can be reused until then.
   */
  generation(name: string | undefined): number {
    return name === undefined ? this.allWrites : (this.nameWrites.get(name)?.n ?? 0);
  }

  /** Appends a sample; samples of one series may come in any order (a same-time sample replaces). */
  add(labels: Labels, t: number, v: number, stale = false): Series {
    const s = this.last !== undefined && this.last.labels === labels ? this.last : this.seriesOf(labels);
    this.last = s;
    s.writes.n++;
    this.allWrites++;
    const n = s.n;
    if (n > 0 && s.ts[n - 1]! >= t) {
      const i = upperBound(s.ts, t, n);
      if (i > 0 && s.ts[i - 1] === t) {
        s.vs[i - 1] = v;
        if (stale) (s.stale ??= new Set()).add(i - 1);
        else s.stale?.delete(i - 1);
        return s;
      }
      insertAt(s, i, t, v, stale);
      return s;
    }
    if (n === s.ts.length) grow(s, n * 2);
    s.ts[n] = t;
    s.vs[n] = v;
    s.n = n + 1;
    if (stale) (s.stale ??= new Set()).add(n);
    return s;
  }

  /** The series of `labels`, created empty when new. */
  private seriesOf(labels: Labels): Series {
    const key = labelsKey(labels);
    let s = this.byKey.get(key);
    if (s !== undefined) return s;
    const name = labels.__name__ ?? "";
    let writes = this.nameWrites.get(name);
    if (writes === undefined) this.nameWrites.set(name, (writes = { n: 0 }));
    s = { labels, key, ts: new Float64Array(INITIAL_CAPACITY), vs: new Float64Array(INITIAL_CAPACITY), n: 0, writes, stale: undefined };
    this.byKey.set(key, s);
    this.version++;
    this.nameVersion.set(name, this.version);
    const list = this.byName.get(name);
    if (list === undefined) this.byName.set(name, [s]);
    else list.push(s);
    this.all.push(s);
    return s;
  }

  /** Releases the spare capacity of every series (call once a window is loaded). */
  compact(): void {
    for (const s of this.all) if (s.ts.length > s.n) grow(s, s.n);
  }

  /**
   * The series a selector's matchers select, in Prometheus' label order. `key` is
   * {@link matchersKey} of `matchers`; the result is cached until a series it could match is added.
   */
  select(key: string, matchers: readonly Matcher[], tests: readonly LabelTest[]): readonly Series[] {
    const hit = this.selectCache.get(key);
    const named = matchers.find((m) => m.name === "__name__" && m.op === "=");
    // A selector naming its metric only goes stale when a series of that name appears.
    if (hit !== undefined && (named === undefined ? hit.version === this.version : hit.version >= (this.nameVersion.get(named.value) ?? 0))) return hit.series;
    const series = this.selectUncached(matchers, tests);
    this.selectCache.set(key, { version: this.version, series });
    return series;
  }

  private selectUncached(matchers: readonly Matcher[], tests: readonly LabelTest[]): Series[] {
    const nameIdx = matchers.findIndex((m) => m.name === "__name__" && m.op === "=");
    const candidates = nameIdx >= 0 ? (this.byName.get(matchers[nameIdx]!.value) ?? []) : this.all;
    const out: Series[] = [];
    for (const s of candidates) {
      let ok = true;
      for (let i = 0; i < matchers.length; i++) {
        if (!tests[i]!(s.labels[matchers[i]!.name] ?? "")) {
          ok = false;
          break;
        }
      }
      if (ok) out.push(s);
    }
    return out.sort(compareSeries);
  }

  /** Number of series held. */
  get size(): number {
    return this.byKey.size;
  }
}

/** labels.Compare order: the canonical keys compare as strings exactly as the label sets do. */
function compareSeries(a: Series, b: Series): number {
  return compareStrings(a.key, b.key);
}

function grow(s: Series, capacity: number): void {
  const cap = Math.max(capacity, s.n, 1);
  const ts = new Float64Array(cap);
  const vs = new Float64Array(cap);
  ts.set(s.ts.subarray(0, s.n));
  vs.set(s.vs.subarray(0, s.n));
  s.ts = ts;
  s.vs = vs;
}

function insertAt(s: Series, i: number, t: number, v: number, stale: boolean): void {
  if (s.n === s.ts.length) grow(s, s.n * 2);
  s.ts.copyWithin(i + 1, i, s.n);
  s.vs.copyWithin(i + 1, i, s.n);
  s.ts[i] = t;
  s.vs[i] = v;
  s.n++;
  if (s.stale !== undefined) s.stale = new Set([...s.stale].map((j) => (j >= i ? j + 1 : j)));
  if (stale) (s.stale ??= new Set()).add(i);
}

/** First index below `n` whose timestamp is greater than `t` (`n` when none). */
export function upperBound(ts: ArrayLike<number>, t: number, n = ts.length): number {
  let lo = 0,
    hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index below `n` whose timestamp is at least `t` (`n` when none). */
export function lowerBound(ts: ArrayLike<number>, t: number, n = ts.length): number {
  let lo = 0,
    hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
