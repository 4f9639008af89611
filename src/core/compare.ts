/** Named comparators: every sort in replay-gate says what it orders by, in code-unit order, never by locale. */

/** Code-unit order; the same on every machine and locale. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareNumbers(a: number, b: number): number {
  return a - b;
}

/** Sorted copy of distinct strings. */
export function sortedUnique<T extends string>(values: Iterable<T>): T[] {
  return [...new Set(values)].sort(compareStrings);
}
