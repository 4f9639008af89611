/**
 * Thresholds a window can never meet (issue 10). A `count` above the number of events the
 * window pins can never be reached in it, and a `for` longer than the window's span can never
 * elapse in it. These are warnings, not errors: one policy is replayed on many windows, and a
 * threshold out of reach of a short window is right for a long one — but a rule that cannot
 * fire proves nothing on that window, so the user is told where it is. (A duration that is not
 * an exact number of milliseconds, above 2^53 ms, is an error when the policy loads.)
 */
import { unreachableThreshold } from "../engine/detect/kinds.js";
import type { WindowCapacity } from "../engine/detect/kind.js";
import type { Problem } from "../errors.js";
import type { LoadedPolicy } from "./load.js";

export type { WindowCapacity };

/** One located problem per threshold key a window cannot meet, in policy order (each kind says which: engine/detect/). */
export function unreachableThresholds(policy: LoadedPolicy, window: WindowCapacity): Problem[] {
  const out: Problem[] = [];
  policy.doc.detect.forEach((rule, i) => {
    for (const u of unreachableThreshold(rule.threshold, rule.id, window)) {
      const path = ["detect", i, "threshold", u.key];
      out.push({ file: policy.file, ...policy.locate(path), path: `detect[${i}].threshold.${u.key}`, message: u.message, hint: u.hint });
    }
  });
  return out;
}
