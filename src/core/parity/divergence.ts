/**
 * Why a window differs (docs/report.md#divergence): the first trace index at which base and head diverge,
 * the first event the two versions treated differently, how each version treats that event,
 * and both engine states at that index (time travel), compacted for the report.
 *
 * Each trace entry's state signature chains every step before it, so the first index whose
 * signatures differ is where behaviour first parted; when one trace is a prefix of the other,
 * it is the index where the shorter one ends.
 */
import { admission, detectMatches } from "../engine/admission.js";
import type { NormalizedEvent } from "../event.js";
import type { Snapshot, StepFields, TraceEntry, TraceStep } from "../engine/types.js";
import type { CompiledPolicy } from "../policy/compile.js";
import type { Divergence, EventOut, RuleChange, SnapshotOut, TraceStepOut, Treatment } from "../report/report-schema.js";
import { formatTimestamp } from "../time.js";

/** Longest lists a compact snapshot keeps; `*_total` says how many there were. */
export const MAX_SNAPSHOT_ITEMS = 20;

/** The first index where the traces differ, or null when they are identical. */
export function firstDivergence(base: readonly TraceEntry[], head: readonly TraceEntry[]): number | null {
  const n = Math.min(base.length, head.length);
  for (let i = 0; i < n; i++) if (base[i]!.state_signature !== head[i]!.state_signature) return i;
  return base.length === head.length ? null : n;
}

/** Where two traces first differ, and the step each side took there (null when it has none). */
export interface DivergencePoint {
  readonly index: number;
  readonly baseStep: StepFields | null;
  readonly headStep: StepFields | null;
}

/**
 * Finds the first divergence of a base and a head trace while both engines run, without
 * keeping either trace. Both engines see the same events, and until they diverge they take the
 * same steps for each event; so the side that is ahead holds at most the steps of the current
 * event, and when an event ends with one side ahead, that step is the divergence (the other
 * side's step at that index, if it ever comes, belongs to a later event, so it differs).
 */
export class DivergenceWatch {
  private ahead: TraceStep[] = [];
  private aheadHead = 0;
  private leader: "base" | "head" | null = null;
  private index: number | null = null;
  private baseStep: TraceStep | null = null;
  private headStep: TraceStep | null = null;

  readonly onBase = (entry: TraceStep): void => this.step("base", entry);
  readonly onHead = (entry: TraceStep): void => this.step("head", entry);

  private step(side: "base" | "head", entry: TraceStep): void {
    if (this.index !== null) {
      if (entry.index === this.index) this.set(side, entry);
      return;
    }
    if (this.leader === null || this.leader === side) {
      this.leader = side;
      this.ahead.push(entry);
      return;
    }
    const other = this.ahead[this.aheadHead]!;
    if (!sameStep(other, entry)) {
      this.found(other);
      this.set(side, entry);
      return;
    }
    if (++this.aheadHead === this.ahead.length) this.clear();
  }

  /** Call after every engine has processed an event. */
  endOfEvent(): void {
    if (this.index === null && this.leader !== null) this.found(this.ahead[this.aheadHead]!);
  }

  /**
   * True once the divergence and both sides' steps at it are known: no later event changes
   * {@link result}, and time travel to it needs no event after this one.
   */
  settled(): boolean {
    return this.index !== null && this.baseStep !== null && this.headStep !== null;
  }

  /** The first divergence, or null when the traces are identical. */
  result(): DivergencePoint | null {
    this.endOfEvent();
    return this.index === null ? null : { index: this.index, baseStep: this.baseStep, headStep: this.headStep };
  }

  private found(leaderStep: TraceStep): void {
    this.index = leaderStep.index;
    this.set(this.leader!, leaderStep);
    this.clear();
  }

  private set(side: "base" | "head", entry: TraceStep): void {
    if (side === "base") this.baseStep = entry;
    else this.headStep = entry;
  }

  private clear(): void {
    this.ahead = [];
    this.aheadHead = 0;
    this.leader = null;
  }
}

