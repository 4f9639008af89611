/**
 * Timeline data for the HTML report's incident timeline: per window, event density per signal
 * in fixed time bins, which of those events each side's policy suppressed or left out of scope,
 * and each side's alert groups as spans. Binning keeps the report (and the SVG) the same size
 * for 10 events and for 10 million. Meant to ride in report.json as `windows[].timeline`.
 */
import { admission } from "../engine/admission.js";
import { z } from "zod";
import { SIGNALS, type NormalizedEvent, type Signal } from "../event.js";
import type { AlertGroup, EngineResult } from "../engine/types.js";
import type { CompiledPolicy } from "../policy/compile.js";
import { formatTimestamp } from "../time.js";

/** Bins across a window: fine enough to see a surge, coarse enough to stay small. */
export const TIMELINE_BINS = 120;
/** Alert groups listed per side; the rest are counted in `groups_total`. */
export const MAX_TIMELINE_GROUPS = 500;

const nat = z.number().int().nonnegative();
const bins = z.array(nat);
const perSignal = z.partialRecord(z.enum(SIGNALS), bins);

export const timelineGroupSchema = z.strictObject({
  id: z.string(),
  rule: z.string(),
  /** ms offset from the timeline start. */
  start: nat,
  end: nat,
  alerts: nat,
  incident: z.string().nullable(),
});
export type TimelineGroup = z.infer<typeof timelineGroupSchema>;

export const timelineSideSchema = z.strictObject({
  /** Events the side's suppress rules dropped, per signal and bin (only signals with any). */
  suppressed: perSignal,
  /** Events outside the side's policy scope, per signal and bin (only signals with any). */
  out_of_scope: perSignal,
  groups: z.array(timelineGroupSchema),
  groups_total: nat,
});
export type TimelineSide = z.infer<typeof timelineSideSchema>;

export const windowTimelineSchema = z.strictObject({
  /** The window's start and end (RFC 3339). */
  start: z.string(),
  end: z.string(),
  /** Width of a bin in ms; bin i covers [start + i·bin_ms, start + (i+1)·bin_ms). */
  bin_ms: z.number().int().positive(),
  bins: nat,
  /** All events per signal and bin (only signals present, in SIGNALS order). */
  events: perSignal,
  base: timelineSideSchema.nullable(),
  head: timelineSideSchema.nullable(),
});
export type WindowTimeline = z.infer<typeof windowTimelineSchema>;

interface SideCounts {
  readonly policy: CompiledPolicy;
  readonly suppressed: Map<Signal, number[]>;
  readonly outOfScope: Map<Signal, number[]>;
}

/** What {@link TimelineBinner} counted. */
export interface BinnedEvents {
  readonly startMs: number;
  readonly endMs: number;
  readonly binMs: number;
  readonly bins: number;
  readonly events: ReadonlyMap<Signal, number[]>;
  /** Per policy given (base, head), suppressed and out-of-scope bins. */
  readonly sides: readonly { readonly suppressed: ReadonlyMap<Signal, number[]>; readonly outOfScope: ReadonlyMap<Signal, number[]> }[];
}

/**
 * Counts events into bins as they stream by. Suppression is decided the way the engine decides
 * it (out of scope first, then the first matching suppress rule), from the compiled policy.
 */
export class TimelineBinner {
  private readonly startMs: number;
  private readonly endMs: number;
  private readonly binMs: number;
  private readonly n: number;
  private readonly events = new Map<Signal, number[]>();
  private readonly sides: SideCounts[];

  constructor(startMs: number, endMs: number, policies: readonly CompiledPolicy[], bins: number = TIMELINE_BINS) {
    this.startMs = startMs;
    this.endMs = endMs;
    this.binMs = Math.max(1, Math.ceil((endMs - startMs + 1) / bins));
    this.n = Math.max(1, Math.ceil((endMs - startMs + 1) / this.binMs));
    this.sides = policies.map((policy) => ({ policy, suppressed: new Map(), outOfScope: new Map() }));
  }

  private bump(map: Map<Signal, number[]>, signal: Signal, bin: number): void {
    let row = map.get(signal);
    if (row === undefined) {
      row = new Array<number>(this.n).fill(0);
      map.set(signal, row);
    }
    row[bin]!++;
  }

  push(e: NormalizedEvent): void {
    const bin = Math.min(this.n - 1, Math.max(0, Math.floor((e.ts - this.startMs) / this.binMs)));
    this.bump(this.events, e.signal, bin);
    for (const side of this.sides) {
      const a = admission(side.policy, e);
      if (a === "out-of-scope") this.bump(side.outOfScope, e.signal, bin);
      else if (a !== null) this.bump(side.suppressed, e.signal, bin);
    }
  }

  finish(): BinnedEvents {
    return {
      startMs: this.startMs,
      endMs: this.endMs,
      binMs: this.binMs,
      bins: this.n,
      events: this.events,
      sides: this.sides.map((s) => ({ suppressed: s.suppressed, outOfScope: s.outOfScope })),
    };
  }
}

function bySignal(map: ReadonlyMap<Signal, number[]>): Partial<Record<Signal, number[]>> {
  const out: Partial<Record<Signal, number[]>> = {};
  for (const s of SIGNALS) {
    const row = map.get(s);
    if (row !== undefined) out[s] = row.slice();
  }
  return out;
}

function groupsOf(groups: readonly AlertGroup[], startMs: number): TimelineGroup[] {
  return groups.slice(0, MAX_TIMELINE_GROUPS).map((g) => ({ id: g.id, rule: g.rule, start: g.start - startMs, end: g.end - startMs, alerts: g.alerts, incident: g.incident }));
}

/**
 * The `timeline` of one window: bins from the binner (fed base's and head's policies, in that
 * order, whichever exist) and groups from the engine results.
 */
export function timelineData(binned: BinnedEvents, base: EngineResult | null, head: EngineResult | null): WindowTimeline {
  let next = 0;
  const side = (result: EngineResult | null) => {
    if (result === null) return null;
    const s = binned.sides[next++];
    if (s === undefined) throw new RangeError("timelineData: the binner was fed fewer policies than there are results");
    return { suppressed: bySignal(s.suppressed), out_of_scope: bySignal(s.outOfScope), groups: groupsOf(result.groups, binned.startMs), groups_total: result.groups.length };
  };
  const b = side(base);
  const h = side(head);
  return windowTimelineSchema.parse({
    start: formatTimestamp(binned.startMs),
    end: formatTimestamp(binned.endMs),
    bin_ms: binned.binMs,
    bins: binned.bins,
    events: bySignal(binned.events),
    base: b,
    head: h,
  });
}
