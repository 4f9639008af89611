/** What a replay produces (DESIGN §5). Every field is plain, readonly data, serialisable as JSON. */
import type { Severity, Signal } from "../event.js";
import type { Decision } from "../window/manifest.js";

/** Scope values seen, per dimension, sorted. */
export interface ScopeValues {
  readonly service: readonly string[];
  readonly region: readonly string[];
  readonly pop: readonly string[];
  readonly host: readonly string[];
}

/** An alert group: alerts of one rule and fingerprint whose gaps are at most `dedupe_within`. */
export interface AlertGroup {
  /** Content-derived: `g-` + hash of rule, fingerprint and start. */
  readonly id: string;
  readonly rule: string;
  readonly fingerprint: string;
  /** `at` of the first alert, ms UTC. */
  readonly start: number;
  /** `at` of the last alert, ms UTC. */
  readonly end: number;
  readonly alerts: number;
  readonly severity: Severity;
  readonly signals: readonly Signal[];
  readonly scope: ScopeValues;
  /** Contributing event ids (0-based positions in the window's events file), ascending. */
  readonly events: readonly number[];
  /** The incident the group ended in, or null when it stayed alone. */
  readonly incident: string | null;
}

/** One incident per episode of linked groups. */
export interface Incident {
  /** Content-derived: `inc-` + hash of the first group's fingerprint and start. */
  readonly id: string;
  readonly title: string;
  readonly rules: readonly string[];
  readonly signals: readonly Signal[];
  readonly scope: ScopeValues;
  readonly start: number;
  readonly end: number;
  readonly severity: Severity;
  /** `base + per_signal × distinct signals`, capped at 1, rounded to 6 decimals. */
  readonly confidence: number;
  readonly alerts: number;
  readonly groups: readonly string[];
  /** Event ids, ascending. */
  readonly events: readonly number[];
}

/** An action decision for one (action, incident) pair. A replay never performs an action. */
export interface ActionDecision {
  readonly action: string;
  readonly incident: string;
  readonly decision: Decision;
  /** Values of the action's `target` field for the incident (e.g. the POPs to drain). */
  readonly target: readonly string[];
  readonly gate: "none" | "approval";
  /** Time of the step that made the (final) decision. */
  readonly at: number;
  /** Why, in words (`spans 2 pops, blast_radius.max_pops is 1`). */
  readonly reason: string;
}

export const TRACE_LABELS = ["alert.fire", "alert.inhibit", "group.open", "incident.open", "incident.grow", "action.decide"] as const;
export type TraceLabel = (typeof TRACE_LABELS)[number];

/** One step of the engine. */
export interface TraceEntry {
  readonly index: number;
  readonly at_ms: number;
  readonly label: TraceLabel;
  /** The event being processed when the step happened. */
  readonly event: number;
  /** Rule responsible (detect, inhibit or action id). */
  readonly rule: string;
  /** What the step made or changed: alert fingerprint, group id, incident id or `action→incident`. */
  readonly ref: string;
  /** sha256 chaining the previous state signature with this step: equal signatures, equal histories. */
  readonly state_signature: string;
}

/** Counters of one replay. */
export interface ReplayCounts {
  /** Events read from the window. */
  readonly events: number;
  /** Events outside the policy's scope, ignored. */
  readonly out_of_scope: number;
  readonly alerts: number;
  readonly groups: number;
  readonly incidents: number;
  /** Events dropped per suppress rule id. */
  readonly suppressed: Readonly<Record<string, number>>;
  /** Of those, events of severity major or critical. */
  readonly suppressed_severe: Readonly<Record<string, number>>;
  /** Alerts dropped per inhibit rule id. */
  readonly inhibited: Readonly<Record<string, number>>;
  /** Alerts fired per detect rule id (before inhibition). */
  readonly alerts_by_rule: Readonly<Record<string, number>>;
  /** Final decisions by kind. */
  readonly decisions: Readonly<Record<Decision, number>>;
}

/** The whole, deterministic result of replaying one window under one policy. */
export interface EngineResult {
  readonly counts: ReplayCounts;
  readonly groups: readonly AlertGroup[];
  readonly incidents: readonly Incident[];
  readonly decisions: readonly ActionDecision[];
  /** Every step, when the trace was asked for (`trace: true`); otherwise empty. */
  readonly trace: readonly TraceEntry[];
  /** Number of steps, whether or not they were kept. */
  readonly trace_length: number;
  /** The last step's state signature, or null when there was no step. */
  readonly last_state_signature: string | null;
  readonly trace_signature: string;
  readonly timeline_signature: string;
}

/** Engine state at one trace index (time travel, DESIGN §5). */
export interface Snapshot {
  readonly trace_index: number;
  readonly at_ms: number;
  /** The step at that index, or null for the state before any step. */
  readonly step: TraceEntry | null;
  readonly events_processed: number;
  readonly counts: ReplayCounts;
  /** Detect windows holding matching events that have not fired yet. */
  readonly pending: readonly { rule: string; fingerprint: string; events: readonly number[]; since: number }[];
  /** Groups still open at that moment (their dedupe gap not yet elapsed). */
  readonly open_groups: readonly AlertGroup[];
  readonly incidents: readonly Incident[];
  readonly decisions: readonly ActionDecision[];
}
