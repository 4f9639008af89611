/**
 * The samples a query reads: series with sorted timestamps, built from a window's metric events
 * and extended by recording rules. Stale markers (Prometheus' staleness NaN) are kept as a flag,
 * since a JavaScript NaN cannot carry Prometheus' payload bits.
 */
import { RE2JS } from "re2js";
import type { Matcher } from "./ast.js";
import { compareStrings } from "../compare.js";
import { labelsKey, type Labels } from "./labels.js";

/** One series: labels (with `__name__`), timestamps (ms, ascending), values, stale flags. */
export interface Series {
  readonly labels: Labels;
  readonly key: string;
  readonly ts: number[];
  readonly vs: number[];
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
      return m.op === "=~" ? (v) => re.matches(v) : (v) => !re.matches(v);
    }
  }
}

/** A set of series, indexed by metric name. */
export class Storage {
  private readonly byKey = new Map<string, Series>();
  private readonly byName = new Map<string, Series[]>();
  private sortedAll: Series[] | undefined;
  /** Bumped whenever a series is added, so selector caches know to refresh. */
  version = 0;

  /** Appends a sample; samples of one series must come in time order (a same-time sample replaces). */
  add(labels: Labels, t: number, v: number, stale = false): Series {
    const key = labelsKey(labels);
    let s = this.byKey.get(key);
    if (s === undefined) {
      s = { labels, key, ts: [], vs: [], stale: undefined };
      this.byKey.set(key, s);
      const name = labels.__name__ ?? "";
      this.nameVersion.set(name, this.version + 1);
      const list = this.byName.get(name);
      if (list === undefined) this.byName.set(name, [s]);
      else list.push(s);
      this.sortedAll = undefined;
      this.version++;
    }
    const n = s.ts.length;
    if (n > 0 && s.ts[n - 1]! >= t) {
      if (s.ts[n - 1] === t) {
        s.vs[n - 1] = v;
        if (stale) (s.stale ??= new Set()).add(n - 1);
        else s.stale?.delete(n - 1);
        return s;
      }
      insertSorted(s, t, v, stale);
      return s;
    }
    s.ts.push(t);
    s.vs.push(v);
    if (stale) (s.stale ??= new Set()).add(n);
    return s;
  }

  private readonly selectCache = new Map<string, { version: number; series: Series[] }>();
  /** The storage version at which a series of each metric name last appeared. */
  private readonly nameVersion = new Map<string, number>();

  /** The series a selector's matchers select, in Prometheus' label order (cached until a series is added). */
  select(matchers: readonly Matcher[], tests: readonly LabelTest[]): Series[] {
    const cacheKey = matchers.map((m) => `${m.name}\u0000${m.op}\u0000${m.value}`).join("\u0001");
    const hit = this.selectCache.get(cacheKey);
    const named = matchers.find((m) => m.name === "__name__" && m.op === "=");
    // A selector naming its metric only goes stale when a series of that name appears.
    if (hit !== undefined && (named === undefined ? hit.version === this.version : hit.version >= (this.nameVersion.get(named.value) ?? 0))) return hit.series;
    const series = this.selectUncached(matchers, tests);
    this.selectCache.set(cacheKey, { version: this.version, series });
    return series;
  }

  private selectUncached(matchers: readonly Matcher[], tests: readonly LabelTest[]): Series[] {
    const nameIdx = matchers.findIndex((m) => m.name === "__name__" && m.op === "=");
    let candidates: Series[];
    if (nameIdx >= 0) candidates = this.byName.get(matchers[nameIdx]!.value) ?? [];
    else {
      this.sortedAll ??= [...this.byKey.values()];
      candidates = this.sortedAll;
    }
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

function insertSorted(s: Series, t: number, v: number, stale: boolean): void {
  const i = upperBound(s.ts, t);
  if (i > 0 && s.ts[i - 1] === t) {
    s.vs[i - 1] = v;
    return;
  }
  s.ts.splice(i, 0, t);
  s.vs.splice(i, 0, v);
  if (s.stale !== undefined) s.stale = new Set([...s.stale].map((j) => (j >= i ? j + 1 : j)));
  if (stale) (s.stale ??= new Set()).add(i);
}

/** First index whose timestamp is greater than `t`. */
export function upperBound(ts: readonly number[], t: number): number {
  let lo = 0, hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose timestamp is at least `t`. */
export function lowerBound(ts: readonly number[], t: number): number {
  let lo = 0, hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
