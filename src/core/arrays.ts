/**
 * Folds over arrays of any length. `Math.min(...xs)` and `out.push(...xs)` pass every element as
 * a call argument, which overflows the stack ("Maximum call stack size exceeded") at around
 * 100k elements; a window with that many incidents is large, not hostile, so these loop instead.
 */

/** The smallest of `values`, or `fallback` when there are none. */
export function minOf<T>(values: Iterable<number>, fallback: T): number | T {
  let out: number | undefined;
  for (const v of values) if (out === undefined || v < out) out = v;
  return out ?? fallback;
}

/** The largest of `values`, or `fallback` when there are none. */
export function maxOf<T>(values: Iterable<number>, fallback: T): number | T {
  let out: number | undefined;
  for (const v of values) if (out === undefined || v > out) out = v;
  return out ?? fallback;
}

/** Appends every item of `items` to `out` (in place) and returns `out`. */
export function appendAll<T>(out: T[], items: Iterable<T>): T[] {
  for (const item of items) out.push(item);
  return out;
}
