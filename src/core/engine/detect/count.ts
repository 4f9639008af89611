/** `threshold: {count: N, within: D}`: fires when N matching events fall within D (a sliding window). */
import { z } from "zod";
import type { NormalizedEvent } from "../../event.js";
import { durationSchema } from "../../policy/duration.js";
import { contribution, type CompiledThreshold, type DetectKind, type Pending } from "./kind.js";

const keys = {
  count: z.number().int().positive().optional(),
  within: durationSchema.optional(),
};

export interface CountThreshold extends CompiledThreshold {
  readonly kind: "count";
  readonly count: number;
  readonly withinMs: number;
}

/**
 * Expired events are dropped by moving `head`; the array is compacted once more than this many
 * are dead and they are over half of it, so compaction costs O(1) per event amortised and a
 * short window never copies.
 */
const COMPACT_AFTER = 64;

export const countKind: DetectKind<typeof keys, CountThreshold> = {
  kind: "count",
  keys,
  form: "{count, within}",
  example: "{count: N, within: D}",
  durationKeys: ["within"],
  check(t) {
    const issues = [];
    if (t.count === undefined) issues.push({ key: "count", message: "count is required with within" });
    if (t.within === undefined) issues.push({ key: "within", message: "expected a duration like 60s (units: ms, s, m, h)" });
    return issues;
  },
  compile(t) {
    const count = t.count!;
    const withinMs = t.within!;
    return {
      kind: "count",
      count,
      withinMs,
      minEvents: count,
      starts: () => true,
      step(p: Pending, e: NormalizedEvent, id: number): boolean {
        p.events.push(contribution(e, id));
        // Sliding window: keep the events at most `within` before this one.
        while (p.head < p.events.length && e.ts - p.events[p.head]!.ts > withinMs) p.head++;
        if (p.head > COMPACT_AFTER && p.head * 2 > p.events.length) {
          p.events.splice(0, p.head);
          p.head = 0;
        }
        return p.events.length - p.head >= count;
      },
      isStale(p: Pending, now: number): boolean {
        return p.head >= p.events.length || now - p.events[p.events.length - 1]!.ts > withinMs;
      },
    };
  },
  unreachable(t, rule, window) {
    if (t.count === undefined || t.count <= window.events) return [];
    return [
      {
        key: "count",
        message: `rule ${rule} needs ${t.count} events but window ${window.id} holds ${window.events}: it can never fire there`,
        hint: "lower the count, or replay a window that can reach it",
      },
    ];
  },
};
