/**
 * The deterministic, streaming correlation engine (docs/engine.md): suppress → detect → group →
 * correlate → incident → actions, one event at a time, holding only open state plus the
 * groups and incidents it reports. Same events and policy ⇒ same result, byte for byte.
 */
import { compareNumbers, compareStrings } from "../compare.js";
import { SEVERITIES, SEVERITY_RANK, type NormalizedEvent, type ScopeKey, type Severity } from "../event.js";
import { shortId } from "../hash.js";
import type { CompiledAction, CompiledDetect, CompiledPolicy } from "../policy/compile.js";
import { DECISIONS, type Decision } from "../window/manifest.js";
import { GroupStore, NO_GROUP } from "./group-store.js";
import { liveEvents, liveIds, type Contribution, type Pending } from "./detect/kind.js";
import { renderTitle } from "./title.js";
import { TraceRecorder, Halt, type TraceStep } from "./trace.js";
import type { ActionDecision, AlertGroup, EngineResult, Incident, ReplayCounts, Snapshot } from "./types.js";
import { addScope, mergeScope, newScopeAcc, ResultValues, scopeSize, signalBit, signalCount, valuesSet, valuesSize, type ScopeAcc } from "./value-sets.js";

/**
 * Stale detect windows and expired open groups are swept every so many events, or after as
 * many events as there is open state to sweep, so sweeping costs O(1) per event amortised.
 * Sweeping only frees memory (every read checks times itself), so the period bounds how much
 * dead state can pile up between sweeps: at most 4096 events' worth, a few hundred KB, while a
 * sweep over a small state stays rare enough not to show in the per-event cost.
 */
const SWEEP_EVERY = 4096;

/**
 * Everything one (detect rule, fingerprint) holds: its pending detect window (the {@link Pending}
 * it is) and its latest alert group. One map entry serves both, so an event looks its
 * fingerprint up once, and firing neither deletes a pending state nor adds an open group: a
 * window of many short-lived fingerprints (thousands of flapping peers) churns no map. The
 * pending part is empty when there is no pending state; then the map keeps only the group's
 * number in the slot's place (see {@link Engine.slots}), and nothing when there is no group.
 */
interface Slot extends Pending {
  /** Its key: the one copy of the fingerprint its groups keep (each event makes its own). */
  readonly fingerprint: string;
  /** {@link NO_PENDING} while there is no pending state: an open group's slot holds no array of its own. */
  events: Contribution[];
  /** The latest group of this fingerprint, open while `now − end ≤ dedupe_within`; {@link NO_GROUP} when none or swept. */
  group: number;
}

/**
 * Linked groups and what their incident derives from them, kept up to date as groups open,
 * grow and link, so an incident never has to be rebuilt from its groups while events flow.
 * Every set only grows; two episodes merge by moving the lighter into the heavier, so each
 * value moves O(log n) times in all.
 */
interface Episode {
  /** Its groups' numbers in the {@link GroupStore}, in no particular order; sorted (by `GroupStore.compare`) when results are built. */
  readonly groups: number[];
  /** The earliest group: it names the incident. */
  first: number;
  /** Set once the episode qualifies as an incident. */
  incident: string | null;
  /** The group `incident` was derived from: while it is still `first`, the id stands. */
  incidentOf: number;
  standalone: boolean;
  readonly rules: Set<string>;
  signals: number;
  readonly scope: ScopeAcc;
  /** Per action (index into `policy.actions`) whose target is not a scope key: the target values of the groups' first events. */
  readonly targets: (Set<string> | null)[];
  severity: number;
  /** In ms after {@link Engine.origin}, as a group's times. */
  end: number;
  alerts: number;
}

/**
 * A decision as the engine holds it: the target is a set that may keep growing and the size
 * it had at the decision, so deciding again does not copy or sort it. Sets only grow, so the
 * first `targetSize` values in insertion order are the target at that moment.
 */
interface HeldDecision extends Omit<ActionDecision, "target"> {
  readonly targetSet: ReadonlySet<string>;
  readonly targetSize: number;
}

/** Options for one engine run. */
export interface EngineOptions {
  /** Stop right after this trace index is recorded (time travel): see {@link snapshotAt}. */
  readonly stopAfterTrace?: number | undefined;
  /**
   * Keep every trace entry in the result (`--trace`, evidence, time travel by index). Without
   * it the trace is folded into its signatures as it grows and `result.trace` is empty.
   */
  readonly trace?: boolean | undefined;
  /** Called with each step's fields as it is recorded, kept or not (no signature: see {@link TraceStep}). */
  readonly onStep?: ((step: TraceStep) => void) | undefined;
  /**
   * The number of events the window holds (its pinned count). A count rule that needs more
   * can never fire in it, so it holds no pending state; see {@link unreachableThresholds}.
   */
  readonly windowEvents?: number | undefined;
}

