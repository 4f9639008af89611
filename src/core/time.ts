/**
 * RFC 3339 timestamps to integer milliseconds UTC and back, by arithmetic alone: no Date,
 * no time zone database, no locale, so every machine agrees on every value.
 */

const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The proleptic Gregorian [year, month 1-12, day] of a day count since 1970-01-01 (its inverse). */
export function civilFromDays(z: number): [number, number, number] {
  const zz = z + 719468;
  const era = Math.floor(zz / 146097);
  const doe = zz - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

function digits(s: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Parses `YYYY-MM-DDTHH:MM:SS[.fff…](Z|±HH:MM)` to epoch milliseconds; fractions beyond
 * milliseconds are truncated. Returns undefined for anything else, including impossible dates.
 */
export function parseTimestamp(s: string): number | undefined {
  if (s.length < 20 || s.length > 40) return undefined;
  // Consecutive events mostly share their second; reuse its parse (a pure memo of one entry).
  if (s.charCodeAt(19) !== 43 && s.charCodeAt(19) !== 45 && lastSecond !== "" && s.startsWith(lastSecond)) {
    const rest = parseFractionZ(s);
    if (rest !== undefined) return lastSecondMs + rest;
  }
  const full = parseFull(s);
  // Only a UTC time seeds the memo: `.001+01:00` is no fraction of the second it starts with.
  const fraction = full === undefined ? undefined : parseFractionZ(s);
  if (fraction !== undefined) {
    lastSecond = s.slice(0, 19);
    lastSecondMs = full! - fraction;
  }
  return full;
}

let lastSecond = "";
let lastSecondMs = 0;

/** Milliseconds of `.fff…Z` (or `Z`) after the seconds, or undefined when the tail is anything else. */
function parseFractionZ(s: string): number | undefined {
  let i = 19;
  let ms = 0;
  if (s.charCodeAt(i) === 46) {
    i++;
    const start = i;
    let scale = 100;
    while (i < s.length) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      if (scale >= 1) ms += c * scale;
      scale /= 10;
      i++;
    }
    if (i === start) return undefined;
  }
  const z = s.charCodeAt(i);
  return (z === 90 || z === 122) && i + 1 === s.length ? ms : undefined;
}

function parseFull(s: string): number | undefined {
  const y = digits(s, 0, 4),
    mo = digits(s, 5, 2),
    d = digits(s, 8, 2);
  const h = digits(s, 11, 2),
    mi = digits(s, 14, 2),
    se = digits(s, 17, 2);
  if (s[4] !== "-" || s[7] !== "-" || (s[10] !== "T" && s[10] !== "t") || s[13] !== ":" || s[16] !== ":") return undefined;
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59) return undefined;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (d > (mo === 2 && !leap ? 28 : DAYS_IN_MONTH[mo - 1]!)) return undefined;
  let i = 19;
  let ms = 0;
  if (s[i] === ".") {
    i++;
    const start = i;
    while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
    if (i === start) return undefined;
    const frac = s.slice(start, Math.min(i, start + 3)).padEnd(3, "0");
    ms = digits(frac, 0, 3);
  }
  let offsetMin = 0;
  const tz = s[i];
  if (tz === "Z" || tz === "z") {
    if (i + 1 !== s.length) return undefined;
  } else if (tz === "+" || tz === "-") {
    if (i + 6 !== s.length || s[i + 3] !== ":") return undefined;
    const oh = digits(s, i + 1, 2),
      om = digits(s, i + 4, 2);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return undefined;
    offsetMin = (oh * 60 + om) * (tz === "+" ? 1 : -1);
  } else {
    return undefined;
  }
  return daysFromCivil(y, mo, d) * MS_PER_DAY + ((h * 60 + mi - offsetMin) * 60 + se) * 1000 + ms;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

/** Formats epoch milliseconds as `YYYY-MM-DDTHH:MM:SS.sssZ` (milliseconds omitted when zero). */
export function formatTimestamp(ms: number): string {
  const days = Math.floor(ms / MS_PER_DAY);
  let rest = ms - days * MS_PER_DAY;
  const [y, m, d] = civilFromDays(days);
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const mi = Math.floor(rest / 60_000);
  rest -= mi * 60_000;
  const s = Math.floor(rest / 1000);
  const milli = rest - s * 1000;
  const frac = milli === 0 ? "" : `.${pad(milli, 3)}`;
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}${frac}Z`;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses `250ms`, `60s`, `5m`, `1h` (a whole number and one unit) to milliseconds. */
export function parseDuration(s: string): number | undefined {
  let i = 0;
  while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
  if (i === 0 || i > 12) return undefined;
  const unit = UNIT_MS[s.slice(i)];
  if (unit === undefined) return undefined;
  return Number(s.slice(0, i)) * unit;
}

/** Renders milliseconds back as the largest whole unit (`120000` → `2m`). */
export function formatDuration(ms: number): string {
  for (const [unit, size] of [
    ["h", 3_600_000],
    ["m", 60_000],
    ["s", 1000],
  ] as const) {
    if (ms !== 0 && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
