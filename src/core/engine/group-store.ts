/**
 * The engine's alert groups as columns: a group is a small integer, its numbers live in typed
 * arrays and its strings and values in plain arrays, one element per group each.
 *
 * Why columns: every group stays in the result, so every group survives the young generation and
 * the collector copies (then marks) each of its objects. As one object per group with its ids
 * array, a window of 20,000 chained peers kept about six heap objects per group; here a group
 * keeps its id and fingerprint strings and, when it gathers more than a few ids, their list.
 * The columns themselves are a few large objects whose numbers the collector never visits.
 */
import { compareStrings } from "../compare.js";
import type { NormalizedEvent } from "../event.js";
import { forEachId, idsArray, idsFrom, pushId, SMALL_IDS, type Ids } from "./id-list.js";
import type { ScopeValues } from "./types.js";
import { addValue, addValues, valuesSize, type ResultValues, type ScopeAcc, type Values } from "./value-sets.js";

/** No group: a slot or episode field that holds none. */
export const NO_GROUP = -1;

/** Room for this many groups at first; columns double from here. */
const FIRST_CAPACITY = 64;

/** Where a group's ids are: in the shared pool from `idStart[g]`, or (−1) in `idLists[g]`. */
const IN_LIST = -1;

/**
 * The groups of one engine run, in opening order (a group's number is its index). `E` is the
 * engine's episode type, which the store only holds.
 */
export class GroupStore<E> {
  length = 0;
  private capacity = FIRST_CAPACITY;
  /** Times in ms after the engine's origin (a double: a window may span more than 2^31 ms). */
  private startCol = new Float64Array(FIRST_CAPACITY);
  private endCol = new Float64Array(FIRST_CAPACITY);
  private alertsCol = new Float64Array(FIRST_CAPACITY);
  private severityCol = new Uint8Array(FIRST_CAPACITY);
  /** Signal bit masks ({@link signalBit}). */
  private signalsCol = new Int32Array(FIRST_CAPACITY);
  /** Index of each group's detect rule in `policy.detect`. */
  private ruleCol = new Int32Array(FIRST_CAPACITY);
  private idStart = new Float64Array(FIRST_CAPACITY);
  private idCount = new Int32Array(FIRST_CAPACITY);

  readonly ids: string[] = [];
  readonly fingerprints: string[] = [];
  /** Per group, its inhibit keys as the engine made them (see `Engine.markInhibitSource`). */
  readonly inhibitKeys: (string | readonly (string | undefined)[] | undefined)[] = [];
  /** Per group, per action, the target value of its opening event when the target is not a scope key; null when no action has such a target. */
  readonly targetValues: (readonly (string | undefined)[] | null)[] = [];
  readonly episodes: (E | null)[] = [];
  private readonly service: Values[] = [];
  private readonly region: Values[] = [];
  private readonly pop: Values[] = [];
  private readonly host: Values[] = [];
  /** A group's ids once they left the pool (more than {@link SMALL_IDS}, or grown after another group's). */
  private readonly idLists: (Ids | undefined)[] = [];

  /**
   * The ids of groups with few of them, back to back: most groups hold a handful of ids, and a
   * plain array of three ids is two heap objects per group. A group's ids stay here while they
   * are at most {@link SMALL_IDS} and it is the last group to add any.
   */
  private pool = new Float64Array(FIRST_CAPACITY * 4);
  private poolUsed = 0;

  /**
   * Opens a group with one alert, no episode, no scope values and no ids yet ({@link pushId}
   * and {@link addScope} add them); returns its number. `start` is in ms after the engine's
   * origin; `firstIds`: how many ids its first firing brings, so that a group that would leave
   * the pool at once starts outside it. (Fields as arguments, not an object, so that opening a
   * group allocates nothing but its strings.)
   */
  add(
    id: string,
    ruleIndex: number,
    fingerprint: string,
    start: number,
    severity: number,
    signals: number,
    inhibitKeys: string | readonly (string | undefined)[] | undefined,
    targetValues: readonly (string | undefined)[] | null,
    firstIds: number,
  ): number {
    const i = this.length;
    if (i === this.capacity) this.grow();
    this.length++;
    this.startCol[i] = start;
    this.endCol[i] = start;
    this.alertsCol[i] = 1;
    this.severityCol[i] = severity;
    this.signalsCol[i] = signals;
    this.ruleCol[i] = ruleIndex;
    this.ids.push(id);
    this.fingerprints.push(fingerprint);
    this.inhibitKeys.push(inhibitKeys);
    this.targetValues.push(targetValues);
    this.episodes.push(null);
    this.service.push(undefined);
    this.region.push(undefined);
    this.pop.push(undefined);
    this.host.push(undefined);
    this.idCount[i] = 0;
    if (firstIds <= SMALL_IDS) {
      this.idStart[i] = this.poolUsed;
      this.idLists.push(undefined);
    } else {
      this.idStart[i] = IN_LIST;
      this.idLists.push([]);
    }
    return i;
  }

  start(g: number): number {
    return this.startCol[g]!;
  }
  end(g: number): number {
    return this.endCol[g]!;
  }
  alerts(g: number): number {
    return this.alertsCol[g]!;
  }
  severity(g: number): number {
    return this.severityCol[g]!;
  }
  signals(g: number): number {
    return this.signalsCol[g]!;
  }
  ruleIndex(g: number): number {
    return this.ruleCol[g]!;
  }

