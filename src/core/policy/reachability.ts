/**
 * Thresholds a window can never meet (issue 10). A `count` above the number of events the
 * window pins can never be reached in it, and a `for` longer than the window's span can never
 * elapse in it. These are warnings, not errors: one policy is replayed on many windows, and a
 * threshold out of reach of a short window is right for a long one — but a rule that cannot
 * fire proves nothing on that window, so the user is told where it is. (A duration that is not
 * an exact number of milliseconds, above 2^53 ms, is an error when the policy loads.)
 */
import type { Problem } from "../errors.js";
import type { LoadedPolicy } from "./load.js";

/** What a window offers a threshold: its id, pinned event count and span (end − start). */
export interface WindowCapacity {
  readonly id: string;
  readonly events: number;
  readonly spanMs: number;
}

/** One located problem per detect rule whose threshold the window cannot meet, in policy order. */
export function unreachableThresholds(policy: LoadedPolicy, window: WindowCapacity): Problem[] {
  const out: Problem[] = [];
  policy.doc.detect.forEach((rule, i) => {
    const t = rule.threshold;
    if (t.count !== undefined && t.count > window.events) {
      const path = ["detect", i, "threshold", "count"];
      out.push({
        file: policy.file, ...policy.locate(path), path: `detect[${i}].threshold.count`,
        message: `rule ${rule.id} needs ${t.count} events but window ${window.id} holds ${window.events}: it can never fire there`,
        hint: "lower the count, or replay a window that can reach it",
      });
    }
    if (t.for !== undefined && t.for > window.spanMs) {
      const path = ["detect", i, "threshold", "for"];
      out.push({
        file: policy.file, ...policy.locate(path), path: `detect[${i}].threshold.for`,
        message: `rule ${rule.id} needs its condition to hold for ${t.for} ms but window ${window.id} spans ${window.spanMs} ms: it can never fire there`,
        hint: "shorten the duration, or replay a longer window",
      });
    }
  });
  return out;
}
