/**
 * The policy-kind seam. A *kind* is one language a team writes the policies that
 * decide what pages in: our `CorrelationPolicy`, an Alertmanager configuration, a Prometheus
 * rule file. Each kind recognises its files by content, parses them with located errors,
 * compiles them once, and replays a window's events into results in one shared model. Parity,
 * the gate, the report, the comment and evidence read only that model (incidents with event
 * ids, counts, signatures) plus the kind's own `extras`, which only the kind's renderers read.
 *
 * Adding a kind is one folder under `src/core/kinds/` plus one line in `registry.ts`.
 */
import type { Incident } from "../engine/types.js";
import type { NormalizedEvent, ScopeKey, Signal } from "../event.js";
import type { LocatedYaml } from "../yaml.js";
import type { KindCounts } from "../model/results.js";
import type { KindDiff } from "./diff-schema.js";

/** The kinds replay-gate knows, as written in reports (`policies[].kind`). */
export const POLICY_KIND_IDS = ["correlation", "alertmanager", "prometheus-rules"] as const;
export type PolicyKindId = (typeof POLICY_KIND_IDS)[number];

/** What a kind knows of the window it replays: the manifest's frame. */
export interface WindowFrame {
  readonly id: string;
  /** ms UTC, inclusive. Virtual time of a kind (flush ticks, rule evaluations) runs from here… */
  readonly start: number;
  /** …to here, inclusive: every tick due at or before `end` happens, whether or not an event follows. */
  readonly end: number;
  readonly scope: Readonly<Partial<Record<ScopeKey, string>>>;
}

/** A kind's compiled policy with what the shells need to pair and cover windows. */
export interface KindCompiled<C> {
  /** Pairs base and head versions of one policy (`metadata.name`, or the file's base name). */
  readonly name: string;
  /** Shown next to the name (`metadata.version`, or the spec hash's first 12 hex digits). */
  readonly version: string;
  /** The scope the policy limits itself to (coverage by contradiction: a window is covered unless its manifest's scope names another value for a key this scope sets); `{}` covers every window. */
  readonly scope: Readonly<Partial<Record<ScopeKey, string>>>;
  readonly compiled: C;
}

/**
 * The shared model of one replay of one window under one policy, in memory (times in ms, the
 * kind's `extras` opaque to everyone else). No document carries it as is, so it is an interface:
 * the reports that carry parts of it declare those in src/core/model (counts: `kindCountsSchema`;
 * each kind's `replay` output: alertmanager-replay.ts, rules-replay.ts).
 */
export interface KindResult<X = unknown> {
  readonly kind: PolicyKindId;
  readonly counts: KindCounts;
  /** Incidents in the shared shape (ids content-derived, events ascending): what parity matches. */
  readonly incidents: readonly Incident[];
  /** sha256 over every step of the replay: equal signatures, equal histories. */
  readonly trace_signature: string;
  /** sha256 over the steps' (index, time, label) only. */
  readonly timeline_signature: string;
  /** What only this kind has (notifications, alert fates, rule evaluations, action decisions). */
  readonly extras: X;
}

/** A replay in progress: events in file order, then {@link KindRun.finish} at the window's end. */
export interface KindRun<X> {
  /** `id` is the event's 0-based line position in the window's events file. */
  push(event: NormalizedEvent, id: number): void;
  finish(): KindResult<X>;
}

/** One policy kind behind the seam. */
export interface PolicyKind<C = unknown, X = unknown> {
  readonly id: PolicyKindId;
  /** For people: `Alertmanager configuration`. */
  readonly label: string;
  /** True when the kind's own tools accept YAML anchors, aliases and merge keys (bounded expansion). */
  readonly allowsYamlAliases?: boolean;
  /**
   * The window signals this kind reads; a window whose manifest lists none of them is not
   * evidence for a policy of this kind (not replayed under it). Unset: every window.
   */
  readonly signals?: readonly Signal[];
  /** True when a parsed YAML document is this kind's (by content, never by file name). */
  recognise(doc: unknown): boolean;
  /** Validates and compiles; throws InputError naming file, line, column and field path. */
  compile(yaml: LocatedYaml, text: string): KindCompiled<C>;
  /**
   * The kind's own comparison of one window's base and head replays (report.json `kind_diff`,
   * validated by its schema in diff-schema.ts); null sides for a policy added or removed.
   */
  compare?(base: KindResult<X> | null, head: KindResult<X> | null): KindDiff;
  /** Starts a replay of one window. Pure and deterministic: no clock, no randomness, no I/O. */
  start(compiled: C, window: WindowFrame): KindRun<X>;
}
