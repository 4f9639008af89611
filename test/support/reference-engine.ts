/**
 * The engine as it was before issue 10 made it linear: it rebuilds an incident from its groups
 * on every change and scans every recent group for correlation. Quadratic, but simple enough to
 * read as the specification; the fuzz suite checks that the streaming engine agrees with it on
 * seeded windows and policies. Test-only: never imported by src/.
 */
import { compareNumbers, compareStrings, sortedUnique } from "../../src/core/compare.js";
import { SCOPE_KEYS, SEVERITIES, SEVERITY_RANK, type NormalizedEvent, type Signal } from "../../src/core/event.js";
import { shortId } from "../../src/core/hash.js";
import type { CompiledAction, CompiledDetect, CompiledPolicy } from "../../src/core/policy/compile.js";
import { DECISIONS, type Decision } from "../../src/core/window/manifest.js";
import { renderTitle } from "../../src/core/engine/title.js";
import { Sha256Stream, sha256Hex } from "../../src/core/hash.js";
import type { TraceEntry, TraceLabel } from "../../src/core/engine/types.js";
import type { ActionDecision, AlertGroup, EngineResult, Incident, ReplayCounts, ScopeValues, Snapshot } from "../../src/core/engine/types.js";

const SWEEP_EVERY = 4096;

interface ScopeSets { service: Set<string>; region: Set<string>; pop: Set<string>; host: Set<string> }

interface GroupState {
  readonly id: string;
  readonly rule: string;
  readonly ruleIndex: number;
  readonly fingerprint: string;
  readonly start: number;
  end: number;
  alerts: number;
  severity: number;
  readonly signals: Set<Signal>;
  readonly scope: ScopeSets;
  readonly events: number[];
  /** The event that fired the group's first alert: the values `on`, `equal` and targets read. */
  readonly first: NormalizedEvent;
  standalone: boolean;
  episode: Episode;
}

interface Episode {
  groups: GroupState[];
  /** Set once the episode qualifies as an incident. */
  incident: string | null;
}

/** Options for one engine run. */
export interface EngineOptions {
  /** Stop right after this trace index is recorded (time travel): see {@link snapshotAt}. */
  readonly stopAfterTrace?: number | undefined;
}

function newScopeSets(): ScopeSets {
  return { service: new Set(), region: new Set(), pop: new Set(), host: new Set() };
}

function addScope(into: ScopeSets, e: NormalizedEvent): void {
  const s = e.scope;
  if (s.service !== undefined) into.service.add(s.service);
  if (s.region !== undefined) into.region.add(s.region);
  if (s.pop !== undefined) into.pop.add(s.pop);
  if (s.host !== undefined) into.host.add(s.host);
}

function freezeScope(sets: readonly ScopeSets[]): ScopeValues {
  const pick = (k: (typeof SCOPE_KEYS)[number]) => sortedUnique(sets.flatMap((s) => [...s[k]]));
  return { service: pick("service"), region: pick("region"), pop: pick("pop"), host: pick("host") };
}

const SIGNAL_ORDER = (a: Signal, b: Signal) => compareStrings(a, b);

/** A running engine. Feed events in file order with {@link Engine.push}; then {@link Engine.finish}. */
export class ReferenceEngine {
  private readonly policy: CompiledPolicy;
  private readonly trace: TraceRecorder;
  private readonly pending: Map<string, Pending>[];
  private readonly open = new Map<string, Map<string, GroupState>>();
  private readonly recent: GroupState[] = [];
  private recentHead = 0;
  private readonly groups: GroupState[] = [];
  private readonly decisions = new Map<string, Map<string, ActionDecision>>();
  private readonly suppressed = new Map<string, number>();
  private readonly suppressedSevere = new Map<string, number>();
  private readonly inhibited = new Map<string, number>();
  private readonly alertsByRule = new Map<string, number>();
  private events = 0;
  private outOfScope = 0;
  private alerts = 0;
  private incidentTotal = 0;
  private now = 0;
  private current = -1;
  /** True once `stopAfterTrace` was reached; further events are ignored. */
  halted = false;

  constructor(policy: CompiledPolicy, options: EngineOptions = {}) {
    this.policy = policy;
    this.trace = new TraceRecorder(options.stopAfterTrace);
    this.pending = policy.detect.map(() => new Map());
    for (const d of policy.detect) this.open.set(d.id, new Map());
  }

