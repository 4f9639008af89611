/**
 * Bounded state and unreachable thresholds (issue 10): detect windows hold at most what their
 * threshold needs, a count the window can never reach holds nothing and is reported with its
 * file and line, and durations that are not exact milliseconds are located errors.
 */
import { describe, expect, it } from "vitest";
import { Engine } from "../../../src/core/engine/engine.js";
import { InputError } from "../../../src/core/errors.js";
import { unreachableThresholds } from "../../../src/core/policy/reachability.js";
import { ev, policy } from "../../support/engine.js";

const body = (threshold: string) => `detect:
  - id: flap
    match: { signal: bgp }
    threshold: ${threshold}
    fingerprint: [rule, scope.pop]
`;

describe("unreachable thresholds", () => {
  it("reports a count above the window's events as a warning with file, line and path", () => {
    const p = policy(body("{ count: 1000000000, within: 60s }"));
    const problems = unreachableThresholds(p, { id: "w1", events: 5000, spanMs: 3_600_000 });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: "test.yaml", line: 7, path: "detect[0].threshold.count" });
    expect(problems[0]!.message).toBe("rule flap needs 1000000000 events but window w1 holds 5000: it can never fire there");
  });

  it("reports a for longer than the window's span", () => {
    const p = policy(body("{ above: 1, for: 2h }"));
    const problems = unreachableThresholds(p, { id: "w1", events: 5000, spanMs: 3_600_000 });
    expect(problems.map((x) => x.path)).toEqual(["detect[0].threshold.for"]);
  });

  it("says nothing about thresholds the window can meet", () => {
    expect(unreachableThresholds(policy(body("{ count: 5000, within: 60s }")), { id: "w", events: 5000, spanMs: 1000 })).toEqual([]);
    expect(unreachableThresholds(policy(body("{ above: 1, for: 1s }")), { id: "w", events: 1, spanMs: 1000 })).toEqual([]);
  });

  it("rejects a duration above 2^53 ms with its file, line and path", () => {
    let err: unknown;
    try {
      policy(body("{ count: 3, within: 999999999999h }"));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    const [problem] = (err as InputError).problems;
    expect(problem).toMatchObject({ file: "test.yaml", line: 7, path: "detect[0].threshold.within" });
    expect(problem!.message).toContain("above 2^53-1 ms");
    expect(() => policy(body("{ count: 3, within: 2501999792h }"))).not.toThrow();
  });
});

describe("bounded detect state", () => {
  it("holds no pending events for a count rule the window cannot reach", () => {
    const p = policy(body("{ count: 1000000000, within: 87600h }")).compiled;
    const bounded = new Engine(p, { windowEvents: 1000 });
    const unbounded = new Engine(p);
    for (let i = 0; i < 1000; i++) {
      bounded.push(ev({ at: i }), i);
      unbounded.push(ev({ at: i }), i);
    }
    expect(bounded.snapshot().pending).toEqual([]);
    expect(unbounded.snapshot().pending[0]!.events).toHaveLength(1000);
    expect(bounded.finish().counts).toEqual(unbounded.finish().counts);
  });

  it("never holds as many events as the count in a sliding window", () => {
    const p = policy(body("{ count: 50, within: 87600h }")).compiled;
    const engine = new Engine(p);
    let most = 0;
    for (let i = 0; i < 1000; i++) {
      engine.push(ev({ at: i }), i);
      most = Math.max(most, engine.snapshot().pending[0]?.events.length ?? 0);
    }
    expect(most).toBe(49);
    expect(engine.finish().counts.alerts).toBe(20);
  });

  it("keeps no trace entries unless asked, with the same signatures and length", () => {
    const p = policy(body("{ count: 1, within: 1s }") + "    standalone: true\n").compiled;
    const streamed = new Engine(p);
    const kept = new Engine(p, { trace: true });
    for (let i = 0; i < 500; i++) {
      streamed.push(ev({ at: i * 400 }), i);
      kept.push(ev({ at: i * 400 }), i);
    }
    const s = streamed.finish(),
      k = kept.finish();
    expect(s.trace).toEqual([]);
    expect(k.trace.length).toBeGreaterThan(500);
    expect([s.trace_length, s.trace_signature, s.timeline_signature, s.last_state_signature]).toEqual([k.trace.length, k.trace_signature, k.timeline_signature, k.trace.at(-1)!.state_signature]);
  });
});
