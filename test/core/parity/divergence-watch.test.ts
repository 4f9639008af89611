/**
 * The divergence watch compares the steps of two running engines by their fields, not by a
 * digest per step: the same first divergence as the signatures of kept traces (the engine fuzz
 * test checks that over random policies), found without hashing each step.
 */
import { describe, expect, it } from "vitest";
import { TraceRecorder, type TraceStep } from "../../../src/core/engine/trace.js";
import { DivergenceWatch, sameStep } from "../../../src/core/parity/divergence.js";

const step = (index: number, over: Partial<TraceStep> = {}): TraceStep => ({ index, at_ms: 1000 + index, label: "alert.fire", event: index, rule: "r", ref: `fp-${index}`, total: index + 1, ...over });

describe("DivergenceWatch", () => {
  it("finds a step that differs only in its total (the size it grew), as its signature would", () => {
    const watch = new DivergenceWatch();
    for (let i = 0; i < 3; i++) {
      watch.onBase(step(i));
      watch.onHead(step(i, i === 2 ? { total: 99 } : {}));
      watch.endOfEvent();
    }
    const found = watch.result();
    expect(found?.index).toBe(2);
    expect(found?.baseStep).toEqual(step(2));
    expect(found?.headStep).toEqual(step(2, { total: 99 }));
  });

  it("finds a difference in every other field of a step", () => {
    const fields: Partial<TraceStep>[] = [{ at_ms: 7 }, { label: "group.open" }, { event: 42 }, { rule: "other" }, { ref: "fp-x" }];
    for (const over of fields) {
      const watch = new DivergenceWatch();
      watch.onBase(step(0));
      watch.onHead(step(0));
      watch.endOfEvent();
      watch.onHead(step(1, over));
      watch.onBase(step(1));
      watch.endOfEvent();
      expect(watch.result()?.index, JSON.stringify(over)).toBe(1);
    }
  });

  it("reports no divergence for equal steps, and the end of the shorter trace otherwise", () => {
    const same = new DivergenceWatch();
    const shorter = new DivergenceWatch();
    for (let i = 0; i < 4; i++) {
      same.onBase(step(i));
      same.onHead(step(i));
      same.endOfEvent();
      shorter.onBase(step(i));
      if (i < 3) shorter.onHead(step(i));
      shorter.endOfEvent();
    }
    expect(same.result()).toBeNull();
    expect(shorter.result()).toEqual({ index: 3, baseStep: step(3), headStep: null });
  });

  it("sameStep is equality of every field of the step's text", () => {
    expect(sameStep(step(5), step(5))).toBe(true);
    expect(sameStep(step(5), step(5, { total: 7 }))).toBe(false);
    expect(sameStep(step(5), step(5, { ref: "fp-5 " }))).toBe(false);
  });
});

describe("TraceRecorder with a watcher", () => {
  it("gives the watcher every step's fields and the same signatures as a kept trace, without keeping entries", () => {
    const seen: TraceStep[] = [];
    const watched = new TraceRecorder(false, undefined, (s) => seen.push(s));
    const kept = new TraceRecorder(true, undefined);
    for (let i = 0; i < 500; i++) {
      const s = step(i, { label: i % 3 === 0 ? "group.open" : "alert.fire" });
      watched.record(s.at_ms, s.label, s.event, s.rule, s.ref, s.total);
      kept.record(s.at_ms, s.label, s.event, s.rule, s.ref, s.total);
    }
    expect(watched.entries).toEqual([]);
    expect(seen).toHaveLength(500);
    expect(seen[123]).toEqual(step(123, { label: "group.open" }));
    expect(seen.some((s) => "state_signature" in s)).toBe(false);
    expect(watched.traceSignature()).toBe(kept.traceSignature());
    expect(watched.timelineSignature()).toBe(kept.timelineSignature());
    expect(watched.last()).toEqual(kept.last());
  });
});