/** The events of a slot with no pending state: shared, and frozen so that a push fails loudly. */
const NO_PENDING: Contribution[] = Object.freeze([]) as unknown as Contribution[];

/** An empty list to iterate, made once. */
const NONE: readonly never[] = [];

function hasAll<T>(set: ReadonlySet<T>, xs: readonly T[]): boolean {
  for (const x of xs) if (!set.has(x)) return false;
  return true;
}

function addAll<T>(into: Set<T>, from: ReadonlySet<T>): void {
  for (const v of from) into.add(v);
}

/** A running engine. Feed events in file order with {@link Engine.push}; then {@link Engine.finish}. */
export class Engine {
  private readonly policy: CompiledPolicy;
  private readonly trace: TraceRecorder;
  /**
   * Per detect rule (index), per fingerprint: its {@link Slot}, or, while it has no pending
   * state, just the number of its open group. A group outlives its detect window by
   * `dedupe_within` (minutes), and every object kept that long is copied by the collector: a
   * window of 20,000 flapping peers would keep 20,000 slots that hold nothing but a group.
   */
  private readonly slots: Map<string, Slot | number>[];
  /**
   * Per detect rule, the slot the rule's last event went to (null after a slot was dropped):
   * a stream's events often come in a row, and then only the first looks its fingerprint up.
   * A slot left with no pending state becomes its group's number when the rule's events move
   * on to another fingerprint (not at once: a count-1 rule firing on every event of one
   * fingerprint would otherwise make a slot per event).
   */
  private readonly lastSlot: (Slot | null)[];
  /** Per detect rule: false when its count exceeds what the window holds (it can never fire). */
  private readonly reachable: boolean[];
  /**
   * Per correlate rule, the latest group for each `on` key. Groups of one rule and key whose
   * starts are within `within` of each other are linked when the later opens, so a new group
   * linking to the latest of its key is linked to every candidate: O(1) per rule, any `within`.
   */
  private readonly latestByKey: Map<string, number>[];
  /** Per correlate rule id, its index in `policy.correlate`. */
  private readonly correlateIndex = new Map<string, number>();
  /** Per detect rule (index), the inhibit rules it is the source of, with their slot in `inhibitEnds`. */
  private readonly inhibitsFrom: { readonly key: (e: NormalizedEvent) => string | undefined; readonly slot: number }[][];
  /** True when some action's target is not a scope key, so groups keep their opening event's target values. */
  private readonly fieldTargets: boolean;
  /** Per action, the scope key its target names, or null when its target is another field. */
  private readonly targetScopeKeys: (ScopeKey | null)[];
  /** Per inhibit rule, the latest end of the open source groups for each `equal` key. */
  private readonly inhibitEnds: Map<string, number>[];
  private readonly inhibitIndex = new Map<string, number>();
  /** Every alert group, in opening order: a group is its index here. */
  private readonly groups = new GroupStore<Episode>();
  private readonly decisions = new Map<string, Map<string, HeldDecision>>();
  private readonly suppressed = new Map<string, number>();
  private readonly suppressedSevere = new Map<string, number>();
  private readonly inhibited = new Map<string, number>();
  private readonly alertsByRule = new Map<string, number>();
  private events = 0;
  private outOfScope = 0;
  private alerts = 0;
  private incidentTotal = 0;
  private now = 0;
  /**
   * The time of the first event, from which groups and episodes count their times (see
   * the group store's times); results report epoch milliseconds.
   */
  private origin = 0;
  private current = -1;
  private sinceSweep = 0;
  private sweepAfter = SWEEP_EVERY;
  /** True once `stopAfterTrace` was reached; further events are ignored. */
  halted = false;

  constructor(policy: CompiledPolicy, options: EngineOptions = {}) {
    this.policy = policy;
    this.trace = new TraceRecorder(options.trace === true, options.stopAfterTrace, options.onStep);
    this.slots = policy.detect.map(() => new Map());
    this.lastSlot = policy.detect.map(() => null);
    const cap = options.windowEvents;
    this.reachable = policy.detect.map((d) => cap === undefined || d.threshold.minEvents <= cap);
    this.latestByKey = policy.correlate.map(() => new Map());
    policy.correlate.forEach((c, i) => this.correlateIndex.set(c.id, i));
    this.inhibitEnds = [];
    this.inhibitsFrom = policy.detect.map(() => []);
    const detectIndex = new Map(policy.detect.map((d, i) => [d.id, i]));
    for (const list of policy.inhibitByTarget.values()) {
      for (const inh of list) {
        const slot = this.inhibitEnds.length;
        this.inhibitIndex.set(inh.id, slot);
        this.inhibitEnds.push(new Map());
        this.inhibitsFrom[detectIndex.get(inh.source)!]!.push({ key: inh.key, slot });
      }
    }
    this.fieldTargets = policy.actions.some((a) => !a.targetPath.startsWith("scope."));
    this.targetScopeKeys = policy.actions.map((a) => (a.targetPath.startsWith("scope.") ? (a.targetPath.slice(6) as ScopeKey) : null));
  }