  /** Records one more firing of the group, at `now` (ms after origin). */
  extend(g: number, now: number, severity: number, signals: number): void {
    this.endCol[g] = now;
    this.alertsCol[g] = this.alertsCol[g]! + 1;
    this.severityCol[g] = Math.max(this.severityCol[g]!, severity);
    this.signalsCol[g] = this.signalsCol[g]! | signals;
  }

  /** Appends an id larger than every id the group holds. */
  pushId(g: number, id: number): void {
    const start = this.idStart[g]!;
    if (start !== IN_LIST) {
      const n = this.idCount[g]!;
      if (start + n === this.poolUsed && n < SMALL_IDS) {
        if (!(n === 0 ? id >= 0 : id > this.pool[start + n - 1]!) || !Number.isSafeInteger(id)) {
          throw new Error(`IdList: event ids must be ascending safe integers (${id} after ${n === 0 ? -1 : this.pool[start + n - 1]})`);
        }
        if (this.poolUsed === this.pool.length) this.growPool();
        this.pool[this.poolUsed++] = id;
        this.idCount[g] = n + 1;
        return;
      }
      // Another group added ids since (or the pool part is full): the ids move to a list of
      // their own, as a group outside the pool would have held them all along.
      this.idLists[g] = idsFrom(this.poolIds(g));
      this.idStart[g] = IN_LIST;
    }
    this.idLists[g] = pushId(this.idLists[g]!, id);
  }

  /** The group's ids as a new plain array (or its own list's array, which no one changes any more, when `final`). */
  idArray(g: number, final: boolean): number[] {
    if (this.idStart[g] !== IN_LIST) return this.poolIds(g);
    const ids = this.idLists[g]!;
    return final && Array.isArray(ids) ? ids : idsArray(ids);
  }

  /** Calls `f` with each of the group's ids, in order. */
  forEachId(g: number, f: (id: number) => void): void {
    const start = this.idStart[g]!;
    if (start === IN_LIST) {
      forEachId(this.idLists[g]!, f);
      return;
    }
    const end = start + this.idCount[g]!;
    for (let k = start; k < end; k++) f(this.pool[k]!);
  }

  /** Turns every list of ids into the plain array a result reports (ids are no longer added). */
  settleIds(): void {
    for (let g = 0; g < this.length; g++) {
      const ids = this.idLists[g];
      if (ids !== undefined && !Array.isArray(ids)) this.idLists[g] = idsArray(ids);
    }
  }

  addScope(g: number, scope: NormalizedEvent["scope"]): void {
    if (scope.service !== undefined) this.service[g] = addValue(this.service[g], scope.service);
    if (scope.region !== undefined) this.region[g] = addValue(this.region[g], scope.region);
    if (scope.pop !== undefined) this.pop[g] = addValue(this.pop[g], scope.pop);
    if (scope.host !== undefined) this.host[g] = addValue(this.host[g], scope.host);
  }

  /** Adds the group's scope values to `into`, after its own (as `mergeScope` would). */
  mergeScopeInto(into: ScopeAcc, g: number): void {
    into.service = addValues(into.service, this.service[g]);
    into.region = addValues(into.region, this.region[g]);
    into.pop = addValues(into.pop, this.pop[g]);
    into.host = addValues(into.host, this.host[g]);
  }

  /** The number of scope values the group holds, all keys together. */
  scopeSize(g: number): number {
    return valuesSize(this.service[g]) + valuesSize(this.region[g]) + valuesSize(this.pop[g]) + valuesSize(this.host[g]);
  }

  /** The group's scope as a result reports it. */
  frozenScope(g: number, values: ResultValues): ScopeValues {
    return values.scopeOf(this.service[g], this.region[g], this.pop[g], this.host[g]);
  }

  /** Groups in start order, then by rule and fingerprint: the order results list them in. */
  readonly compare = (a: number, b: number): number => this.startCol[a]! - this.startCol[b]! || this.ruleCol[a]! - this.ruleCol[b]! || compareStrings(this.fingerprints[a]!, this.fingerprints[b]!);

  private poolIds(g: number): number[] {
    const start = this.idStart[g]!;
    const n = this.idCount[g]!;
    const out = new Array<number>(n);
    for (let k = 0; k < n; k++) out[k] = this.pool[start + k]!;
    return out;
  }

  private grow(): void {
    const n = this.capacity * 2;
    this.startCol = grown(this.startCol, new Float64Array(n));
    this.endCol = grown(this.endCol, new Float64Array(n));
    this.alertsCol = grown(this.alertsCol, new Float64Array(n));
    this.severityCol = grown(this.severityCol, new Uint8Array(n));
    this.signalsCol = grown(this.signalsCol, new Int32Array(n));
    this.ruleCol = grown(this.ruleCol, new Int32Array(n));
    this.idStart = grown(this.idStart, new Float64Array(n));
    this.idCount = grown(this.idCount, new Int32Array(n));
    this.capacity = n;
  }

  private growPool(): void {
    this.pool = grown(this.pool, new Float64Array(this.pool.length * 2));
  }
}

function grown<T extends Float64Array | Int32Array | Uint8Array>(from: T, into: T): T {
  into.set(from);
  return into;
}
