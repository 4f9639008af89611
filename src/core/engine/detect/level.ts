/** `threshold: {above: X, for: D}` or `{below: X, for: D}`: fires when a value stays past X for D. */
import { z } from "zod";
import type { NormalizedEvent } from "../../event.js";
import { durationSchema } from "../../policy/duration.js";
import { contribution, type CompiledThreshold, type DetectKind, type Pending } from "./kind.js";

const keys = {
  above: z.number().optional(),
  below: z.number().optional(),
  for: durationSchema.optional(),
};

export interface LevelThreshold extends CompiledThreshold {
  readonly kind: "level";
  /** True when a value meets the condition (`> above` or `< below`). */
  readonly holds: (v: number) => boolean;
  readonly forMs: number;
}

export const levelKind: DetectKind<typeof keys, LevelThreshold> = {
  kind: "level",
  keys,
  form: "{above|below, for}",
  example: "{above|below: X, for: D}",
  durationKeys: ["for"],
  check(t) {
    const issues = [];
    if ((t.above === undefined) === (t.below === undefined)) issues.push({ message: "give exactly one of above or below" });
    if (t.for === undefined) issues.push({ key: "for", message: "expected a duration like 30s (units: ms, s, m, h)" });
    return issues;
  },
  compile(t) {
    const above = t.above,
      below = t.below;
    const holds = above !== undefined ? (v: number) => v > above : (v: number) => v < below!;
    const forMs = t.for!;
    const met = (e: NormalizedEvent) => e.value !== undefined && holds(e.value);
    return {
      kind: "level",
      holds,
      forMs,
      minEvents: 1,
      // A run starts only with an event that meets the condition.
      starts: met,
      step(p: Pending, e: NormalizedEvent, id: number): boolean {
        if (!met(e)) {
          // The condition broke: the run ends without firing.
          p.events.length = 0;
          p.head = 0;
          return false;
        }
        p.events.push(contribution(e, id));
        return e.ts - p.events[p.head]!.ts >= forMs;
      },
      // A run stays open until its condition breaks, however long that takes.
      isStale: (p: Pending) => p.head >= p.events.length,
    };
  },
  unreachable(t, rule, window) {
    if (t.for === undefined || t.for <= window.spanMs) return [];
    return [
      {
        key: "for",
        message: `rule ${rule} needs its condition to hold for ${t.for} ms but window ${window.id} spans ${window.spanMs} ms: it can never fire there`,
        hint: "shorten the duration, or replay a longer window",
      },
    ];
  },
};
