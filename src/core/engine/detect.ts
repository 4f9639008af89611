/**
 * Detect-stage state machines, one per (rule, fingerprint). Each holds only what is still
 * open: the events of the current sliding window or of the current run above/below a level,
 * and of each event only what a firing reads (not its attributes), so a window held open for
 * a long time costs a few numbers per event.
 */
import type { NormalizedEvent, Severity, Signal } from "../event.js";
import type { CompiledDetect } from "../policy/compile.js";

/** What a firing needs of one contributing event. */
export interface Contribution {
  readonly ts: number;
  readonly id: number;
  readonly signal: Signal;
  readonly severity: Severity | undefined;
  readonly scope: NormalizedEvent["scope"];
}

/** Events held by one detect state, in arrival order. */
export interface Pending {
  readonly events: Contribution[];
  /** Index of the first live element (a deque without shifting). */
  head: number;
}

export function newPending(): Pending {
  return { events: [], head: 0 };
}

/** Live events of a pending window. */
export function liveEvents(p: Pending): Contribution[] {
  return p.events.slice(p.head);
}

/** Live event ids of a pending window. */
export function liveIds(p: Pending): number[] {
  const out: number[] = [];
  for (let i = p.head; i < p.events.length; i++) out.push(p.events[i]!.id);
  return out;
}

/**
 * Feeds one matching event to a detect state. Returns true when the rule fires on it; the
 * caller then takes the contributing events and resets the state ("the window restarts").
 */
export function stepDetect(rule: CompiledDetect, p: Pending, e: NormalizedEvent, id: number): boolean {
  if (rule.kind === "count") {
    p.events.push(contribution(e, id));
    // Sliding window: keep the events at most `within` before this one.
    while (p.head < p.events.length && e.ts - p.events[p.head]!.ts > rule.withinMs) p.head++;
    if (p.head > 64 && p.head * 2 > p.events.length) compact(p);
    return p.events.length - p.head >= rule.count;
  }
  const v = e.value;
  if (v === undefined || !rule.level!(v)) {
    // The condition broke: the run ends without firing.
    p.events.length = 0;
    p.head = 0;
    return false;
  }
  p.events.push(contribution(e, id));
  return e.ts - p.events[p.head]!.ts >= rule.forMs;
}

function contribution(e: NormalizedEvent, id: number): Contribution {
  return { ts: e.ts, id, signal: e.signal, severity: e.severity, scope: e.scope };
}

/** True when a count window holds nothing that a future event could still use. */
export function isStale(rule: CompiledDetect, p: Pending, now: number): boolean {
  if (p.head >= p.events.length) return true;
  return rule.kind === "count" && now - p.events[p.events.length - 1]!.ts > rule.withinMs;
}

function compact(p: Pending): void {
  p.events.splice(0, p.head);
  p.head = 0;
}
