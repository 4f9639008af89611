import { describe, expect, it } from "vitest";
import { ev, run, T0 } from "../../support/engine.js";

const flap = `  - id: flap
    match: { signal: bgp, name: bgp.withdraw }
    threshold: { count: 1, within: 1s }
    fingerprint: [rule, scope.pop]
`;
const dns = `  - id: dns
    match: { signal: dns }
    threshold: { count: 1, within: 1s }
    fingerprint: [rule, scope.pop]
`;
const lat = `  - id: lat
    match: { signal: metric }
    threshold: { count: 1, within: 1s }
    fingerprint: [rule, scope.pop]
    standalone: true
`;
const d = (at: number, pop = "POP-12") => ev({ at, signal: "dns", name: "dns.response", scope: { pop } });
const b = (at: number, pop = "POP-12") => ev({ at, scope: { pop } });
const mm = (at: number, pop = "POP-12", value = 1) => ev({ at, signal: "metric", name: "x", value, scope: { pop } });

describe("suppress", () => {
  it("drops matching events below a value and counts them per rule", () => {
    const r = run(
      `suppress:
  - id: low
    match: { signal: metric }
    below: 4
detect:
${lat}`,
      [mm(0, "POP-12", 3.9), mm(1, "POP-12", 4), mm(2, "POP-12", 1)],
    );
    expect(r.counts.suppressed).toEqual({ low: 2 });
    expect(r.counts.alerts).toBe(1);
  });

  it("drops events inside a maintenance interval, start inclusive and end exclusive", () => {
    const from = new Date(T0 + 10_000).toISOString();
    const to = new Date(T0 + 20_000).toISOString();
    const r = run(
      `suppress:
  - id: mw
    match: { scope.pop: POP-9 }
    during: { from: ${from}, to: ${to} }
detect:
${lat}`,
      [mm(9.999, "POP-9"), mm(10, "POP-9"), mm(19.999, "POP-9"), mm(20, "POP-9"), mm(15, "POP-1")].sort((a, b) => a.ts - b.ts),
    );
    expect(r.counts.suppressed).toEqual({ mw: 2 });
  });

  it("counts suppressed major and critical events separately", () => {
    const r = run(
      `suppress:
  - id: all
    match: { signal: alert }
detect:
${lat}`,
      [ev({ at: 0, signal: "alert", name: "a", severity: "major" }), ev({ at: 1, signal: "alert", name: "a", severity: "info" })],
    );
    expect(r.counts.suppressed).toEqual({ all: 2 });
    expect(r.counts.suppressed_severe).toEqual({ all: 1 });
  });
});

describe("inhibit", () => {
  const policy = `inhibit:
  - id: mute
    source: flap
    target: lat
    equal: [scope.pop]
detect:
${flap}${lat}group: { dedupe_within: 60s }
`;
  it("drops target alerts while a source group with equal values is open, and counts them", () => {
    const r = run(policy, [b(0), mm(30), mm(60), mm(61), mm(62, "POP-1")]);
    // mm(30) and mm(60) fall inside flap's open group (until 0 + 60s); mm(61) does not.
    expect(r.counts.inhibited).toEqual({ mute: 2 });
    expect(r.counts.alerts).toBe(3);
    expect(r.trace.filter((t) => t.label === "alert.inhibit").map((t) => t.event)).toEqual([1, 2]);
  });
});

describe("group", () => {
  it("joins alerts of one fingerprint whose gap is at most dedupe_within", () => {
    const r = run(
      `detect:
${lat}group: { dedupe_within: 10s }
`,
      [mm(0), mm(10), mm(20.001), mm(25)],
    );
    expect(r.groups.map((g) => [g.alerts, g.start - T0, g.end - T0])).toEqual([
      [2, 0, 10_000],
      [2, 20_001, 25_000],
    ]);
  });
});

