/**
 * Detect-stage state machines, one per (rule, fingerprint). Each holds only what is still
 * open: the events of the current sliding window or of the current run above/below a level.
 */
import type { NormalizedEvent } from "../event.js";
import type { CompiledDetect } from "../policy/compile.js";

/** Events held by one detect state, in arrival order. */
export interface Pending {
  readonly events: NormalizedEvent[];
  readonly ids: number[];
  /** Index of the first live element (a deque without shifting). */
  head: number;
}

export function newPending(): Pending {
  return { events: [], ids: [], head: 0 };
}

/** Live events of a pending window. */
export function liveIds(p: Pending): number[] {
  return p.ids.slice(p.head);
}

/**
 * Feeds one matching event to a detect state. Returns true when the rule fires on it; the
 * caller then takes the contributing events and resets the state ("the window restarts").
 */
export function stepDetect(rule: CompiledDetect, p: Pending, e: NormalizedEvent, id: number): boolean {
  if (rule.kind === "count") {
    p.events.push(e);
    p.ids.push(id);
    // Sliding window: keep the events at most `within` before this one.
    while (p.head < p.events.length && e.ts - p.events[p.head]!.ts > rule.withinMs) p.head++;
    if (p.head > 64 && p.head * 2 > p.events.length) compact(p);
    return p.events.length - p.head >= rule.count;
  }
  const v = e.value;
  if (v === undefined || !rule.level!(v)) {
    // The condition broke: the run ends without firing.
    p.events.length = 0;
    p.ids.length = 0;
    p.head = 0;
    return false;
  }
  p.events.push(e);
  p.ids.push(id);
  return e.ts - p.events[p.head]!.ts >= rule.forMs;
}

/** True when a count window holds nothing that a future event could still use. */
export function isStale(rule: CompiledDetect, p: Pending, now: number): boolean {
  if (p.head >= p.events.length) return true;
  return rule.kind === "count" && now - p.events[p.events.length - 1]!.ts > rule.withinMs;
}

function compact(p: Pending): void {
  p.events.splice(0, p.head);
  p.ids.splice(0, p.head);
  p.head = 0;
}
