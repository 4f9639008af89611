/** The clock the shells pass into evidence code (src/core has none): wall time for records, a monotonic timer for durations. */
import { performance } from "node:perf_hooks";

export interface Clock {
  /** Wall-clock ms since the epoch (run and decision records). */
  readonly now: () => number;
  /** Monotonic ms, for durations. */
  readonly monotonic: () => number;
}

export const systemClock: Clock = { now: () => Date.now(), monotonic: () => performance.now() };
