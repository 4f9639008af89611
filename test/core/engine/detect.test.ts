import { describe, expect, it } from "vitest";
import { ev, run } from "../../support/engine.js";

const countRule = (count: number, within: string) => `detect:
  - id: flap
    match: { signal: bgp }
    threshold: { count: ${count}, within: ${within} }
    fingerprint: [rule, scope.pop]
    standalone: true
`;

describe("count-within detection", () => {
  it("fires on exactly the N-th event when it is exactly D after the first", () => {
    const r = run(countRule(3, "10s"), [ev({ at: 0 }), ev({ at: 5 }), ev({ at: 10 })]);
    expect(r.counts.alerts).toBe(1);
    expect(r.groups[0]!.events).toEqual([0, 1, 2]);
    expect(r.groups[0]!.start).toBe(r.groups[0]!.end);
  });

  it("does not fire when the N-th event is 1 ms more than D after the first", () => {
    const r = run(countRule(3, "10s"), [ev({ at: 0 }), ev({ at: 5 }), ev({ at: 10.001 })]);
    expect(r.counts.alerts).toBe(0);
  });

  it("slides: an old event leaves the window and a later one completes it", () => {
    const r = run(countRule(3, "10s"), [ev({ at: 0 }), ev({ at: 8 }), ev({ at: 12 }), ev({ at: 15 })]);
    expect(r.counts.alerts).toBe(1);
    expect(r.groups[0]!.events).toEqual([1, 2, 3]);
  });

  it("counts events with equal timestamps, in file order", () => {
    const r = run(countRule(3, "0ms"), [ev({ at: 1 }), ev({ at: 1 }), ev({ at: 1 })]);
    expect(r.counts.alerts).toBe(1);
    expect(r.groups[0]!.events).toEqual([0, 1, 2]);
  });

  it("restarts the window after firing", () => {
    const events = [0, 1, 2, 3, 4, 5, 6].map((at) => ev({ at }));
    const r = run(countRule(3, "60s"), events);
    expect(r.counts.alerts).toBe(2);
    expect(r.counts.alerts_by_rule).toEqual({ flap: 2 });
  });

  it("keeps one window per fingerprint", () => {
    const a = (at: number) => ev({ at, scope: { pop: "POP-1" } });
    const b = (at: number) => ev({ at, scope: { pop: "POP-2" } });
    const r = run(countRule(2, "10s"), [a(0), b(1), a(2), b(30)]);
    expect(r.counts.alerts).toBe(1);
    expect(r.groups.map((g) => g.fingerprint)).toEqual(["flap/POP-1"]);
  });
});

const levelRule = (op: "above" | "below", x: number, d: string) => `detect:
  - id: lat
    match: { signal: metric, name: p99 }
    threshold: { ${op}: ${x}, for: ${d} }
    standalone: true
`;
const m = (at: number, value: number) => ev({ at, signal: "metric", name: "p99", value });

describe("above/below-for detection", () => {
  it("fires at the first sample at which the condition has held for exactly D", () => {
    const r = run(levelRule("above", 250, "30s"), [m(0, 300), m(10, 300), m(20, 300), m(30, 300)]);
    expect(r.counts.alerts).toBe(1);
    expect(r.groups[0]!.start).toBe(r.groups[0]!.end);
    expect(r.groups[0]!.events).toEqual([0, 1, 2, 3]);
  });

  it("does not fire when the condition breaks before D", () => {
    const r = run(levelRule("above", 250, "30s"), [m(0, 300), m(10, 300), m(20, 200), m(30, 300), m(50, 300)]);
    expect(r.counts.alerts).toBe(0);
  });

  it("treats the threshold itself as not above", () => {
    const r = run(levelRule("above", 250, "0s"), [m(0, 250)]);
    expect(r.counts.alerts).toBe(0);
  });

  it("supports below", () => {
    const r = run(levelRule("below", 5, "10s"), [m(0, 1), m(10, 2)]);
    expect(r.counts.alerts).toBe(1);
  });

  it("fires again after D more when the condition persists", () => {
    const samples = [0, 10, 20, 30, 40, 50, 60, 70].map((at) => m(at, 400));
    const r = run(levelRule("above", 250, "30s"), samples);
    // fires at 30 (0..30), the run restarts at 40 and fires at 70 (40..70)
    expect(r.counts.alerts).toBe(2);
  });
});
