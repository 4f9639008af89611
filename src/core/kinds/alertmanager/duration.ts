/**
 * Prometheus' `model.Duration` as Alertmanager 0.25 parses it: `0`, or units in the order
 * y w d h m s ms, each at most once (`1h30m`, `90s`, `1d`). A year is 365 days.
 */
const UNITS: readonly (readonly [string, number])[] = [
  ["y", 365 * 86_400_000],
  ["w", 7 * 86_400_000],
  ["d", 86_400_000],
  ["h", 3_600_000],
  ["m", 60_000],
  ["s", 1000],
  ["ms", 1],
];

/** Milliseconds, or an error message naming what Alertmanager would say. */
export function parseModelDuration(s: string): number | string {
  if (s === "0") return 0;
  if (s === "") return "empty duration string";
  let i = 0;
  let unitIndex = 0;
  let total = 0;
  while (i < s.length) {
    let j = i;
    while (j < s.length && s.charCodeAt(j) >= 48 && s.charCodeAt(j) <= 57) j++;
    if (j === i || j - i > 15) return `not a valid duration string: "${s}"`;
    const n = Number(s.slice(i, j));
    // `ms` before `m`: try the two-letter unit first.
    let matched = -1;
    for (let u = unitIndex; u < UNITS.length; u++) {
      const name = UNITS[u]![0];
      if (s.startsWith(name, j) && !(name === "m" && s.startsWith("ms", j))) {
        matched = u;
        break;
      }
    }
    if (matched < 0) return `not a valid duration string: "${s}"`;
    total += n * UNITS[matched]![1];
    i = j + UNITS[matched]![0].length;
    unitIndex = matched + 1;
  }
  if (!Number.isSafeInteger(total) || total > 9_223_372_036_854) return "duration out of range";
  return total;
}

/** Renders milliseconds as Prometheus does (`1h30m`, `5m`, `0s`). */
export function formatModelDuration(ms: number): string {
  if (ms === 0) return "0s";
  let out = "";
  let rest = ms;
  for (const [name, size] of UNITS) {
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${name}`;
      rest %= size;
    }
  }
  return out;
}