  /** Processes one event; `id` is its 0-based position in the window's events file. */
  push(e: NormalizedEvent, id: number): void {
    if (this.halted) return;
    if (this.events++ === 0) this.origin = e.ts;
    this.now = e.ts;
    this.current = id;
    if (++this.sinceSweep >= this.sweepAfter) this.sweep();
    if (!this.policy.inScope(e)) {
      this.outOfScope++;
      return;
    }
    for (const s of this.policy.suppressBySignal[e.signal]) {
      if (s.test(e)) {
        bump(this.suppressed, s.id);
        if (e.severity === "major" || e.severity === "critical") bump(this.suppressedSevere, s.id);
        return;
      }
    }
    try {
      const detect = this.policy.detect;
      const candidates = this.policy.detectBySignal[e.signal];
      for (let k = 0; k < candidates.length; k++) {
        const i = candidates[k]!;
        const rule = detect[i]!;
        if (!this.reachable[i] || !rule.match(e)) continue;
        const fp = rule.fingerprint(e);
        const slots = this.slots[i]!;
        const recent = this.lastSlot[i]!;
        let entry: Slot | number | undefined;
        if (recent !== null && recent.fingerprint === fp) entry = recent;
        else {
          if (recent !== null) {
            this.lastSlot[i] = null;
            releaseSlot(slots, recent);
          }
          entry = slots.get(fp);
        }
        let slot: Slot;
        if (entry === undefined || typeof entry === "number" || entry.head >= entry.events.length) {
          if (!rule.threshold.starts(e)) continue;
          if (entry === undefined) {
            slot = { fingerprint: fp, events: [], head: 0, group: NO_GROUP };
            slots.set(fp, slot);
          } else if (typeof entry === "number") {
            // The key's own copy of the fingerprint, the one its group keeps.
            slot = { fingerprint: this.groups.fingerprints[entry]!, events: [], head: 0, group: entry };
            slots.set(fp, slot);
          } else {
            slot = entry;
            if (slot.events === NO_PENDING) slot.events = [];
          }
        } else slot = entry;
        this.lastSlot[i] = slot;
        if (rule.threshold.step(slot, e, id)) {
          // The window restarts: its events go to the alert, before anything is recorded.
          const live = liveEvents(slot);
          clearPending(slot);
          this.fire(rule, i, slot.fingerprint, e, live, slot);
        } else if (slot.head >= slot.events.length) {
          clearPending(slot);
          if (slot.group === NO_GROUP) {
            slots.delete(fp);
            this.lastSlot[i] = null;
          }
        }
      }
    } catch (err) {
      if (err !== Halt) throw err;
      this.halted = true;
    }
  }

  private sweep(): void {
    const detect = this.policy.detect;
    let live = 0;
    for (let i = 0; i < detect.length; i++) {
      const threshold = detect[i]!.threshold;
      const slots = this.slots[i]!;
      this.lastSlot[i] = null;
      // Counted as the pending states and open groups they hold, each one unit of state.
      // (forEach, unlike for…of over entries, makes no pair per entry.)
      slots.forEach((entry, fp) => {
        let group = entry as number;
        let pending = 0;
        if (typeof entry !== "number") {
          if (entry.head < entry.events.length && threshold.isStale(entry, this.now)) clearPending(entry);
          pending = entry.head < entry.events.length ? 1 : 0;
          group = entry.group;
        }
        if (group !== NO_GROUP && this.now - this.origin - this.groups.end(group) > this.policy.dedupeMs) group = NO_GROUP;
        // Setting an existing key while iterating adds no entry.
        if (pending === 0 && group === NO_GROUP) slots.delete(fp);
        else if (pending === 0) slots.set(fp, group);
        else (entry as Slot).group = group;
        live += pending + (group === NO_GROUP ? 0 : 1);
      });
    }
    this.policy.correlate.forEach((c, i) => {
      const latest = this.latestByKey[i]!;
      latest.forEach((g, key) => {
        if (this.now - this.origin - this.groups.start(g) > c.withinMs) latest.delete(key);
      });
      live += latest.size;
    });
    for (const ends of this.inhibitEnds) {
      ends.forEach((end, key) => {
        if (this.now - end > this.policy.dedupeMs) ends.delete(key);
      });
      live += ends.size;
    }
    this.sinceSweep = 0;
    this.sweepAfter = Math.max(SWEEP_EVERY, live);
  }

