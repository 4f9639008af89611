import { describe, expect, it } from "vitest";
import { matchIncidents } from "../../../src/core/parity/matching.js";
import { decision, incident } from "./support.js";

describe("incident matching", () => {
  it("pairs identical incidents as unchanged", () => {
    const a = incident("inc-a", [1, 2, 3]);
    const m = matchIncidents([a], [a], [], []);
    expect(m.pairs).toEqual([{ kind: "unchanged", base: "inc-a", head: "inc-a", jaccard: 1, changes: [] }]);
    expect([m.added, m.removed, m.split, m.merged]).toEqual([0, 0, 0, 0]);
  });

  it("reports field-level changes of a paired incident, actions included", () => {
    const b = incident("inc-a", [1, 2, 3, 4], { severity: "minor", rules: ["bgp-flap"] });
    const h = incident("inc-b", [1, 2, 3, 4, 5], { severity: "major", rules: ["bgp-flap", "dns-nxdomain-surge"], confidence: 0.8 });
    const m = matchIncidents([b], [h], [], [decision("drain-pop", "inc-b")]);
    expect(m.pairs[0]!.kind).toBe("changed");
    expect(m.pairs[0]!.jaccard).toBe(0.8);
    expect(m.pairs[0]!.changes.map((c) => c.field)).toEqual(["rules", "severity", "confidence", "title", "actions", "events", "end"]);
    expect(m.pairs[0]!.changes.find((c) => c.field === "actions")).toEqual({ field: "actions", base: "none", head: "drain-pop:would-run" });
  });

  it("finds a split: one base incident becomes two head incidents", () => {
    const m = matchIncidents([incident("inc-a", [1, 2, 3, 4])], [incident("inc-b", [1, 2]), incident("inc-c", [3, 4])], [], []);
    expect(m.regrouped).toEqual([{ kind: "split", base: ["inc-a"], head: ["inc-b", "inc-c"], shared_events: 4 }]);
    expect([m.split, m.merged, m.added, m.removed]).toEqual([1, 0, 0, 0]);
  });

  it("finds a merge: four base incidents collapse into one", () => {
    const base = [incident("inc-1", [1, 2]), incident("inc-2", [3, 4]), incident("inc-3", [5, 6]), incident("inc-4", [7, 8])];
    const m = matchIncidents(base, [incident("inc-x", [1, 2, 3, 4, 5, 6, 7, 8])], [], []);
    expect(m.merged).toBe(1);
    expect(m.regrouped[0]).toEqual({ kind: "merged", base: ["inc-1", "inc-2", "inc-3", "inc-4"], head: ["inc-x"], shared_events: 8 });
  });

  it("calls disjoint incidents added and removed", () => {
    const m = matchIncidents([incident("inc-a", [1, 2])], [incident("inc-b", [3, 4])], [], []);
    expect(m.removed_ids).toEqual(["inc-a"]);
    expect(m.added_ids).toEqual(["inc-b"]);
    expect(m.pairs).toEqual([]);
  });

  it("does not pair below Jaccard 0.5", () => {
    // inc-a's 2 events are inside inc-b's 6: majority overlap one way, Jaccard 1/3.
    const m = matchIncidents([incident("inc-a", [1, 2])], [incident("inc-b", [1, 2, 3, 4, 5, 6])], [], []);
    expect(m.pairs).toEqual([]);
    expect([m.added, m.removed]).toEqual([1, 1]);
  });

  it("pairs greedily by similarity, ties by id, whatever the input order", () => {
    const base = [incident("inc-b", [1, 2, 3, 4]), incident("inc-a", [10, 11, 12, 13])];
    const head = [incident("inc-y", [10, 11, 12, 13]), incident("inc-x", [1, 2, 3, 4])];
    const m1 = matchIncidents(base, head, [], []);
    const m2 = matchIncidents([...base].reverse(), [...head].reverse(), [], []);
    expect(m1.pairs.map((p) => [p.base, p.head])).toEqual([
      ["inc-b", "inc-x"],
      ["inc-a", "inc-y"],
    ]);
    expect(new Set(m2.pairs.map((p) => `${p.base}>${p.head}`))).toEqual(new Set(m1.pairs.map((p) => `${p.base}>${p.head}`)));
  });
});
