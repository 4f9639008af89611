import { describe, expect, it } from "vitest";
import { bcubed, roundScore } from "../../../src/core/parity/bcubed.js";
import { prng } from "../../../scripts/prng.mjs";

describe("B-cubed parity", () => {
  it("scores identical clusterings 1.0", () => {
    const c = [[1, 2, 3], [4, 5], [9]];
    expect(bcubed(c, c)).toEqual({ precision: 1, recall: 1, f1: 1 });
  });

  it("scores two empty results 1.0 (nothing to disagree on)", () => {
    expect(bcubed([], []).f1).toBe(1);
  });

  it("scores a split: head breaks one base incident in two halves", () => {
    // base {1,2,3,4}; head {1,2} {3,4}: precision 1, recall 1/2 for every event.
    const s = bcubed(
      [[1, 2, 3, 4]],
      [
        [1, 2],
        [3, 4],
      ],
    );
    expect(s.precision).toBe(1);
    expect(s.recall).toBe(0.5);
    expect(roundScore(s.f1)).toBe(0.6667);
  });

  it("scores a merge as the mirror image of a split", () => {
    const merge = bcubed(
      [
        [1, 2],
        [3, 4],
      ],
      [[1, 2, 3, 4]],
    );
    expect(merge.precision).toBe(0.5);
    expect(merge.recall).toBe(1);
    expect(roundScore(merge.f1)).toBe(0.6667);
  });

  it("scores disjoint results low: events incident-less on one side are singletons", () => {
    // base puts 1..4 together; head holds 5..8 together; each side's events are singletons on the other.
    const s = bcubed([[1, 2, 3, 4]], [[5, 6, 7, 8]]);
    expect(s.precision).toBeCloseTo((4 * 1 + 4 * 0.25) / 8, 10);
    expect(s.recall).toBeCloseTo((4 * 0.25 + 4 * 1) / 8, 10);
    expect(s.f1).toBeLessThan(0.7);
  });

  it("scores a removed incident by the events it held", () => {
    // The incident vanishes: its 4 events become singletons on head.
    expect(roundScore(bcubed([[1, 2, 3, 4]], []).f1)).toBe(0.4);
  });

  it("gives an event two incidents share to the first, the same way on both sides", () => {
    const c = [
      [1, 2, 3],
      [3, 4],
    ];
    expect(bcubed(c, c).f1).toBe(1);
  });
});

describe("bcubed over sparse event ids", () => {
  it("scores ids far apart exactly as the same clusterings over their ranks, without an array as long as the largest id", () => {
    const rnd = prng(515);
    for (let c = 0; c < 300; c++) {
      const ids = [...new Set(Array.from({ length: 40 }, () => Math.floor(rnd() * 200)))].sort((a, b) => a - b);
      const side = () => Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => ids.filter(() => rnd() < 0.3));
      const base = side(),
        head = side();
      // A strictly increasing map to ids up to 2^45: an array indexed by id could not be made.
      const far = (cl: number[][]) => cl.map((events) => events.map((e) => e * 2 ** 37 + 11));
      expect(bcubed(far(base), far(head))).toEqual(bcubed(base, head));
    }
  });
});