  /** `events`: the live events of the slot's window, which is already cleared. */
  private fire(rule: CompiledDetect, ruleIndex: number, fp: string, e: NormalizedEvent, events: readonly Contribution[], slot: Slot): void {
    this.alerts++;
    bump(this.alertsByRule, rule.id);
    this.trace.record(this.now, "alert.fire", this.current, rule.id, fp, this.alerts);
    for (const inh of this.policy.inhibitByTarget.get(rule.id) ?? NONE) {
      const key = inh.key(e);
      const end = key === undefined ? undefined : this.inhibitEnds[this.inhibitIndex.get(inh.id)!]!.get(key);
      if (end !== undefined && this.now - end <= this.policy.dedupeMs) {
        bump(this.inhibited, inh.id);
        this.trace.record(this.now, "alert.inhibit", this.current, inh.id, fp, this.alerts);
        return;
      }
    }
    let severity = rule.severity !== undefined ? SEVERITY_RANK[rule.severity] : -1;
    if (severity < 0) {
      for (const ev of events) if (ev.severity !== undefined) severity = Math.max(severity, SEVERITY_RANK[ev.severity]);
      if (severity < 0) severity = SEVERITY_RANK.minor;
    }
    const groups = this.groups;
    const existing = slot.group;
    const now = smallInt(this.now - this.origin);
    if (existing !== NO_GROUP && now - groups.end(existing) <= this.policy.dedupeMs) {
      let signals = 0;
      for (const ev of events) {
        signals |= signalBit(ev.signal);
        groups.addScope(existing, ev.scope);
        groups.pushId(existing, ev.id);
      }
      groups.extend(existing, now, severity, signals);
      const ep = groups.episodes[existing]!;
      if (ep !== null) {
        ep.end = Math.max(ep.end, now);
        ep.alerts++;
        ep.severity = Math.max(ep.severity, severity);
        ep.signals |= signals;
        for (const ev of events) addScope(ep.scope, ev.scope);
      }
      this.markInhibitSource(existing);
      if (ep !== null && ep.incident !== null) this.growIncident(ep, rule.id);
      return;
    }
    let signals = 0;
    for (const ev of events) signals |= signalBit(ev.signal);
    const inhibits = this.inhibitsFrom[ruleIndex]!;
    const group = groups.add(
      shortId("g", `${rule.id}\n${fp}\n${this.now}`),
      ruleIndex,
      fp,
      now,
      severity,
      signals,
      inhibits.length === 0 ? undefined : inhibits.length === 1 ? inhibits[0]!.key(e) : inhibits.map((inh) => inh.key(e)),
      this.fieldTargets ? this.policy.actions.map((a) => (a.targetPath.startsWith("scope.") ? undefined : stringOrUndefined(a.target(e)))) : null,
      events.length,
    );
    for (const ev of events) {
      groups.addScope(group, ev.scope);
      groups.pushId(group, ev.id);
    }
    slot.group = group;
    this.markInhibitSource(group);
    this.trace.record(this.now, "group.open", this.current, rule.id, groups.ids[group]!, groups.length);
    this.correlate(group, e);
  }

  /** Records that a group of an inhibit source rule is open until `dedupe_within` after now. */
  private markInhibitSource(g: number): void {
    const keys = this.groups.inhibitKeys[g];
    if (keys === undefined) return;
    const inhibits = this.inhibitsFrom[this.groups.ruleIndex(g)]!;
    if (typeof keys === "string") {
      this.inhibitEnds[inhibits[0]!.slot]!.set(keys, this.now);
      return;
    }
    for (let i = 0; i < inhibits.length; i++) {
      const key = keys[i];
      if (key !== undefined) this.inhibitEnds[inhibits[i]!.slot]!.set(key, this.now);
    }
  }