/**
 * Whether two steps have the same text (`{index} {at} {label} {event} {rule} {ref} {total}`, what
 * the state signature hashes): rule ids hold no space and the other fields are numbers or a label,
 * so equal fields and equal text are the same thing.
 */
export function sameStep(a: TraceStep, b: TraceStep): boolean {
  return a.index === b.index && a.at_ms === b.at_ms && a.label === b.label && a.event === b.event && a.rule === b.rule && a.ref === b.ref && a.total === b.total;
}

/**
 * What the second pass must capture for a divergence found by a {@link DivergenceWatch}: the
 * step at its index on each side (when it has one) and the first event either step processed.
 */
export function planAt(point: DivergencePoint): { baseStep: StepFields | null; headStep: StepFields | null; event: number } {
  const { baseStep, headStep } = point;
  const events = [baseStep?.event, headStep?.event].filter((e): e is number => e !== undefined);
  return { baseStep, headStep, event: Math.min(...events) };
}

export function stepOut(t: StepFields): TraceStepOut {
  return { index: t.index, at: formatTimestamp(t.at_ms), label: t.label, event: t.event, rule: t.rule, ref: t.ref };
}

/** A snapshot without event id lists, its lists capped at {@link MAX_SNAPSHOT_ITEMS}. */
export function compactSnapshot(s: Snapshot): SnapshotOut {
  return {
    trace_index: s.trace_index,
    at: formatTimestamp(s.at_ms),
    step: s.step ? stepOut(s.step) : null,
    events_processed: s.events_processed,
    alerts: s.counts.alerts,
    groups: s.counts.groups,
    incidents: s.counts.incidents,
    suppressed: s.counts.suppressed,
    inhibited: s.counts.inhibited,
    pending: s.pending.length,
    open_groups_total: s.open_groups.length,
    open_groups: s.open_groups.slice(0, MAX_SNAPSHOT_ITEMS).map((g) => ({
      id: g.id,
      rule: g.rule,
      fingerprint: g.fingerprint,
      alerts: g.alerts,
      start: formatTimestamp(g.start),
      end: formatTimestamp(g.end),
      incident: g.incident,
    })),
    incidents_total: s.incidents.length,
    incident_list: s.incidents.slice(0, MAX_SNAPSHOT_ITEMS).map((i) => ({ id: i.id, title: i.title, rules: [...i.rules], alerts: i.alerts, severity: i.severity, confidence: i.confidence })),
    decisions: s.decisions.slice(0, MAX_SNAPSHOT_ITEMS).map((d) => ({ action: d.action, incident: d.incident, decision: d.decision })),
  };
}

/** How a policy treats one event on its own: scope, the suppress rule that drops it, the detect rules it feeds. */
export function treatEvent(policy: CompiledPolicy, e: NormalizedEvent): Treatment {
  const a = admission(policy, e);
  if (a === "out-of-scope") return { in_scope: false, suppressed_by: null, detect_matches: [] };
  if (a !== null) return { in_scope: true, suppressed_by: a.id, detect_matches: [] };
  return { in_scope: true, suppressed_by: null, detect_matches: detectMatches(policy, e).map((i) => policy.detect[i]!.id) };
}

export function eventOut(e: NormalizedEvent, id: number): EventOut {
  return {
    id,
    ts: formatTimestamp(e.ts),
    signal: e.signal,
    name: e.name,
    scope: {
      ...(e.scope.service !== undefined ? { service: e.scope.service } : {}),
      ...(e.scope.region !== undefined ? { region: e.scope.region } : {}),
      ...(e.scope.pop !== undefined ? { pop: e.scope.pop } : {}),
      ...(e.scope.host !== undefined ? { host: e.scope.host } : {}),
    },
    source: e.source ?? null,
    value: e.value ?? null,
    severity: e.severity ?? null,
    attrs: Object.fromEntries(Object.entries(e.attrs ?? {}).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))),
  };
}

