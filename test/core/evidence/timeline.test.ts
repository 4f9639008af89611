import { describe, expect, it } from "vitest";
import { MAX_TIMELINE_GROUPS, TIMELINE_BINS, TimelineBinner, timelineData, windowTimelineSchema } from "../../../src/core/evidence/timeline.js";
import { AuditScanner, sampleIds, utf8Length } from "../../../src/core/evidence/sample.js";
import { Engine } from "../../../src/core/engine/engine.js";
import { ev, policy, T0 } from "../../support/engine.js";

const POLICY = `scope: { service: edge-gw }
suppress:
  - id: quiet-pop
    match: { scope.pop: POP-9 }
detect:
  - id: flap
    match: { signal: bgp }
    threshold: { count: 2, within: 10s }
    fingerprint: [rule, scope.pop]
    standalone: true
`;

describe("timeline binning", () => {
  it("counts every event once per signal, and greys what each side suppressed or left out of scope", () => {
    const p = policy(POLICY);
    const events = [
      ev({ at: 0 }),
      ev({ at: 1 }),
      ev({ at: 100, signal: "dns", name: "dns.response" }),
      ev({ at: 2, scope: { service: "edge-gw", pop: "POP-9" } }),
      ev({ at: 3, scope: { service: "other", pop: "POP-12" } }),
    ].sort((a, b) => a.ts - b.ts);
    const binner = new TimelineBinner(T0, T0 + 240_000, [p.compiled]);
    const engine = new Engine(p.compiled);
    events.forEach((e, i) => {
      binner.push(e);
      engine.push(e, i);
    });
    const t = timelineData(binner.finish(), null, engine.finish());
    expect(windowTimelineSchema.safeParse(t).success).toBe(true);
    expect(t.bins).toBeLessThanOrEqual(TIMELINE_BINS);
    expect(t.bin_ms * t.bins).toBeGreaterThan(240_000);
    const sum = (xs: readonly number[] | undefined) => (xs ?? []).reduce((a, b) => a + b, 0);
    expect(sum(t.events.bgp)).toBe(4);
    expect(sum(t.events.dns)).toBe(1);
    expect(t.base).toBeNull();
    expect(sum(t.head!.suppressed.bgp)).toBe(1);
    expect(sum(t.head!.out_of_scope.bgp)).toBe(1);
    expect(t.head!.groups).toEqual([expect.objectContaining({ rule: "flap", start: 1000, end: 1000, alerts: 1 })]);
    expect(t.start).toBe("2026-02-26T10:12:00Z");
  });

  it("stays the same size for 100,000 events: bins, not points", () => {
    const p = policy(POLICY);
    const binner = new TimelineBinner(T0, T0 + 3_600_000, [p.compiled, p.compiled]);
    for (let i = 0; i < 100_000; i++) binner.push(ev({ at: (i * 36) / 1000, signal: i % 3 === 0 ? "dns" : "flow", name: "x" }));
    const t = timelineData(
      binner.finish(),
      { groups: [], incidents: [], decisions: [], trace: [], trace_length: 0, last_state_signature: null, trace_signature: "", timeline_signature: "", counts: {} as never },
      null,
    );
    expect(Object.keys(t.events)).toEqual(["flow", "dns"]);
    expect(t.events.flow!.length).toBe(t.bins);
    expect(JSON.stringify(t).length).toBeLessThan(10_000);
  });

  it("lists at most MAX_TIMELINE_GROUPS groups per side and counts the rest", () => {
    const p = policy(POLICY);
    const binner = new TimelineBinner(T0, T0 + 1000, [p.compiled]);
    const groups = Array.from({ length: MAX_TIMELINE_GROUPS + 7 }, (_, i) => ({
      id: `g-${i}`,
      rule: "flap",
      fingerprint: "f",
      start: T0,
      end: T0,
      alerts: 1,
      severity: "minor" as const,
      signals: [],
      scope: { service: [], region: [], pop: [], host: [] },
      events: [],
      incident: null,
    }));
    const t = timelineData(
      binner.finish(),
      { groups, incidents: [], decisions: [], trace: [], trace_length: 0, last_state_signature: null, trace_signature: "", timeline_signature: "", counts: {} as never },
      null,
    );
    expect(t.base!.groups).toHaveLength(MAX_TIMELINE_GROUPS);
    expect(t.base!.groups_total).toBe(MAX_TIMELINE_GROUPS + 7);
  });
});

describe("audit sample", () => {
  it("samples evenly spaced record ids, the first included, the same every time", () => {
    expect(sampleIds(5861)).toHaveLength(16);
    expect(sampleIds(5861)[0]).toBe(0);
    expect(sampleIds(5861)).toEqual(sampleIds(5861));
    expect(sampleIds(3)).toEqual([0, 1, 2]);
    expect(sampleIds(0)).toEqual([]);
  });

  it("counts canonical UTF-8 bytes of selected records and hashes the sampled ones", () => {
    const p = policy(POLICY);
    const scanner = new AuditScanner(3, [p.compiled]);
    scanner.push(ev({ at: 0, attrs: { note: "é€😀" } }), 0);
    scanner.push(ev({ at: 1, scope: { service: "other" } }), 1);
    scanner.push(ev({ at: 2 }), 2);
    const r = scanner.finish();
    expect(r.scanned).toBe(3);
    expect(r.selected[0]!.records).toBe(2);
    expect(r.sample.map((s) => s.id)).toEqual([0, 1, 2]);
    expect(utf8Length("é€😀")).toBe(2 + 3 + 4);
    expect(new TextEncoder().encode("é€😀").length).toBe(9);
  });
});