  /** The group's episode, made (of the group alone) the first time it is needed. */
  private episodeOf(g: number): Episode {
    const groups = this.groups;
    const had = groups.episodes[g]!;
    if (had !== null) return had;
    const rule = this.policy.detect[groups.ruleIndex(g)]!;
    const scope = newScopeAcc();
    groups.mergeScopeInto(scope, g);
    const ep: Episode = {
      groups: [g],
      first: g,
      incident: null,
      incidentOf: NO_GROUP,
      standalone: rule.standalone,
      rules: new Set([rule.id]),
      signals: groups.signals(g),
      scope,
      targets: this.policy.actions.map((a, i) => {
        if (a.targetPath.startsWith("scope.")) return null;
        const v = groups.targetValues[g]![i];
        return new Set(v === undefined ? [] : [v]);
      }),
      severity: groups.severity(g),
      end: groups.end(g),
      alerts: groups.alerts(g),
    };
    groups.episodes[g] = ep;
    return ep;
  }

  /** `e`: the event that opened the group, whose `on` values it links by. */
  private correlate(group: number, e: NormalizedEvent): void {
    // Distinct incidents the group linked to (a few: one per correlate rule at most); most
    // groups link to one, so the list is made only for a second.
    let linked: string | null = null;
    let moreLinked: string[] | null = null;
    const groups = this.groups;
    const rule = this.policy.detect[groups.ruleIndex(group)]!;
    for (const c of this.policy.correlateByRule.get(rule.id) ?? NONE) {
      const key = c.key(e);
      if (key === undefined) continue;
      const latest = this.latestByKey[this.correlateIndex.get(c.id)!]!;
      const other = latest.get(key);
      latest.set(key, group);
      if (other === undefined || this.now - this.origin - groups.start(other) > c.withinMs) continue;
      const theirs = this.episodeOf(other);
      if (theirs === groups.episodes[group]) continue;
      const inc = theirs.incident;
      if (inc !== null && inc !== linked) {
        if (linked === null) linked = inc;
        else if (moreLinked === null) moreLinked = [inc];
        else if (!moreLinked.includes(inc)) moreLinked.push(inc);
      }
      // A lone group joins a heavier episode without an episode of its own: what merging its
      // one-group episode into the heavier would do, without making that episode.
      if (groups.episodes[group] === null && this.loneWeight(group) < episodeWeight(theirs)) this.join(theirs, group);
      else this.merge(this.episodeOf(group), theirs);
    }
    if (groups.episodes[group] === null && !rule.standalone) return;
    const ep = this.episodeOf(group);
    const qualifies = ep.groups.length >= 2 || ep.standalone;
    if (!qualifies) return;
    const id = ep.incident !== null && ep.incidentOf === ep.first ? ep.incident : this.incidentId(ep);
    ep.incidentOf = ep.first;
    const linkedCount = linked === null ? 0 : 1 + (moreLinked === null ? 0 : moreLinked.length);
    ep.incident = id;
    this.incidentTotal += 1 - linkedCount;
    this.trace.record(this.now, linkedCount > 0 ? "incident.grow" : "incident.open", this.current, rule.id, id, this.incidentCount());
    if (linked !== null && (linked !== id || moreLinked !== null)) this.moveDecisions(moreLinked === null ? [linked] : [linked, ...moreLinked], id);
    this.decide(ep);
  }

  /** {@link episodeWeight} of the one-group episode {@link Engine.episodeOf} would make of `g`. */
  private loneWeight(g: number): number {
    const groups = this.groups;
    let w = 2 + signalCount(groups.signals(g)) + groups.scopeSize(g);
    const targetValues = groups.targetValues[g]!;
    if (targetValues !== null) for (const v of targetValues) if (v !== undefined) w++;
    return w;
  }

  private incidentId(ep: Episode): string {
    return shortId("inc", `${this.groups.fingerprints[ep.first]!}\n${this.origin + this.groups.start(ep.first)}`);
  }

  /** Adds a group that has no episode to `ep`, as {@link merge} would move its one-group episode. */
  private join(ep: Episode, g: number): void {
    const groups = this.groups;
    groups.episodes[g] = ep;
    ep.groups.push(g);
    if (groups.compare(g, ep.first) < 0) ep.first = g;
    const rule = this.policy.detect[groups.ruleIndex(g)]!;
    ep.standalone ||= rule.standalone;
    ep.rules.add(rule.id);
    ep.signals |= groups.signals(g);
    groups.mergeScopeInto(ep.scope, g);
    const targetValues = groups.targetValues[g]!;
    ep.targets.forEach((t, i) => {
      const v = targetValues?.[i];
      if (t !== null && v !== undefined) t.add(v);
    });
    ep.severity = Math.max(ep.severity, groups.severity(g));
    ep.end = Math.max(ep.end, groups.end(g));
    ep.alerts += groups.alerts(g);
  }

