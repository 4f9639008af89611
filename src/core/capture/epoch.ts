/**
 * Source timestamps to integer milliseconds, exactly. Epoch seconds with fractions
 * (`1521911720.865716`) and nanoseconds (`1722384059314899647`) are converted from their decimal
 * digits, never through floating-point multiplication, which would turn `.865` into `864.9999`.
 * Sub-millisecond digits are truncated, as {@link parseTimestamp} does for RFC 3339.
 */
import { parseTimestamp } from "../time.js";

const MAX_MS = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z

function allDigits(s: string, from: number, to: number): boolean {
  if (to <= from) return false;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** `1521911720.865716` or `1521911720` (epoch seconds, decimal) → ms; undefined when not one. */
export function epochSecondsToMs(s: string): number | undefined {
  const dot = s.indexOf(".");
  const intEnd = dot === -1 ? s.length : dot;
  if (!allDigits(s, 0, intEnd) || intEnd > 12) return undefined;
  let ms = Number(s.slice(0, intEnd)) * 1000;
  if (dot !== -1) {
    if (!allDigits(s, dot + 1, s.length)) return undefined;
    ms += Number(s.slice(dot + 1, dot + 4).padEnd(3, "0"));
  }
  return ms <= MAX_MS ? ms : undefined;
}

/** A JSON number of epoch seconds → ms, through its shortest decimal form (exact for what was written). */
export function epochNumberToMs(n: number): number | undefined {
  if (!Number.isFinite(n) || n < 0) return undefined;
  const s = String(n);
  // Exponent forms (1e-7, 1.5e+21) are not plausible epoch seconds.
  if (s.includes("e")) return undefined;
  return epochSecondsToMs(s);
}

/** Epoch nanoseconds as written (`1722384059314899647`) → ms. */
export function epochNanosToMs(digits: string): number | undefined {
  if (!allDigits(digits, 0, digits.length) || digits.length > 22) return undefined;
  if (digits.length <= 6) return 0;
  const ms = Number(digits.slice(0, digits.length - 6));
  return ms <= MAX_MS ? ms : undefined;
}

/** A JSON timestamp that may be epoch seconds (number or numeric string) or RFC 3339. */
export function anyTimestampToMs(v: unknown): number | undefined {
  if (typeof v === "number") return epochNumberToMs(v);
  if (typeof v !== "string") return undefined;
  const c = v.charCodeAt(0);
  if (c >= 48 && c <= 57 && v.length >= 5 && v[4] === "-") return parseTimestamp(v);
  return epochSecondsToMs(v);
}

/** Alertmanager's "not set" time, Go's zero `time.Time`. */
export const GO_ZERO_TIME = "0001-01-01T00:00:00Z";
