/**
 * A detect kind: one form of a detect rule's `threshold` (`{count, within}`, `{above|below,
 * for}`), in one module that says how it is written and checked, what it compiles to, how its
 * state steps with each event and when that state is stale, and when a window can never meet it.
 * The policy schema, the compiler, the engine, the reachability warnings and the policy diff
 * know kinds only through this interface and the registry ({@link DETECT_KINDS} in `kinds.ts`):
 * a new kind is one module and one line there.
 */
import type { z } from "zod";
import type { NormalizedEvent, Severity, Signal } from "../../event.js";

/** What a firing needs of one contributing event. */
export interface Contribution {
  readonly ts: number;
  readonly id: number;
  readonly signal: Signal;
  readonly severity: Severity | undefined;
  readonly scope: NormalizedEvent["scope"];
}

/**
 * The state of one (rule, fingerprint): the events a firing would take, in arrival order, and
 * of each only what a firing reads (not its attributes), so a window held open for a long time
 * costs a few numbers per event.
 */
export interface Pending {
  readonly events: Contribution[];
  /** Index of the first live element (a deque without shifting). */
  head: number;
}

/** What the engine asks of a compiled threshold, whatever its kind. */
export interface CompiledThreshold {
  readonly kind: string;
  /** The fewest events a firing takes: a window pinning fewer can never fire the rule. */
  readonly minEvents: number;
  /** Whether a matching event with no state for its fingerprint starts one. */
  starts(e: NormalizedEvent): boolean;
  /**
   * Feeds one matching event to the state. True when the rule fires on it: the engine then takes
   * the live events and drops the state ("the window restarts"). A state left with no live event
   * is dropped too.
   */
  step(p: Pending, e: NormalizedEvent, id: number): boolean;
  /** True when the state holds nothing a future event could still use (the sweep drops it). */
  isStale(p: Pending, now: number): boolean;
}

/** What a window offers a threshold: its id, pinned event count and span (end − start). */
export interface WindowCapacity {
  readonly id: string;
  readonly events: number;
  readonly spanMs: number;
}

/** A problem with a threshold's keys; `key` is the threshold key it is about, if one. */
export interface ThresholdIssue {
  readonly key?: string;
  readonly message: string;
}

/** A threshold a window can never meet: the key that makes it so, why, and what to do. */
export interface Unreachable {
  readonly key: string;
  readonly message: string;
  readonly hint: string;
}

/** The validated keys of one kind, as the policy document holds them (all optional: the kind checks which it needs). */
export type ThresholdDoc<Keys extends z.ZodRawShape> = { readonly [K in keyof Keys]?: z.output<Keys[K]> };

/** One detect kind. `Keys`: the threshold keys it owns, each optional, with its schema. */
export interface DetectKind<Keys extends z.ZodRawShape, C extends CompiledThreshold> {
  readonly kind: C["kind"];
  /** The kind's keys; a threshold using any of them is of this kind. */
  readonly keys: Keys;
  /** How the kind is written, in messages: `{count, within}`. */
  readonly form: string;
  /** An example, in messages: `{count: N, within: D}`. */
  readonly example: string;
  /** Keys whose values are durations (ms), shown as `60s` in a policy diff. */
  readonly durationKeys: readonly (keyof Keys & string)[];
  /** Problems with the keys of a threshold recognised as this kind (e.g. a required one missing), in order. */
  check(t: ThresholdDoc<Keys>): ThresholdIssue[];
  /** Compiles a checked threshold. */
  compile(t: ThresholdDoc<Keys>): C;
  /** Keys of a checked threshold that `window` can never meet, for rule `rule`. */
  unreachable(t: ThresholdDoc<Keys>, rule: string, window: WindowCapacity): Unreachable[];
}

export function newPending(): Pending {
  return { events: [], head: 0 };
}

/** Live events of a state. */
export function liveEvents(p: Pending): Contribution[] {
  return p.events.slice(p.head);
}

/** Live event ids of a state. */
export function liveIds(p: Pending): number[] {
  // Exactly as long as needed: a group keeps its first alert's array (IdList.of), and a pushed-to
  // array reserves room for 17.
  const out = new Array<number>(p.events.length - p.head);
  for (let i = p.head; i < p.events.length; i++) out[i - p.head] = p.events[i]!.id;
  return out;
}

export function contribution(e: NormalizedEvent, id: number): Contribution {
  return { ts: e.ts, id, signal: e.signal, severity: e.severity, scope: e.scope };
}