  /** Moves the lighter episode into the heavier; the groups' episodes follow. */
  private merge(a: Episode, b: Episode): void {
    const [into, from] = episodeWeight(a) >= episodeWeight(b) ? [a, b] : [b, a];
    for (const g of from.groups) {
      this.groups.episodes[g] = into;
      into.groups.push(g);
    }
    if (this.groups.compare(from.first, into.first) < 0) into.first = from.first;
    into.standalone ||= from.standalone;
    addAll(into.rules, from.rules);
    into.signals |= from.signals;
    mergeScope(into.scope, from.scope);
    into.targets.forEach((t, i) => {
      if (t !== null) addAll(t, from.targets[i]!);
    });
    into.severity = Math.max(into.severity, from.severity);
    into.end = Math.max(into.end, from.end);
    into.alerts += from.alerts;
    from.groups.length = 0;
    from.incident = null;
    from.incidentOf = NO_GROUP;
  }

  private growIncident(ep: Episode, rule: string): void {
    this.trace.record(this.now, "incident.grow", this.current, rule, ep.incident!, this.incidentCount());
    this.decide(ep);
  }

  private moveDecisions(from: readonly string[], to: string): void {
    const target = this.decisions.get(to) ?? new Map<string, HeldDecision>();
    for (const id of [...from].sort(compareStrings)) {
      if (id === to) continue;
      for (const [action, d] of this.decisions.get(id) ?? []) if (!target.has(action)) target.set(action, { ...d, incident: to });
      this.decisions.delete(id);
    }
    if (target.size > 0) this.decisions.set(to, target);
  }

  private decide(ep: Episode): void {
    const id = ep.incident!;
    const conf = this.policy.doc.incident.confidence;
    const confidence = roundConfidence(conf.base + conf.per_signal * signalCount(ep.signals));
    const actions = this.policy.actions;
    // Called each time an incident grows: plain loops, no closures made per call.
    for (let i = 0; i < actions.length; i++) {
      const action = actions[i]!;
      const when = action.rule.when;
      if (confidence < when.min_confidence || !hasAll(ep.rules, when.rules)) continue;
      const targets = ep.targets[i] ?? null;
      const scopeKey = this.targetScopeKeys[i]!;
      const breach = blastRadiusBreach(action.rule, ep.scope);
      const decision = decisionOf(action, breach, this.policy.doc.mode);
      const prev = this.decisions.get(id)?.get(action.rule.id);
      // Target sets only grow, and a decision carried over from a merged incident holds a subset
      // of the merged target: equal sizes are equal targets. Most growth changes neither, so
      // the decision is made only when it differs.
      if (prev !== undefined && prev.decision === decision && prev.targetSize === (targets !== null ? targets.size : valuesSize(ep.scope[scopeKey!]))) continue;
      const next = heldDecision(action, id, ep, targets ?? valuesSet(ep.scope[scopeKey!]), decision, breach, this.now);
      const byAction = this.decisions.get(id) ?? new Map<string, HeldDecision>();
      byAction.set(action.rule.id, next);
      this.decisions.set(id, byAction);
      this.trace.record(this.now, "action.decide", this.current, action.rule.id, `${action.rule.id}→${id}:${next.decision}`, this.decisions.size);
    }
  }

  private incidentCount(): number {
    return this.incidentTotal;
  }

  private episodes(): Episode[] {
    const out: Episode[] = [];
    const episodes = this.groups.episodes;
    for (let g = 0; g < episodes.length; g++) {
      const ep = episodes[g]!;
      if (ep !== null && ep.incident !== null && ep.first === g) out.push(ep);
    }
    return out;
  }

  /** `final`: finishing, when every group's ids are already its plain array ({@link Engine.finish}). */
  private buildIncident(ep: Episode, final: boolean, values: ResultValues): Incident {
    const store = this.groups;
    const groups = ep.groups.sort(store.compare);
    const rules = [...ep.rules].sort(compareStrings);
    const signals = values.signals(ep.signals);
    const scope = values.scope(ep.scope);
    const conf = this.policy.doc.incident.confidence;
    const severity = SEVERITIES[ep.severity]!;
    let events: number[];
    // A group's ids are ascending and unique (its detect windows fire in event order).
    if (groups.length === 1) events = store.idArray(groups[0]!, final);
    else {
      const all: number[] = [];
      // Groups in start order usually hold later events than the groups before them: then the
      // concatenation is already ascending and unique, and needs no sort.
      let ascending = true;
      const add = (x: number) => {
        if (ascending && all.length > 0 && x <= all[all.length - 1]!) ascending = false;
        all.push(x);
      };
      for (const g of groups) store.forEachId(g, add);
      events = ascending ? all : dedupeSorted(all.sort(compareNumbers));
    }
    return {
      id: ep.incident!,
      title: renderTitle(this.policy.doc.incident.title, { scope, rules, signals, severity, policy: this.policy.doc.metadata.name }),
      rules,
      signals,
      scope,
      start: this.origin + store.start(ep.first),
      end: this.origin + ep.end,
      severity,
      confidence: roundConfidence(conf.base + conf.per_signal * signals.length),
      alerts: ep.alerts,
      groups: groups.map((g) => store.ids[g]!),
      events,
    };
  }

