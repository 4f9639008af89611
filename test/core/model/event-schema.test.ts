/**
 * The hot-path validator (normalizeEvent) and the documented zod schema must agree on what an
 * event is. Seeded mutations of valid events probe the edges.
 */
import { describe, expect, it } from "vitest";
import { eventSchema, isEventIssue, normalizeEvent } from "../../../src/core/event.js";
import { parseTimestamp } from "../../../src/core/time.js";
import { prng } from "../../../scripts/prng.mjs";

const valid = () => ({
  ts: "2026-02-26T10:12:00.250Z",
  signal: "bgp",
  name: "bgp.withdraw",
  scope: { pop: "POP-12", service: "edge-gw" },
  source: "rtr",
  value: 1.5,
  severity: "major",
  attrs: { peer: "192.0.2.1", up: true, n: 3 },
  labels: { alertname: "BGPDown", __name__: "x" },
  annotations: { summary: "s" },
  starts_at: "2026-02-26T10:11:00Z",
  ends_at: 1772100800000,
});
const BAD_VALUES: unknown[] = [null, 1, -1, 1.5, "", "x", true, [], {}, { a: 1 }, "2026-02-30T00:00:00Z", "smoke", Number.NaN, "__proto__"];
const KEYS = [
  "ts",
  "signal",
  "name",
  "scope",
  "source",
  "value",
  "severity",
  "attrs",
  "extra",
  "scope.pop",
  "scope.zone",
  "attrs.peer",
  "attrs.__proto__",
  "attrs.",
  "labels",
  "labels.alertname",
  "labels.__proto__",
  "labels.",
  "annotations",
  "annotations.summary",
  "starts_at",
  "ends_at",
];

function mutate(rnd: () => number): unknown {
  const e: Record<string, unknown> = JSON.parse(JSON.stringify(valid()));
  const key = KEYS[Math.floor(rnd() * KEYS.length)]!;
  const value = BAD_VALUES[Math.floor(rnd() * BAD_VALUES.length)];
  const remove = rnd() < 0.2;
  const [top, sub] = key.split(".") as [string, string | undefined];
  if (sub === undefined) {
    if (remove) delete e[top];
    else e[top] = value;
  } else {
    const obj = (e[top] ?? {}) as Record<string, unknown>;
    if (remove) delete obj[sub];
    else Object.defineProperty(obj, sub, { value, enumerable: true, configurable: true, writable: true });
    e[top] = obj;
  }
  return JSON.parse(JSON.stringify(e));
}

/** zod's answer, with the same extra rule normalizeEvent applies to `ts` strings. */
function zodAccepts(raw: unknown): boolean {
  const r = eventSchema.safeParse(raw);
  if (!r.success) return false;
  const { ts, value, attrs, starts_at, ends_at } = r.data;
  for (const t of [ts, starts_at, ends_at]) if (typeof t === "string" && parseTimestamp(t) === undefined) return false;
  if (value !== undefined && !Number.isFinite(value)) return false;
  if (attrs && Object.values(attrs).some((v) => typeof v === "number" && !Number.isFinite(v))) return false;
  return true;
}

describe("normalizeEvent agrees with the zod event schema", () => {
  it("accepts a valid event and turns ts into integer milliseconds", () => {
    const e = normalizeEvent(valid());
    expect(isEventIssue(e)).toBe(false);
    expect((e as { ts: number }).ts).toBe(Date.UTC(2026, 1, 26, 10, 12, 0, 250));
  });

  it("keeps an alert's label set as captured and turns starts_at / ends_at into milliseconds", () => {
    const e = normalizeEvent({ ts: 1000, signal: "alert", name: "HighLatency", scope: {}, labels: { alertname: "HighLatency", le: "0.5" }, starts_at: "1970-01-01T00:00:00.5Z", ends_at: 9000 });
    expect(isEventIssue(e)).toBe(false);
    expect(e).toMatchObject({ labels: { alertname: "HighLatency", le: "0.5" }, starts_at: 500, ends_at: 9000 });
    expect(normalizeEvent({ ts: 1, signal: "alert", name: "a", scope: {}, labels: { alertname: 1 } })).toEqual({ path: "labels.alertname", message: "expected a string" });
  });

  it("agrees on 3,000 seeded mutations", () => {
    const rnd = prng(42);
    let refused = 0;
    for (let i = 0; i < 3000; i++) {
      const raw = mutate(rnd);
      const fast = !isEventIssue(normalizeEvent(JSON.parse(JSON.stringify(raw))));
      expect({ raw, fast }).toEqual({ raw, fast: zodAccepts(raw) });
      if (!fast) refused++;
    }
    expect(refused).toBeGreaterThan(1000);
  });

  it("parses RFC 3339 forms the same with and without the one-second memo", () => {
    const forms = ["2026-02-26T10:12:00Z", "2026-02-26T10:12:00.5Z", "2026-02-26T10:12:00.123456Z", "2026-02-26T11:12:00+01:00", "2026-02-26T10:12:00.9-00:30", "2024-02-29T23:59:59.999Z"];
    const once = forms.map(parseTimestamp);
    const again = forms.map(parseTimestamp);
    expect(again).toEqual(once);
    expect(once).toEqual([
      Date.parse("2026-02-26T10:12:00Z"),
      Date.parse("2026-02-26T10:12:00.500Z"),
      Date.parse("2026-02-26T10:12:00.123Z"),
      Date.parse("2026-02-26T10:12:00Z"),
      Date.parse("2026-02-26T10:42:00.900Z"),
      Date.parse("2024-02-29T23:59:59.999Z"),
    ]);
    for (const bad of ["2026-02-26T10:12:00", "2026-02-26 10:12:00Z", "2026-13-01T00:00:00Z", "2025-02-29T00:00:00Z", "2026-02-26T10:12:00.Z", "2026-02-26T10:12:00ZZ"])
      expect(parseTimestamp(bad)).toBeUndefined();
  });
});
