/**
 * Fingerprints, `on` and `equal` keys are unambiguous tuples (issue 10): values that only
 * look alike when joined with `/` never share a detect window, a group, a link or an inhibition.
 */
import { describe, expect, it } from "vitest";
import { prng } from "../../../scripts/prng.mjs";
import type { AttrValue } from "../../../src/core/event.js";
import { compileFingerprint, compileTupleKey, fingerprintPart, presentTupleKey } from "../../../src/core/tuple.js";
import { ev, run } from "../../support/engine.js";

const count3 = (fingerprint: string) => `detect:
  - id: flap
    match: { signal: bgp }
    threshold: { count: 3, within: 60s }
    fingerprint: ${fingerprint}
`;

/** Two streams of two events each: under count 3 neither fires unless they are taken for one. */
function twoStreams(a: Parameters<typeof ev>[0]["attrs"], aPop: string, b: Parameters<typeof ev>[0]["attrs"], bPop: string) {
  return [
    ev({ at: 0, scope: { pop: aPop }, ...(a ? { attrs: a } : {}) }),
    ev({ at: 1, scope: { pop: bPop }, ...(b ? { attrs: b } : {}) }),
    ev({ at: 2, scope: { pop: aPop }, ...(a ? { attrs: a } : {}) }),
    ev({ at: 3, scope: { pop: bPop }, ...(b ? { attrs: b } : {}) }),
  ];
}

describe("fingerprints as tuples", () => {
  it("keeps pop A/B with peer C apart from pop A with peer B/C", () => {
    const r = run(count3("[rule, scope.pop, attrs.peer]"), twoStreams({ peer: "C" }, "A/B", { peer: "B/C" }, "A"));
    expect(r.counts.alerts).toBe(0);
  });

  it("keeps a missing value apart from the string -", () => {
    const r = run(count3("[rule, scope.pop, attrs.peer]"), twoStreams(undefined, "P", { peer: "-" }, "P"));
    expect(r.counts.alerts).toBe(0);
  });

  it("keeps the number 1 apart from the string 1", () => {
    const r = run(count3("[rule, attrs.peer]"), twoStreams({ peer: 1 }, "P", { peer: "1" }, "P"));
    expect(r.counts.alerts).toBe(0);
  });

  it("keeps true apart from the string true", () => {
    const r = run(count3("[rule, attrs.up]"), twoStreams({ up: true }, "P", { up: "true" }, "P"));
    expect(r.counts.alerts).toBe(0);
  });

  it("still counts one stream of equal values together", () => {
    const r = run(count3("[rule, scope.pop, attrs.peer]"), twoStreams({ peer: "B/C" }, "A", { peer: "B/C" }, "A"));
    expect(r.counts.alerts).toBe(1);
    expect(r.groups[0]!.fingerprint).toBe('flap/A/"B/C"');
  });

  it("spells plain values bare and quotes only what could read otherwise", () => {
    expect(["POP-12", "198.51.100.1", "edge-1a", "NXDOMAIN"].map(fingerprintPart)).toEqual(["POP-12", "198.51.100.1", "edge-1a", "NXDOMAIN"]);
    expect(["A/B", "-", "1", "1.5e3", "true", "null", "", "a b", 'say "x"', "\u001b[31m"].map(fingerprintPart)).toEqual([
      '"A/B"',
      '"-"',
      '"1"',
      '"1.5e3"',
      '"true"',
      '"null"',
      '""',
      '"a b"',
      '"say \\"x\\""',
      '"\\u001b[31m"',
    ]);
    expect([undefined, 1, -2.5, true].map(fingerprintPart)).toEqual(["-", "1", "-2.5", "true"]);
  });

  it("maps distinct tuples to distinct fingerprints over 20,000 seeded tricky tuples", () => {
    const rnd = prng(10);
    const atoms: (AttrValue | undefined)[] = [undefined, "-", "", "/", "A", "A/B", "B", "B/C", "C", "1", 1, "true", true, false, '"', '"A"', "\\", "-1", -1, "1e3", 1000];
    const seen = new Map<string, string>();
    for (let i = 0; i < 20_000; i++) {
      const tuple = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => atoms[Math.floor(rnd() * atoms.length)]);
      const fp = tuple.map(fingerprintPart).join("/");
      const identity = JSON.stringify(tuple.map((v) => (v === undefined ? { missing: true } : { v })));
      const before = seen.get(fp);
      if (before !== undefined) expect(before).toBe(identity);
      seen.set(fp, identity);
    }
    expect(seen.size).toBeGreaterThan(1000);
  });
});