  private counts(): ReplayCounts {
    const decisions = Object.fromEntries(DECISIONS.map((d) => [d, 0])) as Record<Decision, number>;
    for (const byAction of this.decisions.values()) for (const d of byAction.values()) decisions[d.decision]++;
    return {
      events: this.events,
      out_of_scope: this.outOfScope,
      alerts: this.alerts - sum(this.inhibited),
      groups: this.groups.length,
      incidents: this.incidentCount(),
      suppressed: sortedRecord(this.suppressed),
      suppressed_severe: sortedRecord(this.suppressedSevere),
      inhibited: sortedRecord(this.inhibited),
      alerts_by_rule: sortedRecord(this.alertsByRule),
      decisions,
    };
  }

  private freezeGroup(g: number, final: boolean, values: ResultValues): AlertGroup {
    const groups = this.groups;
    return {
      id: groups.ids[g]!,
      rule: this.policy.detect[groups.ruleIndex(g)]!.id,
      fingerprint: groups.fingerprints[g]!,
      start: this.origin + groups.start(g),
      end: this.origin + groups.end(g),
      alerts: groups.alerts(g),
      severity: SEVERITIES[groups.severity(g)]!,
      signals: values.signals(groups.signals(g)),
      scope: groups.frozenScope(g, values),
      events: groups.idArray(g, final),
      incident: groups.episodes[g]?.incident ?? null,
    };
  }

  /** The groups' results, in opening order; `filter`, when given, picks which. */
  private frozenGroups(final: boolean, values: ResultValues, filter?: (g: number) => boolean): AlertGroup[] {
    const out: AlertGroup[] = [];
    for (let g = 0; g < this.groups.length; g++) if (filter === undefined || filter(g)) out.push(this.freezeGroup(g, final, values));
    return out;
  }

  private sortedDecisions(incidents: readonly Incident[]): ActionDecision[] {
    const order = new Map(incidents.map((inc, i) => [inc.id, i]));
    const actionOrder = new Map(this.policy.actions.map((a, i) => [a.rule.id, i]));
    return [...this.decisions.values()]
      .flatMap((m) => [...m.values()])
      .sort((a, b) => order.get(a.incident)! - order.get(b.incident)! || actionOrder.get(a.action)! - actionOrder.get(b.action)!)
      .map(releaseDecision);
  }

  private incidents(final: boolean, values: ResultValues): Incident[] {
    return this.episodes()
      .map((ep) => this.buildIncident(ep, final, values))
      .sort(compareIncidents);
  }

  /** The engine's state now, as data. */
  snapshot(): Snapshot {
    const values = new ResultValues();
    const incidents = this.incidents(false, values);
    const pending: Snapshot["pending"][number][] = [];
    this.policy.detect.forEach((rule, i) => {
      this.slots[i]!.forEach((p, fp) => {
        if (typeof p !== "number" && p.head < p.events.length) pending.push({ rule: rule.id, fingerprint: fp, events: liveIds(p), since: p.events[p.head]!.ts });
      });
    });
    const step = this.trace.last();
    return {
      trace_index: step?.index ?? -1,
      at_ms: step?.at_ms ?? this.now,
      step: step ?? null,
      events_processed: this.events,
      counts: this.counts(),
      pending: pending.sort((a, b) => a.since - b.since || compareStrings(a.rule, b.rule) || compareStrings(a.fingerprint, b.fingerprint)),
      open_groups: this.frozenGroups(false, values, (g) => this.now - this.origin - this.groups.end(g) <= this.policy.dedupeMs),
      incidents,
      decisions: this.sortedDecisions(incidents),
    };
  }

  /** Ends the replay and returns the full result. */
  finish(): EngineResult {
    // No id is added any more: each group's ids become the plain array its result (and a
    // one-group incident's) shares, made once.
    this.groups.settleIds();
    const values = new ResultValues();
    const incidents = this.incidents(true, values);
    return {
      counts: this.counts(),
      groups: this.frozenGroups(true, values),
      incidents,
      decisions: this.sortedDecisions(incidents),
      trace: this.trace.entries,
      trace_length: this.trace.count(),
      last_state_signature: this.trace.last()?.state_signature ?? null,
      trace_signature: this.trace.traceSignature(),
      timeline_signature: this.trace.timelineSignature(),
    };
  }
}

