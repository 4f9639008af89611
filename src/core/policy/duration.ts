/** Durations in policy files: `250ms`, `60s`, `5m`, `1h`, validated to exact milliseconds. */
import { z } from "zod";
import { parseDuration } from "../time.js";

/** The longest duration in whole hours that is still an exact number of milliseconds. */
const MAX_DURATION_HOURS = Math.floor(Number.MAX_SAFE_INTEGER / 3_600_000);

/** `250ms`, `60s`, `5m`, `1h`, parsed to milliseconds. */
export const durationSchema = z.string({ message: "expected a duration like 60s (units: ms, s, m, h)" }).transform((s, ctx) => {
  const ms = parseDuration(s);
  if (ms === undefined) {
    ctx.addIssue({ code: "custom", message: "expected a duration like 60s (units: ms, s, m, h)" });
    return z.NEVER;
  }
  // Past 2^53 ms, milliseconds are no longer exact integers and time arithmetic silently rounds.
  if (ms > Number.MAX_SAFE_INTEGER) {
    ctx.addIssue({ code: "custom", message: `${s} is ${ms.toExponential(3)} ms, above 2^53-1 ms (about 285,000 years): durations must be exact milliseconds; use at most ${MAX_DURATION_HOURS}h` });
    return z.NEVER;
  }
  return ms;
});