describe("correlation and inhibition keys", () => {
  const correlate = `detect:
  - id: a
    match: { name: a }
    threshold: { count: 1, within: 1s }
    fingerprint: [rule, attrs.k]
  - id: b
    match: { name: b }
    threshold: { count: 1, within: 1s }
    fingerprint: [rule, attrs.k]
correlate:
  - id: link
    join: [a, b]
    on: [attrs.k]
    within: 60s
`;

  it("links groups whose on values are equal", () => {
    const r = run(correlate, [ev({ at: 0, name: "a", attrs: { k: 1 } }), ev({ at: 1, name: "b", attrs: { k: 1 } })]);
    expect(r.counts.incidents).toBe(1);
  });

  it("does not link the number 1 with the string 1, nor two missing values", () => {
    const r = run(correlate, [ev({ at: 0, name: "a", attrs: { k: 1 } }), ev({ at: 1, name: "b", attrs: { k: "1" } }), ev({ at: 2, name: "a" }), ev({ at: 3, name: "b" })]);
    expect(r.counts.incidents).toBe(0);
  });

  it("does not inhibit across the number 1 and the string 1", () => {
    const r = run(
      `inhibit:
  - id: mute
    source: a
    target: b
    equal: [attrs.k]
${correlate.split("correlate:")[0]}`,
      [ev({ at: 0, name: "a", attrs: { k: 1 } }), ev({ at: 1, name: "b", attrs: { k: "1" } }), ev({ at: 2, name: "b", attrs: { k: 1 } })],
    );
    expect(r.counts.inhibited).toEqual({ mute: 1 });
    expect(r.trace.filter((t) => t.label === "alert.inhibit").map((t) => t.event)).toEqual([2]);
  });

  it("encodes a present tuple exactly and a tuple with a missing part as nothing", () => {
    expect(presentTupleKey([1])).not.toBe(presentTupleKey(["1"]));
    expect(presentTupleKey(["A/B", "C"])).not.toBe(presentTupleKey(["A", "B/C"]));
    expect(presentTupleKey(["A", undefined])).toBeUndefined();
  });

  it('gives the same keys and fingerprints from its memory of values as computed afresh, 1 apart from "1", past the memory\'s size', () => {
    type E = { readonly a?: AttrValue; readonly b?: AttrValue };
    const one = compileTupleKey<E>([(e) => e.a]);
    const two = compileTupleKey<E>([(e) => e.a, (e) => e.b]);
    const fp = compileFingerprint<E>("rule", [(e) => e.a, (e) => e.b]);
    const rnd = prng(7);
    const pool: (AttrValue | undefined)[] = [1, "1", true, "true", "-", "A/B", -0, 0, undefined, "POP-1"];
    // Enough distinct values to fill and clear the memory several times, with repeats between.
    for (let i = 0; i < 5000; i++) {
      const pick = (): AttrValue | undefined => (rnd() < 0.5 ? pool[Math.floor(rnd() * pool.length)] : rnd() < 0.5 ? `peer-${Math.floor(rnd() * 3000)}` : Math.floor(rnd() * 3000));
      const e: E = { a: pick(), b: pick() };
      expect(one(e)).toBe(presentTupleKey([e.a]));
      expect(two(e)).toBe(presentTupleKey([e.a, e.b]));
      expect(fp(e)).toBe(["rule", fingerprintPart(e.a), fingerprintPart(e.b)].join("/"));
    }
    expect(one({ a: 1 })).not.toBe(one({ a: "1" }));
    expect(compileFingerprint<E>("rule", [])({})).toBe("rule");
  });
});