/** The blast-radius limits an action checks, in the order a breach is reported. */
const BLAST_LIMITS = [
  { key: "pop", limit: "max_pops" },
  { key: "region", limit: "max_regions" },
  { key: "service", limit: "max_services" },
  { key: "host", limit: "max_hosts" },
] as const satisfies readonly { key: ScopeKey; limit: string }[];

/** The index in {@link BLAST_LIMITS} of the first limit the scope exceeds, or -1. */
function blastRadiusBreach(rule: CompiledAction["rule"], scope: ScopeAcc): number {
  for (let k = 0; k < BLAST_LIMITS.length; k++) {
    const { key, limit } = BLAST_LIMITS[k]!;
    const max = rule.blast_radius[limit];
    if (max !== undefined && valuesSize(scope[key]) > max) return k;
  }
  return -1;
}

function decisionOf(action: CompiledAction, breach: number, mode: "dry-run" | "enforce"): Decision {
  if (breach >= 0) return "blocked";
  if (mode === "dry-run") return "would-run";
  return action.rule.gate === "approval" ? "gated" : "run";
}

const REASONS: Readonly<Record<Exclude<Decision, "blocked">, string>> = {
  "would-run": "dry-run: would run",
  gated: "enforce: waits for approval",
  run: "enforce: runs without a gate",
};

function heldDecision(action: CompiledAction, incident: string, ep: Episode, targetSet: ReadonlySet<string>, decision: Decision, breach: number, now: number): HeldDecision {
  const rule = action.rule;
  let reason: string;
  if (decision === "blocked") {
    const { key, limit } = BLAST_LIMITS[breach]!;
    reason = `spans ${valuesSize(ep.scope[key])} ${key}s, blast_radius.${limit} is ${rule.blast_radius[limit]}`;
  } else reason = REASONS[decision];
  return { action: rule.id, incident, decision, targetSet, targetSize: targetSet.size, gate: rule.gate, at: now, reason };
}

/** The decision as reported: its target as it was when decided, sorted. */
function releaseDecision(d: HeldDecision): ActionDecision {
  const target: string[] = [];
  for (const v of d.targetSet) {
    if (target.length >= d.targetSize) break;
    target.push(v);
  }
  return { action: d.action, incident: d.incident, decision: d.decision, target: target.sort(compareStrings), gate: d.gate, at: d.at, reason: d.reason };
}

/** When `slot` has no pending state, leaves in its place only its group's number (or nothing, when none). */
function releaseSlot(slots: Map<string, Slot | number>, slot: Slot): void {
  if (slot.head < slot.events.length) return;
  if (slot.group === NO_GROUP) slots.delete(slot.fingerprint);
  else slots.set(slot.fingerprint, slot.group);
}

/** Drops a slot's pending state, as if it had none. */
function clearPending(slot: Slot): void {
  slot.events = NO_PENDING;
  slot.head = 0;
}

function episodeWeight(ep: Episode): number {
  let w = ep.groups.length + ep.rules.size + signalCount(ep.signals) + scopeSize(ep.scope);
  for (const t of ep.targets) if (t !== null) w += t.size;
  return w;
}

/**
 * `x`, as a value V8 keeps in an object's field itself when it is a 32-bit integer: the result
 * of a subtraction is a double to V8, and a field that first holds a double holds every later
 * value as a separate heap number.
 */
function smallInt(x: number): number {
  return (x | 0) === x ? x | 0 : x;
}

function roundConfidence(x: number): number {
  return Math.round(Math.min(1, x) * 1e6) / 1e6;
}

function stringOrUndefined(v: unknown): string | undefined {
  return v === undefined ? undefined : String(v);
}

function compareIncidents(a: Incident, b: Incident): number {
  return a.start - b.start || compareStrings(a.id, b.id);
}

function bump(m: Map<string, number>, key: string): void {
  m.set(key, (m.get(key) ?? 0) + 1);
}

function sum(m: Map<string, number>): number {
  let n = 0;
  for (const v of m.values()) n += v;
  return n;
}

function sortedRecord(m: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...m.entries()].sort((a, b) => compareStrings(a[0], b[0])));
}

function dedupeSorted(xs: number[]): number[] {
  let w = 0;
  for (let r = 0; r < xs.length; r++) if (r === 0 || xs[r] !== xs[r - 1]) xs[w++] = xs[r]!;
  xs.length = w;
  return xs;
}

export type { Severity };
