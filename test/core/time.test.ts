/** RFC 3339 timestamps to ms and back, by arithmetic alone. */
import { describe, expect, it } from "vitest";
import { formatTimestamp, parseTimestamp } from "../../src/core/time.js";

describe("parseTimestamp", () => {
  it("reads a UTC time the same whatever was read before it (an offset time of the same second does not seed the one-second memo)", () => {
    const utc = "2026-01-02T00:00:01.000Z";
    const alone = parseTimestamp(utc);
    expect(alone).toBe(Date.UTC(2026, 0, 2, 0, 0, 1));
    expect(parseTimestamp("2026-01-02T00:00:01.001+01:00")).toBe(Date.UTC(2026, 0, 1, 23, 0, 1, 1));
    expect(parseTimestamp(utc)).toBe(alone);
    expect(parseTimestamp("2026-01-02T00:00:01.5-05:30")).toBe(Date.UTC(2026, 0, 2, 5, 30, 1, 500));
    expect(parseTimestamp("2026-01-02T00:00:01.250Z")).toBe(alone! + 250);
  });

  it("truncates fractions past milliseconds, refuses impossible dates and round-trips with formatTimestamp", () => {
    expect(parseTimestamp("2026-01-02T00:00:00.123999Z")).toBe(Date.UTC(2026, 0, 2, 0, 0, 0, 123));
    expect(parseTimestamp("2023-02-29T00:00:00Z")).toBeUndefined();
    expect(parseTimestamp("2024-02-29T00:00:00Z")).toBe(Date.UTC(2024, 1, 29));
    for (const ms of [0, 1, 999, 1767312000500, 253402300799999]) expect(parseTimestamp(formatTimestamp(ms))).toBe(ms);
  });
});