function describeStep(t: StepFields | null): string {
  return t === null ? "no further step" : `${t.label} by ${t.rule} (${t.ref}) at event ${t.event}`;
}

function describeTreatment(t: Treatment): string {
  if (!t.in_scope) return "is out of scope";
  if (t.suppressed_by !== null) return `is suppressed by ${t.suppressed_by}`;
  return t.detect_matches.length === 0 ? "matches no detect rule" : `feeds ${t.detect_matches.join(", ")}`;
}

/** What the second pass over the window captured at the divergence. */
export interface DivergenceCapture {
  readonly index: number;
  readonly baseStep: StepFields | null;
  readonly headStep: StepFields | null;
  readonly eventId: number;
  readonly event: NormalizedEvent | null;
  readonly baseSnapshot: Snapshot | null;
  readonly headSnapshot: Snapshot | null;
}

/** The policy change behind a step's rule, in words: its own fields, or the correlate rules that join it. */
function ruleChangeWords(rule: string, label: string, changes: readonly RuleChange[]): string {
  const own = changes.filter((c) => c.id === rule);
  const joins = label.startsWith("incident.") ? changes.filter((c) => c.section === "correlate" && c.fields.some((f) => f.path === "join" && `${f.base ?? ""} ${f.head ?? ""}`.includes(rule))) : [];
  const words = [...own, ...joins].map((c) =>
    c.change === "changed" ? `${c.section} ${c.id} changed: ${c.fields.map((f) => `${f.path} ${f.base ?? "—"} → ${f.head ?? "—"}`).join("; ")}` : `${c.section} ${c.id} ${c.change}`,
  );
  return words.length === 0 ? "" : ` Policy change responsible: ${words.join(". ")}.`;
}

/** Assembles the report's divergence: steps, the event and each version's treatment of it, in words. */
export function buildDivergence(c: DivergenceCapture, base: CompiledPolicy | null, head: CompiledPolicy | null, changes: readonly RuleChange[] = []): Divergence {
  const treatment = {
    base: c.event && base ? treatEvent(base, c.event) : null,
    head: c.event && head ? treatEvent(head, c.event) : null,
  };
  const at = c.baseStep ?? c.headStep;
  let explanation = `First difference at trace index ${c.index}${at ? ` (${formatTimestamp(at.at_ms)})` : ""}: base ${describeStep(c.baseStep)}; head ${describeStep(c.headStep)}.`;
  if (c.event && treatment.base && treatment.head) {
    const tb = describeTreatment(treatment.base),
      th = describeTreatment(treatment.head);
    const what = `Event ${c.eventId} (${c.event.signal} ${c.event.name})`;
    const b = c.baseStep,
      h = c.headStep;
    if (tb !== th) explanation += ` ${what}: under base it ${tb}, under head it ${th}.`;
    else if (b && h && b.label === h.label && b.rule === h.rule && b.ref !== h.ref) {
      explanation += ` Both versions take ${b.label} by ${b.rule}, but base makes ${b.ref} and head makes ${h.ref}${b.event !== h.event ? ` (at events ${b.event} and ${h.event})` : ""}: the rule's fingerprint, grouping or correlation differs.`;
    } else explanation += ` ${what} ${tb} under both versions; the difference comes from state built before it (thresholds, grouping or correlation).`;
  }
  const suppressor = treatment.head?.suppressed_by ?? treatment.base?.suppressed_by ?? null;
  const responsible = c.headStep ?? c.baseStep;
  if (suppressor !== null && treatment.head?.suppressed_by !== treatment.base?.suppressed_by) explanation += ruleChangeWords(suppressor, "suppress", changes);
  else if (responsible) explanation += ruleChangeWords(responsible.rule, responsible.label, changes);
  return {
    index: c.index,
    explanation,
    event: c.event ? eventOut(c.event, c.eventId) : null,
    treatment,
    base: c.baseSnapshot ? compactSnapshot(c.baseSnapshot) : null,
    head: c.headSnapshot ? compactSnapshot(c.headSnapshot) : null,
  };
}
