/**
 * Label sets: plain records, compared and keyed the way Prometheus orders them.
 *
 * Label sets are never mutated once made, so what is derived from one (its key, the set without
 * `__name__`, a grouping or matching signature) is memoised on the object. A series' label set
 * lives as long as the storage, and derived sets are memoised too, so from the second evaluation
 * step on a query finds each derived set (and its key) instead of rebuilding it.
 */
import { compareStrings } from "../compare.js";

export type Labels = Readonly<Record<string, string>>;

const keyCache = new WeakMap<Labels, string>();
const dropNameCache = new WeakMap<Labels, Labels>();

/** A per-site memo of something derived from a label set (a signature, a result label set). */
export class LabelMemo<T> {
  private readonly cache = new WeakMap<Labels, T>();

  /** `derive(l)`, computed once per label set object. */
  get(l: Labels, derive: (l: Labels) => T): T {
    let v = this.cache.get(l);
    if (v === undefined) {
      v = derive(l);
      this.cache.set(l, v);
    }
    return v;
  }
}

/** A memo per syntax-tree node (or other long-lived owner) of {@link LabelMemo}s. */
export class SiteMemo<T> {
  private readonly sites = new WeakMap<object, LabelMemo<T>>();

  /** The memo of `site`. */
  at(site: object): LabelMemo<T> {
    let m = this.sites.get(site);
    if (m === undefined) this.sites.set(site, (m = new LabelMemo<T>()));
    return m;
  }
}

/** A canonical string for a label set (sorted names; separators no label can contain). */
export function labelsKey(l: Labels): string {
  let k = keyCache.get(l);
  if (k === undefined) {
    const names = Object.keys(l).sort(compareStrings);
    k = names.map((n) => `${n}\u0000${l[n]!}`).join("\u0001");
    keyCache.set(l, k);
  }
  return k;
}

/** Prometheus' `labels.Compare`: name by name, then value, then the shorter set first. */
export function compareLabels(a: Labels, b: Labels): number {
  const an = Object.keys(a).sort(compareStrings);
  const bn = Object.keys(b).sort(compareStrings);
  const n = Math.min(an.length, bn.length);
  for (let i = 0; i < n; i++) {
    const c = compareStrings(an[i]!, bn[i]!);
    if (c !== 0) return c;
    const v = compareStrings(a[an[i]!]!, b[bn[i]!]!);
    if (v !== 0) return v;
  }
  return an.length - bn.length;
}

/** The set without `__name__` (the same object for the same input). */
export function dropName(l: Labels): Labels {
  if (l.__name__ === undefined) return l;
  let out = dropNameCache.get(l);
  if (out === undefined) {
    const o: Record<string, string> = {};
    for (const k in l) if (k !== "__name__") o[k] = l[k]!;
    dropNameCache.set(l, (out = o));
  }
  return out;
}

/** A copy with `name` set to `value`; an empty value deletes the label, as in Prometheus. */
export function withLabel(l: Labels, name: string, value: string): Labels {
  const out: Record<string, string> = {};
  for (const k in l) if (k !== name) out[k] = l[k]!;
  if (value !== "") out[name] = value;
  return out;
}

/** The signature used to match series: only `names` (on), or all but `names` and `__name__` (ignoring). */
export function signature(l: Labels, on: boolean, names: readonly string[]): string {
  if (on) return names.map((n) => `${n}\u0000${l[n] ?? ""}`).join("\u0001");
  const keys = Object.keys(l)
    .filter((k) => k !== "__name__" && !names.includes(k))
    .sort(compareStrings);
  return keys.map((n) => `${n}\u0000${l[n]!}`).join("\u0001");
}

/** Renders `{a="b", c="d"}` (name first when present), as Prometheus prints series. */
export function formatLabels(l: Labels): string {
  const name = l.__name__ ?? "";
  const rest = Object.keys(l)
    .filter((k) => k !== "__name__")
    .sort(compareStrings);
  const inner = rest.map((k) => `${k}=${JSON.stringify(l[k])}`).join(", ");
  return rest.length === 0 && name !== "" ? name : `${name}{${inner}}`;
}
