/**
 * The detect-kind seam (issue 12 item 6): a threshold is recognised by its keys as exactly one
 * registered kind, compiled to that kind's member of the union, and checked by that kind; the
 * registry lists the keys, forms and duration keys every consumer derives from it.
 */
import { describe, expect, it } from "vitest";
import { checkThreshold, compileThreshold, DETECT_KINDS, THRESHOLD_DURATION_KEYS, THRESHOLD_KEYS } from "../../../src/core/engine/detect/kinds.js";
import { newPending } from "../../../src/core/engine/detect/kind.js";
import { InputError } from "../../../src/core/errors.js";
import { ev, policy } from "../../support/engine.js";

describe("detect kinds", () => {
  it("registers count and level, whose keys make up the threshold block", () => {
    expect(DETECT_KINDS.map((k) => k.kind)).toEqual(["count", "level"]);
    expect(Object.keys(THRESHOLD_KEYS)).toEqual(["count", "within", "above", "below", "for"]);
    expect(THRESHOLD_DURATION_KEYS).toEqual(["within", "for"]);
  });

  it("compiles each threshold to its kind's member of the union, with only that kind's fields", () => {
    const count = compileThreshold({ count: 3, within: 60_000 });
    expect(count).toMatchObject({ kind: "count", count: 3, withinMs: 60_000, minEvents: 3 });
    expect(count).not.toHaveProperty("forMs");
    const level = compileThreshold({ below: 5, for: 30_000 });
    expect(level).toMatchObject({ kind: "level", forMs: 30_000, minEvents: 1 });
    expect(level).not.toHaveProperty("count");
    if (level.kind !== "level") throw new Error("expected a level threshold");
    expect([level.holds(4), level.holds(5)]).toEqual([true, false]);
  });

  it("names the forms of the kinds a threshold mixes, and every kind's example when it has none", () => {
    expect(checkThreshold({ count: 3, for: 1000 })).toEqual([{ message: "use either {count, within} or {above|below, for}, not both" }]);
    expect(checkThreshold({})).toEqual([{ message: "expected {count: N, within: D} or {above|below: X, for: D}" }]);
    expect(checkThreshold({ within: 1000 })).toEqual([{ key: "count", message: "count is required with within" }]);
  });

  it("rejects a policy whose threshold mixes kinds, with the file, line and path", () => {
    const text = "detect:\n  - id: flap\n    match: { signal: bgp }\n    threshold: { count: 3, within: 10s, above: 2 }\n";
    expect(() => policy(text)).toThrow(InputError);
    expect(() => policy(text)).toThrow(/test\.yaml:7:\d+: detect\[0\]\.threshold: use either \{count, within\} or \{above\|below, for\}, not both/);
  });

  it("steps a level state: a broken condition empties it, a held one fires after `for`", () => {
    const t = compileThreshold({ above: 10, for: 2000 });
    const p = newPending();
    expect(t.starts(ev({ at: 0, value: 5 }))).toBe(false);
    expect(t.step(p, ev({ at: 0, value: 11 }), 0)).toBe(false);
    expect(t.step(p, ev({ at: 1, value: 9 }), 1)).toBe(false);
    expect(p.events.length - p.head).toBe(0);
    expect(t.isStale(p, 0)).toBe(true);
    expect(t.step(p, ev({ at: 2, value: 11 }), 2)).toBe(false);
    expect(t.isStale(p, Number.MAX_SAFE_INTEGER)).toBe(false);
    expect(t.step(p, ev({ at: 4, value: 12 }), 3)).toBe(true);
  });

  it("ages a count state once its last event is more than `within` old", () => {
    const t = compileThreshold({ count: 5, within: 1000 });
    const p = newPending();
    t.step(p, ev({ at: 0 }), 0);
    const last = p.events[0]!.ts;
    expect(t.isStale(p, last + 1000)).toBe(false);
    expect(t.isStale(p, last + 1001)).toBe(true);
  });
});