describe("correlate and incidents", () => {
  const policy = `detect:
${flap}${dns}${lat}correlate:
  - id: routing
    join: [flap, dns, lat]
    on: [scope.pop]
    within: 120s
actions:
  - id: drain
    when: { rules: [flap], min_confidence: 0.8 }
    target: scope.pop
    gate: approval
    blast_radius: { max_pops: 1 }
`;
  it("links groups whose starts are within `within` and whose `on` values are equal", () => {
    const r = run(policy, [b(0), d(120), d(121, "POP-1")]);
    expect(r.incidents).toHaveLength(1);
    expect(r.incidents[0]!.rules).toEqual(["dns", "flap"]);
    expect(r.incidents[0]!.events).toEqual([0, 1]);
    expect(r.groups.find((g) => g.scope.pop[0] === "POP-1")!.incident).toBeNull();
  });

  it("does not link starts more than `within` apart; unlinked non-standalone groups form no incident", () => {
    const r = run(policy, [b(0), d(120.001)]);
    expect(r.incidents).toHaveLength(0);
    expect(r.counts.groups).toBe(2);
  });

  it("forms an episode by transitive closure and merges two incidents", () => {
    // lat@0 is standalone (incident A); flap@100 links to lat (A grows); dns@200 links to flap only.
    const r = run(policy, [mm(0), b(100), d(200)]);
    expect(r.incidents).toHaveLength(1);
    expect(r.incidents[0]!.rules).toEqual(["dns", "flap", "lat"]);
    expect(r.incidents[0]!.confidence).toBe(1);
  });

  it("computes confidence from distinct signals, capped at 1", () => {
    const r = run(policy, [b(0), d(1)]);
    expect(r.incidents[0]!.confidence).toBe(0.8);
    expect(r.incidents[0]!.signals).toEqual(["bgp", "dns"]);
  });

  it("derives incident ids from content: the same first group gives the same id under another policy", () => {
    const a = run(policy, [b(0), d(1)]);
    const b2 = run(policy.replace("within: 120s", "within: 60s"), [b(0), d(1)]);
    expect(a.incidents[0]!.id).toBe(b2.incidents[0]!.id);
    expect(a.incidents[0]!.id).toMatch(/^inc-[0-9a-f]{12}$/);
  });

  it("decides would-run in dry-run, gated in enforce with an approval gate, run without one", () => {
    expect(run(policy, [b(0), d(1)]).decisions.map((x) => x.decision)).toEqual(["would-run"]);
    const enforce = policy.replace("detect:", "mode: enforce\ndetect:");
    expect(run(enforce, [b(0), d(1)]).decisions.map((x) => x.decision)).toEqual(["gated"]);
    expect(run(enforce.replace("gate: approval", "gate: none"), [b(0), d(1)]).decisions.map((x) => x.decision)).toEqual(["run"]);
  });

  it("does not decide below min_confidence", () => {
    expect(run(policy, [b(0), mm(1)]).decisions).toHaveLength(1); // bgp+metric = 0.8 → decides
    expect(run(policy.replace("min_confidence: 0.8", "min_confidence: 0.81"), [b(0), mm(1)]).decisions).toHaveLength(0);
  });

  it("blocks an action whose incident spans more scope values than blast_radius allows", () => {
    const wide = policy.replace("on: [scope.pop]", "on: []");
    const r = run(wide, [b(0, "POP-1"), d(1, "POP-2")]);
    expect(r.decisions).toHaveLength(1);
    expect(r.decisions[0]!.decision).toBe("blocked");
    expect(r.decisions[0]!.reason).toBe("spans 2 pops, blast_radius.max_pops is 1");
    expect(r.decisions[0]!.target).toEqual(["POP-1", "POP-2"]);
  });

  it("renders the title template with sorted, joined values", () => {
    const r = run(policy, [b(0), d(1)]);
    expect(r.incidents[0]!.title).toBe("- POP-12 dns+flap");
  });
});

describe("trace", () => {
  it("labels each step and chains state signatures", () => {
    const r = run(
      `detect:
${flap}${dns}correlate:
  - id: c
    join: [flap, dns]
    within: 60s
`,
      [b(0), d(1)],
    );
    expect(r.trace.map((t) => t.label)).toEqual(["alert.fire", "group.open", "alert.fire", "group.open", "incident.open"]);
    expect(new Set(r.trace.map((t) => t.state_signature)).size).toBe(5);
    expect(r.trace_signature).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("keeps state signatures equal up to the first differing step and different from there on", () => {
    const text = `detect:
${flap}${dns}correlate:
  - id: c
    join: [flap, dns]
    within: 60s
`;
    // The same first two events, then a flap in another POP instead of a DNS surge in this one.
    const a = run(text, [b(0), b(1, "POP-7"), d(2), b(3)]);
    const z = run(text, [b(0), b(1, "POP-7"), b(2, "POP-9"), b(3)]);
    const first = a.trace.findIndex((t, i) => t.label !== z.trace[i]?.label || t.ref !== z.trace[i]?.ref);
    expect(first).toBeGreaterThan(0);
    for (let i = 0; i < first; i++) expect(z.trace[i]!.state_signature).toBe(a.trace[i]!.state_signature);
    for (let i = first; i < Math.min(a.trace.length, z.trace.length); i++) expect(z.trace[i]!.state_signature).not.toBe(a.trace[i]!.state_signature);
    expect(z.trace_signature).not.toBe(a.trace_signature);
    expect(a.last_state_signature).toBe(a.trace.at(-1)!.state_signature);
  });
});

describe("rules indexed by signal", () => {
  it("tests lists, operator objects and signal-less matchers against every signal they can match, in policy order", () => {
    const r = run(
      `suppress:
  - id: not-bgp
    match: { signal: { not: bgp }, scope.pop: POP-9 }
  - id: any
    match: { scope.pop: POP-8 }
detect:
  - id: list
    match: { signal: [dns, metric] }
    threshold: { count: 1, within: 1s }
    standalone: true
  - id: glob
    match: { signal: "b*" }
    threshold: { count: 1, within: 1s }
    standalone: true
`,
      [d(0), mm(1), b(2), d(3, "POP-9"), b(4, "POP-9"), mm(5, "POP-8")],
    );
    expect(r.counts.suppressed).toEqual({ any: 1, "not-bgp": 1 });
    expect(r.counts.alerts_by_rule).toEqual({ glob: 2, list: 2 });
  });
});
