/**
 * The value sets groups and episodes gather (scope values, signals), in compact forms: a window
 * can open hundreds of thousands of groups that stay in the report, and most hold one value per
 * scope key and one signal. A `Set` costs about 200 bytes even empty; these forms cost a field.
 *
 * - A scope key's values are `undefined` (none), the one value seen, or a `Set` once a second
 *   value arrives. Values keep their first-seen order in every form, so "the first n values"
 *   (a decision's target when it was made) means the same as with a `Set` from the start.
 * - Signals are a bit mask over {@link SIGNALS}.
 */
import { compareStrings } from "../compare.js";
import { SIGNALS, type NormalizedEvent, type Signal } from "../event.js";
import type { ScopeValues } from "./types.js";

/** Distinct strings in first-seen order: none, one, or a `Set` from the second on. */
export type Values = string | Set<string> | undefined;

/** Adds `x` (kept if new) and returns the updated values. */
export function addValue(v: Values, x: string): Values {
  if (v === undefined) return x;
  if (typeof v === "string") return v === x ? v : new Set([v, x]);
  v.add(x);
  return v;
}

export function valuesSize(v: Values): number {
  return v === undefined ? 0 : typeof v === "string" ? 1 : v.size;
}

/** The values as a set; the live `Set` when there is one (it may keep growing), else a new one. */
export function valuesSet(v: Values): ReadonlySet<string> {
  return v === undefined ? new Set() : typeof v === "string" ? new Set([v]) : v;
}

function sortedValues(v: Values): string[] {
  return v === undefined ? [] : typeof v === "string" ? [v] : [...v].sort(compareStrings);
}

/** Adds `from`'s values to `into` (after its own) and returns the updated values. */
export function addValues(into: Values, from: Values): Values {
  if (from === undefined) return into;
  if (typeof from === "string") return addValue(into, from);
  // A fresh set: `from` may be held by a decision that must not see `into`'s values.
  const out = into === undefined ? new Set<string>() : typeof into === "string" ? new Set([into]) : into;
  for (const x of from) out.add(x);
  return out;
}

/** Scope values per key, growing as events arrive. */
export interface ScopeAcc {
  service: Values;
  region: Values;
  pop: Values;
  host: Values;
}

export function newScopeAcc(): ScopeAcc {
  return { service: undefined, region: undefined, pop: undefined, host: undefined };
}

export function addScope(into: ScopeAcc, scope: NormalizedEvent["scope"]): void {
  if (scope.service !== undefined) into.service = addValue(into.service, scope.service);
  if (scope.region !== undefined) into.region = addValue(into.region, scope.region);
  if (scope.pop !== undefined) into.pop = addValue(into.pop, scope.pop);
  if (scope.host !== undefined) into.host = addValue(into.host, scope.host);
}

/** Adds `from`'s values to `into`, after `into`'s own. */
export function mergeScope(into: ScopeAcc, from: ScopeAcc): void {
  into.service = addValues(into.service, from.service);
  into.region = addValues(into.region, from.region);
  into.pop = addValues(into.pop, from.pop);
  into.host = addValues(into.host, from.host);
}

export function scopeSize(s: ScopeAcc): number {
  return valuesSize(s.service) + valuesSize(s.region) + valuesSize(s.pop) + valuesSize(s.host);
}

/** The values per key, sorted, as a result reports them. */
export function freezeScope(s: ScopeAcc): ScopeValues {
  return { service: sortedValues(s.service), region: sortedValues(s.region), pop: sortedValues(s.pop), host: sortedValues(s.host) };
}

const NO_VALUES: readonly string[] = [];

/**
 * Makes the (readonly) arrays a result reports for scope values and signals, sharing one array
 * among every group and incident with the same single value, no value, or the same signals:
 * most of a window's groups hold one value per key, so a result of many groups holds a few
 * arrays instead of five per group.
 */
export class ResultValues {
  private readonly single = new Map<string, readonly string[]>();
  private readonly masks = new Map<number, readonly Signal[]>();

  private lastValues: ScopeValues | null = null;

  /**
   * The scope as reported; the object itself is shared by consecutive calls whose four arrays
   * are the same shared arrays (a window's groups mostly have one value per key, the same for
   * long runs), since results are never modified.
   */
  scope(s: ScopeAcc): ScopeValues {
    return this.scopeOf(s.service, s.region, s.pop, s.host);
  }

  /** {@link scope} of the values per key, for a holder that is no {@link ScopeAcc} (the group store's columns). */
  scopeOf(serviceValues: Values, regionValues: Values, popValues: Values, hostValues: Values): ScopeValues {
    const service = this.values(serviceValues),
      region = this.values(regionValues),
      pop = this.values(popValues),
      host = this.values(hostValues);
    const last = this.lastValues;
    if (last !== null && last.service === service && last.region === region && last.pop === pop && last.host === host) return last;
    const out = { service, region, pop, host };
    this.lastValues = out;
    return out;
  }

  signals(mask: number): readonly Signal[] {
    let out = this.masks.get(mask);
    if (out === undefined) {
      out = maskSignals(mask);
      this.masks.set(mask, out);
    }
    return out;
  }

  private values(v: Values): readonly string[] {
    if (v === undefined) return NO_VALUES;
    if (typeof v !== "string") return sortedValues(v);
    let out = this.single.get(v);
    if (out === undefined) {
      out = [v];
      this.single.set(v, out);
    }
    return out;
  }
}

const SIGNAL_BIT = Object.fromEntries(SIGNALS.map((sig, i) => [sig, 1 << i])) as Readonly<Record<Signal, number>>;
/** Signals in the order results list them (code-unit order of their names). */
const SIGNALS_SORTED = [...SIGNALS].sort(compareStrings);

/** The bit of one signal in a signal mask. */
export function signalBit(sig: Signal): number {
  return SIGNAL_BIT[sig];
}

/** The number of signals in a mask. */
export function signalCount(mask: number): number {
  let n = 0;
  for (let m = mask; m !== 0; m &= m - 1) n++;
  return n;
}

/** The signals of a mask, sorted by name. */
export function maskSignals(mask: number): Signal[] {
  return SIGNALS_SORTED.filter((sig) => (mask & SIGNAL_BIT[sig]) !== 0);
}