  /** Processes one event; `id` is its 0-based position in the window's events file. */
  push(e: NormalizedEvent, id: number): void {
    if (this.halted) return;
    this.events++;
    this.now = e.ts;
    this.current = id;
    if (this.events % SWEEP_EVERY === 0) this.sweep();
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
        if (!rule.match(e)) continue;
        const fp = rule.fingerprint(e);
        const states = this.pending[i]!;
        let p = states.get(fp);
        if (p === undefined) {
          // A level rule whose condition does not hold has nothing to start.
          const t = rule.threshold;
          if (t.kind === "level" && (e.value === undefined || !t.holds(e.value))) continue;
          p = newPending();
          states.set(fp, p);
        }
        if (stepDetect(rule, p, e, id)) {
          states.delete(fp);
          this.fire(rule, i, fp, e, p);
        } else if (p.head >= p.events.length) {
          states.delete(fp);
        }
      }
    } catch (err) {
      if (err !== Halt) throw err;
      this.halted = true;
    }
  }

  private sweep(): void {
    const detect = this.policy.detect;
    for (let i = 0; i < detect.length; i++) {
      for (const [fp, p] of this.pending[i]!) if (isStale(detect[i]!, p, this.now)) this.pending[i]!.delete(fp);
    }
    for (const byFp of this.open.values()) {
      for (const [fp, g] of byFp) if (this.now - g.end > this.policy.dedupeMs) byFp.delete(fp);
    }
    while (this.recentHead < this.recent.length && this.now - this.recent[this.recentHead]!.start > this.policy.maxWithinMs) this.recentHead++;
    if (this.recentHead > 1024) {
      this.recent.splice(0, this.recentHead);
      this.recentHead = 0;
    }
  }

  private fire(rule: CompiledDetect, ruleIndex: number, fp: string, e: NormalizedEvent, p: Pending): void {
    this.alerts++;
    bump(this.alertsByRule, rule.id);
    const events = p.events.slice(p.head);
    const ids = liveIds(p);
    this.trace.record(this.now, "alert.fire", this.current, rule.id, fp, this.alerts);
    for (const inh of this.policy.inhibitByTarget.get(rule.id) ?? []) {
      for (const g of this.open.get(inh.source)!.values()) {
        if (this.now - g.end > this.policy.dedupeMs) continue;
        if (inh.equal.every((get) => get(g.first) !== undefined && get(g.first) === get(e))) {
          bump(this.inhibited, inh.id);
          this.trace.record(this.now, "alert.inhibit", this.current, inh.id, fp, this.alerts);
          return;
        }
      }
    }
    let severity = rule.severity !== undefined ? SEVERITY_RANK[rule.severity] : -1;
    if (severity < 0) {
      for (const ev of events) if (ev.severity !== undefined) severity = Math.max(severity, SEVERITY_RANK[ev.severity]);
      if (severity < 0) severity = SEVERITY_RANK.minor;
    }
    const byFp = this.open.get(rule.id)!;
    const existing = byFp.get(fp);
    if (existing !== undefined && this.now - existing.end <= this.policy.dedupeMs) {
      existing.end = this.now;
      existing.alerts++;
      existing.severity = Math.max(existing.severity, severity);
      for (const ev of events) {
        existing.signals.add(ev.signal);
        addScope(existing.scope, ev);
      }
      for (const x of ids) existing.events.push(x);
      if (existing.episode.incident !== null) this.growIncident(existing.episode, rule.id);
      return;
    }
    const group: GroupState = {
      id: shortId("g", `${rule.id}\n${fp}\n${this.now}`),
      rule: rule.id,
      ruleIndex,
      fingerprint: fp,
      start: this.now,
      end: this.now,
      alerts: 1,
      severity,
      signals: new Set(events.map((ev) => ev.signal)),
      scope: newScopeSets(),
      events: ids,
      first: e,
      standalone: rule.standalone,
      episode: { groups: [], incident: null },
    };
    group.episode.groups.push(group);
    for (const ev of events) addScope(group.scope, ev);
    byFp.set(fp, group);
    this.groups.push(group);
    this.trace.record(this.now, "group.open", this.current, rule.id, group.id, this.groups.length);
    this.correlate(group);
  }

  private correlate(group: GroupState): void {
    const linkedIncidents = new Set<string>();
    for (const c of this.policy.correlateByRule.get(group.rule) ?? []) {
      for (let i = this.recentHead; i < this.recent.length; i++) {
        const other = this.recent[i]!;
        if (this.now - other.start > c.withinMs || !c.rules.has(other.rule)) continue;
        if (other.episode === group.episode) continue;
        if (!c.on.every((get) => get(other.first) !== undefined && get(other.first) === get(group.first))) continue;
        if (other.episode.incident !== null) linkedIncidents.add(other.episode.incident);
        this.merge(group.episode, other.episode);
      }
    }
    this.recent.push(group);
    const ep = group.episode;
    const qualifies = ep.groups.length >= 2 || ep.groups.some((g) => g.standalone);
    if (!qualifies) return;
    const id = incidentId(ep);
    const wasIncident = linkedIncidents.size > 0;
    ep.incident = id;
    this.incidentTotal += 1 - linkedIncidents.size;
    this.trace.record(this.now, wasIncident ? "incident.grow" : "incident.open", this.current, group.rule, id, this.incidentCount());
    if (linkedIncidents.size > 0) this.moveDecisions(linkedIncidents, id);
    this.decide(ep);
  }

  /** Moves the groups of the smaller episode into the larger; `group.episode` follows. */
  private merge(a: Episode, b: Episode): void {
    const [into, from] = a.groups.length >= b.groups.length ? [a, b] : [b, a];
    for (const g of from.groups) {
      g.episode = into;
      into.groups.push(g);
    }
    // Keep the episode's groups in opening order: its first group names the incident.
    into.groups.sort(compareGroups);
    from.groups = [];
    from.incident = null;
  }

  private growIncident(ep: Episode, rule: string): void {
    this.trace.record(this.now, "incident.grow", this.current, rule, ep.incident!, this.incidentCount());
    this.decide(ep);
  }

  private moveDecisions(from: Set<string>, to: string): void {
    const target = this.decisions.get(to) ?? new Map<string, ActionDecision>();
    for (const id of [...from].sort(compareStrings)) {
      if (id === to) continue;
      for (const [action, d] of this.decisions.get(id) ?? []) if (!target.has(action)) target.set(action, { ...d, incident: to });
      this.decisions.delete(id);
    }
    if (target.size > 0) this.decisions.set(to, target);
  }

  private decide(ep: Episode): void {
    const inc = this.buildIncident(ep, false);
    for (const action of this.policy.actions) {
      const when = action.rule.when;
      if (!when.rules.every((r) => inc.rules.includes(r)) || inc.confidence < when.min_confidence) continue;
      const next = decideAction(action, inc, ep, this.policy.doc.mode, this.now);
      const byAction = this.decisions.get(inc.id) ?? new Map<string, ActionDecision>();
      const prev = byAction.get(action.rule.id);
      if (prev !== undefined && prev.decision === next.decision && sameList(prev.target, next.target)) continue;
      byAction.set(action.rule.id, next);
      this.decisions.set(inc.id, byAction);
      this.trace.record(this.now, "action.decide", this.current, action.rule.id, `${action.rule.id}→${inc.id}:${next.decision}`, this.decisions.size);
    }
  }

  private incidentCount(): number {
    return this.incidentTotal;
  }

  private episodes(): Episode[] {
    const out: Episode[] = [];
    for (const g of this.groups) if (g.episode.incident !== null && g.episode.groups[0] === g) out.push(g.episode);
    return out;
  }

  private buildIncident(ep: Episode, withEvents: boolean): Incident {
    const groups = ep.groups;
    const rules = sortedUnique(groups.map((g) => g.rule));
    const signals = [...new Set(groups.flatMap((g) => [...g.signals]))].sort(SIGNAL_ORDER);
    const scope = freezeScope(groups.map((g) => g.scope));
    const conf = this.policy.doc.incident.confidence;
    const confidence = Math.round(Math.min(1, conf.base + conf.per_signal * signals.length) * 1e6) / 1e6;
    const severity = SEVERITIES[Math.max(...groups.map((g) => g.severity))]!;
    let events: number[] = [];
    if (withEvents) events = groups.flatMap((g) => g.events).sort(compareNumbers);
    return {
      id: ep.incident!,
      title: renderTitle(this.policy.doc.incident.title, { scope, rules, signals, severity, policy: this.policy.doc.metadata.name }),
      rules,
      signals,
      scope,
      start: groups[0]!.start,
      end: Math.max(...groups.map((g) => g.end)),
      severity,
      confidence,
      alerts: groups.reduce((n, g) => n + g.alerts, 0),
      groups: groups.map((g) => g.id),
      events: dedupeSorted(events),
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

  private freezeGroup(g: GroupState): AlertGroup {
    return {
      id: g.id,
      rule: g.rule,
      fingerprint: g.fingerprint,
      start: g.start,
      end: g.end,
      alerts: g.alerts,
      severity: SEVERITIES[g.severity]!,
      signals: [...g.signals].sort(SIGNAL_ORDER),
      scope: freezeScope([g.scope]),
      events: g.events.slice(),
      incident: g.episode.incident,
    };
  }

  private sortedDecisions(incidents: readonly Incident[]): ActionDecision[] {
    const order = new Map(incidents.map((inc, i) => [inc.id, i]));
    const actionOrder = new Map(this.policy.actions.map((a, i) => [a.rule.id, i]));
    return [...this.decisions.values()]
      .flatMap((m) => [...m.values()])
      .sort((a, b) => (order.get(a.incident)! - order.get(b.incident)!) || (actionOrder.get(a.action)! - actionOrder.get(b.action)!));
  }

  private incidents(): Incident[] {
    return this.episodes().map((ep) => this.buildIncident(ep, true)).sort(compareIncidents);
  }

  /** The engine's state now, as data. */
  snapshot(): Snapshot {
    const incidents = this.incidents();
    const pending = this.policy.detect.flatMap((rule, i) =>
      [...this.pending[i]!.entries()]
        .filter(([, p]) => p.head < p.events.length)
        .map(([fp, p]) => ({ rule: rule.id, fingerprint: fp, events: liveIds(p), since: p.events[p.head]!.ts })),
    );
    const step = this.trace.last();
    return {
      trace_index: step?.index ?? -1,
      at_ms: step?.at_ms ?? this.now,
      step: step ?? null,
      events_processed: this.events,
      counts: this.counts(),
      pending: pending.sort((a, b) => a.since - b.since || compareStrings(a.rule, b.rule) || compareStrings(a.fingerprint, b.fingerprint)),
      open_groups: this.groups.filter((g) => this.now - g.end <= this.policy.dedupeMs).map((g) => this.freezeGroup(g)),
      incidents,
      decisions: this.sortedDecisions(incidents),
    };
  }

  /** Ends the replay and returns the full result. */
  finish(): EngineResult {
    const incidents = this.incidents();
    return {
      counts: this.counts(),
      groups: this.groups.map((g) => this.freezeGroup(g)),
      incidents,
      decisions: this.sortedDecisions(incidents),
      trace: this.trace.entries,
      trace_length: this.trace.entries.length,
      last_state_signature: this.trace.last()?.state_signature ?? null,
      trace_signature: this.trace.traceSignature(),
      timeline_signature: this.trace.timelineSignature(),
    };
  }
}

function decideAction(action: CompiledAction, inc: Incident, ep: Episode, mode: "dry-run" | "enforce", now: number): ActionDecision {
  const rule = action.rule;
  const target = action.targetPath.startsWith("scope.")
    ? inc.scope[action.targetPath.slice(6) as keyof ScopeValues]
    : sortedUnique(ep.groups.map((g) => action.target(g.first)).filter((v) => v !== undefined).map(String));
  const limits: [keyof ScopeValues, number | undefined, string][] = [
    ["pop", rule.blast_radius.max_pops, "max_pops"],
    ["region", rule.blast_radius.max_regions, "max_regions"],
    ["service", rule.blast_radius.max_services, "max_services"],
    ["host", rule.blast_radius.max_hosts, "max_hosts"],
  ];
  let decision: Decision;
  let reason: string;
  const breach = limits.find(([key, max]) => max !== undefined && inc.scope[key].length > max);
  if (breach) {
    decision = "blocked";
    reason = `spans ${inc.scope[breach[0]].length} ${breach[0]}s, blast_radius.${breach[2]} is ${breach[1]}`;
  } else if (mode === "dry-run") {
    decision = "would-run";
    reason = "dry-run: would run";
  } else if (rule.gate === "approval") {
    decision = "gated";
    reason = "enforce: waits for approval";
  } else {
    decision = "run";
    reason = "enforce: runs without a gate";
  }
  return { action: rule.id, incident: inc.id, decision, target, gate: rule.gate, at: now, reason };
}

function incidentId(ep: Episode): string {
  const first = ep.groups[0]!;
  return shortId("inc", `${first.fingerprint}\n${first.start}`);
}

function compareGroups(a: GroupState, b: GroupState): number {
  return a.start - b.start || a.ruleIndex - b.ruleIndex || compareStrings(a.fingerprint, b.fingerprint);
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

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function dedupeSorted(xs: number[]): number[] {
  let w = 0;
  for (let r = 0; r < xs.length; r++) if (r === 0 || xs[r] !== xs[r - 1]) xs[w++] = xs[r]!;
  xs.length = w;
  return xs;
}



// ---- detect (as it was) ----
/**
 * Detect-stage state machines, one per (rule, fingerprint). Each holds only what is still
 * open: the events of the current sliding window or of the current run above/below a level.
 */

/** Events held by one detect state, in arrival order. */
interface Pending {
  readonly events: NormalizedEvent[];
  readonly ids: number[];
  /** Index of the first live element (a deque without shifting). */
  head: number;
}

function newPending(): Pending {
  return { events: [], ids: [], head: 0 };
}

/** Live events of a pending window. */
function liveIds(p: Pending): number[] {
  return p.ids.slice(p.head);
}

/**
 * Feeds one matching event to a detect state. Returns true when the rule fires on it; the
 * caller then takes the contributing events and resets the state ("the window restarts").
 */
function stepDetect(rule: CompiledDetect, p: Pending, e: NormalizedEvent, id: number): boolean {
  const t = rule.threshold;
  if (t.kind === "count") {
    p.events.push(e);
    p.ids.push(id);
    // Sliding window: keep the events at most `within` before this one.
    while (p.head < p.events.length && e.ts - p.events[p.head]!.ts > t.withinMs) p.head++;
    if (p.head > 64 && p.head * 2 > p.events.length) compact(p);
    return p.events.length - p.head >= t.count;
  }
  const v = e.value;
  if (v === undefined || !t.holds(v)) {
    // The condition broke: the run ends without firing.
    p.events.length = 0;
    p.ids.length = 0;
    p.head = 0;
    return false;
  }
  p.events.push(e);
  p.ids.push(id);
  return e.ts - p.events[p.head]!.ts >= t.forMs;
}

/** True when a count window holds nothing that a future event could still use. */
function isStale(rule: CompiledDetect, p: Pending, now: number): boolean {
  if (p.head >= p.events.length) return true;
  const t = rule.threshold;
  return t.kind === "count" && now - p.events[p.events.length - 1]!.ts > t.withinMs;
}

function compact(p: Pending): void {
  p.events.splice(0, p.head);
  p.ids.splice(0, p.head);
  p.head = 0;
}

// ---- trace (as it was) ----
/**
 * The engine's step log. Each entry's `state_signature` is the sha256 of the text of every step
 * up to and including it, so two runs with equal signatures at index i went through equal
 * histories up to i; the first index where base and head signatures differ is where their
 * behaviour diverged.
 */

/** Thrown inside the engine to stop right after the requested trace index (time travel). */
const Halt: unique symbol = Symbol("replay-gate.halt");

class TraceRecorder {
  readonly entries: TraceEntry[] = [];
  private signature = "";
  private readonly steps = new Sha256Stream();
  private readonly stopAfter: number | undefined;

  constructor(stopAfter: number | undefined) {
    this.stopAfter = stopAfter;
  }

  /** Appends a step; `total` is the size of what the step grew (alerts, groups, incidents, decisions). */
  record(at: number, label: TraceLabel, event: number, rule: string, ref: string, total: number): void {
    const index = this.entries.length;
    this.steps.update(`\n${index} ${at} ${label} ${event} ${rule} ${ref} ${total}`);
    this.signature = this.steps.hex();
    this.entries.push({ index, at_ms: at, label, event, rule, ref, state_signature: this.signature });
    if (this.stopAfter !== undefined && index >= this.stopAfter) throw Halt;
  }

  last(): TraceEntry | undefined {
    return this.entries[this.entries.length - 1];
  }

  /** Hash of the whole trace, every field of every entry. */
  traceSignature(): string {
    return `sha256:${sha256Hex(`${this.entries.length}\n${this.signature}`)}`;
  }

  /** Hash of `(index, at_ms, label)` only: equal when two runs took the same kinds of steps at the same times. */
  timelineSignature(): string {
    let text = "";
    for (const e of this.entries) text += `${e.index} ${e.at_ms} ${e.label}\n`;
    return `sha256:${sha256Hex(text)}`;
  }
}
