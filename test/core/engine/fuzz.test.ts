/**
 * Seeded property tests for the engine (issue 10): over random policies and windows, the
 * streaming engine agrees with the reference engine (the simple, quadratic one it replaced),
 * is deterministic, gives the same signatures with and without a kept trace, and keeps its
 * invariants. Malformed policies are located input errors, never crashes.
 */
import { describe, expect, it } from "vitest";
import { prng } from "../../../scripts/prng.mjs";
import { Engine } from "../../../src/core/engine/engine.js";
import type { EngineResult, StepFields, TraceEntry, TraceStep } from "../../../src/core/engine/types.js";
import { InputError } from "../../../src/core/errors.js";
import type { NormalizedEvent, Signal } from "../../../src/core/event.js";
import { DivergenceWatch, firstDivergence } from "../../../src/core/parity/divergence.js";
import type { CompiledPolicy } from "../../../src/core/policy/compile.js";
import { loadPolicyText } from "../../../src/core/policy/load.js";
import { ReferenceEngine } from "../../support/reference-engine.js";
import { T0 } from "../../support/engine.js";

type Rnd = () => number;
const pick = <T>(rnd: Rnd, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const subset = <T>(rnd: Rnd, xs: readonly T[]): T[] => xs.filter(() => rnd() < 0.5);

const FIELDS = ["scope.pop", "scope.host", "attrs.peer", "attrs.k"];
const NAMES = ["a", "b", "c"];
const SIGNALS: Signal[] = ["bgp", "dns", "metric"];

/** A random valid policy of 1–4 detect rules with inhibit, correlate and action sections. */
function randomPolicy(rnd: Rnd): string {
  const n = 1 + Math.floor(rnd() * 4);
  const ids = Array.from({ length: n }, (_, i) => `r${i}`);
  const detect = ids.map((id) => {
    const match = rnd() < 0.7 ? `{ signal: ${pick(rnd, SIGNALS)}${rnd() < 0.5 ? `, name: ${pick(rnd, NAMES)}` : ""} }` : `{ name: ${pick(rnd, NAMES)} }`;
    const threshold =
      rnd() < 0.75
        ? `{ count: ${1 + Math.floor(rnd() * 4)}, within: ${pick(rnd, ["1s", "10s", "60s", "87600h"])} }`
        : `{ ${rnd() < 0.5 ? "above" : "below"}: ${Math.floor(rnd() * 10)}, for: ${pick(rnd, ["0s", "2s", "20s"])} }`;
    return `  - id: ${id}
    match: ${match}
    threshold: ${threshold}
    fingerprint: [rule${subset(rnd, FIELDS)
      .map((f) => `, ${f}`)
      .join("")}]
${rnd() < 0.5 ? `    severity: ${pick(rnd, ["minor", "major", "critical"])}\n` : ""}${rnd() < 0.3 ? "    standalone: true\n" : ""}`;
  });
  let text = `apiVersion: replay-gate/v1
kind: CorrelationPolicy
metadata: { name: fuzz, version: "1" }
mode: ${pick(rnd, ["dry-run", "enforce"])}
detect:
${detect.join("")}group: { dedupe_within: ${pick(rnd, ["1s", "5s", "60s", "87600h"])} }
`;
  if (n >= 2 && rnd() < 0.5) text += `inhibit:\n  - id: mute\n    source: ${ids[0]}\n    target: ${ids[1]}\n    equal: [${subset(rnd, FIELDS).join(", ")}]\n`;
  if (n >= 2 && rnd() < 0.8) {
    const join = subset(rnd, ids);
    if (join.length < 2) join.splice(0, join.length, ids[0]!, ids[1]!);
    text += `correlate:\n  - id: link\n    join: [${join.join(", ")}]\n    on: [${subset(rnd, FIELDS).join(", ")}]\n    within: ${pick(rnd, ["1s", "10s", "120s", "87600h"])}\n`;
    if (rnd() < 0.4) text += `  - id: link2\n    join: [${ids.join(", ")}]\n    on: [${pick(rnd, FIELDS)}]\n    within: ${pick(rnd, ["5s", "87600h"])}\n`;
  }
  if (rnd() < 0.8) {
    const when = subset(rnd, ids);
    text += `actions:\n  - id: act\n    when: { rules: [${(when.length > 0 ? when : [ids[0]!]).join(", ")}], min_confidence: ${pick(rnd, [0, 0.5, 0.8])} }\n    target: ${pick(rnd, ["scope.pop", "scope.host", "attrs.peer", "attrs.k"])}\n    gate: ${pick(rnd, ["none", "approval"])}\n    blast_radius: { max_pops: ${1 + Math.floor(rnd() * 3)} }\n`;
  }
  return text;
}

/** Random events in time order, with values chosen to collide: `1` and `"1"`, `A/B`, missing. */
function randomEvents(rnd: Rnd, count: number): NormalizedEvent[] {
  const out: NormalizedEvent[] = [];
  let t = T0;
  for (let i = 0; i < count; i++) {
    t += pick(rnd, [0, 0, 1, 5, 200, 1000, 4000, 30_000]);
    const attrs: Record<string, string | number> = {};
    if (rnd() < 0.8) attrs.peer = pick(rnd, ["p1", "p2", "A/B", "-"]);
    if (rnd() < 0.7) attrs.k = pick(rnd, [1, "1", 2, "A"]);
    const scope: Record<string, string> = { pop: pick(rnd, ["POP-1", "POP-2", "A"]) };
    if (rnd() < 0.5) scope.host = pick(rnd, ["h1", "h2", "h3", "B/C"]);
    out.push({
      ts: t,
      signal: pick(rnd, SIGNALS),
      name: pick(rnd, NAMES),
      scope,
      attrs,
      ...(rnd() < 0.6 ? { value: Math.floor(rnd() * 12) } : {}),
      ...(rnd() < 0.3 ? { severity: pick(rnd, ["info", "minor", "major", "critical"] as const) } : {}),
    } as NormalizedEvent);
  }
  return out;
}

function replay(engine: { push(e: NormalizedEvent, id: number): void; finish(): EngineResult }, events: readonly NormalizedEvent[]): EngineResult {
  events.forEach((e, i) => engine.push(e, i));
  return engine.finish();
}

/** The result without the kept trace, as comparable JSON. */
function outcome(r: EngineResult): string {
  return JSON.stringify({ ...r, trace: undefined });
}

function checkInvariants(r: EngineResult): void {
  const groups = new Map(r.groups.map((g) => [g.id, g]));
  expect(groups.size).toBe(r.groups.length);
  expect(r.counts.groups).toBe(r.groups.length);
  expect(r.counts.incidents).toBe(r.incidents.length);
  expect(Object.values(r.counts.decisions).reduce((a, b) => a + b, 0)).toBe(r.decisions.length);
  const fired = Object.values(r.counts.alerts_by_rule).reduce((a, b) => a + b, 0);
  expect(fired - Object.values(r.counts.inhibited).reduce((a, b) => a + b, 0)).toBe(r.counts.alerts);
  expect(r.groups.reduce((n, g) => n + g.alerts, 0)).toBe(r.counts.alerts);
  for (const g of r.groups) for (let i = 1; i < g.events.length; i++) expect(g.events[i]!).toBeGreaterThan(g.events[i - 1]!);
  const incidents = new Set(r.incidents.map((i) => i.id));
  for (const inc of r.incidents) {
    const union = new Set<number>();
    for (const id of inc.groups) {
      const g = groups.get(id)!;
      expect(g.incident).toBe(inc.id);
      for (const e of g.events) union.add(e);
    }
    expect(inc.events).toEqual([...union].sort((a, b) => a - b));
    expect(inc.alerts).toBe(inc.groups.reduce((n, id) => n + groups.get(id)!.alerts, 0));
    expect(inc.start).toBe(Math.min(...inc.groups.map((id) => groups.get(id)!.start)));
  }
  for (const g of r.groups) if (g.incident !== null) expect(incidents.has(g.incident)).toBe(true);
  for (const d of r.decisions) expect(incidents.has(d.incident)).toBe(true);
  expect(r.trace_length).toBe(r.trace.length);
}

const CASES = 300;

describe("engine fuzz (seeded)", () => {
  it(`agrees with the reference engine, byte for byte, on ${CASES} random policies and windows`, () => {
    const rnd = prng(1010);
    let incidents = 0;
    for (let c = 0; c < CASES; c++) {
      const text = randomPolicy(rnd);
      const policy = loadPolicyText(text, `fuzz-${c}.yaml`).compiled;
      const events = randomEvents(rnd, 50 + Math.floor(rnd() * 250));
      const fast = replay(new Engine(policy, { trace: true }), events);
      const ref = replay(new ReferenceEngine(policy), events);
      expect(outcome(fast), `case ${c}:\n${text}`).toBe(outcome(ref));
      expect(fast.trace).toEqual(ref.trace);
      checkInvariants(fast);
      incidents += fast.incidents.length;
    }
    expect(incidents).toBeGreaterThan(CASES);
  });

  it("agrees with the reference engine past the sweep interval (5,000 events)", () => {
    const rnd = prng(77);
    for (let c = 0; c < 3; c++) {
      const policy = loadPolicyText(randomPolicy(rnd), "fuzz.yaml").compiled;
      const events = randomEvents(rnd, 5000);
      expect(outcome(replay(new Engine(policy), events))).toBe(outcome(replay(new ReferenceEngine(policy), events)));
    }
  });

  it("agrees with the reference engine on groups that outlive their detect windows, regrow after other groups and pass 32 ids", () => {
    // Few fingerprints, many events, long dedupe: a group keeps growing after other groups
    // opened (its ids leave the shared pool), a new detect window starts for a fingerprint
    // whose group is still open, and busy groups gather far more than 32 ids.
    const rnd = prng(5050);
    let big = 0;
    for (let c = 0; c < 40; c++) {
      const count = 1 + Math.floor(rnd() * 3);
      const text = `apiVersion: replay-gate/v1
kind: CorrelationPolicy
metadata: { name: fuzz, version: "1" }
detect:
  - id: r0
    match: { signal: bgp }
    threshold: { count: ${count}, within: ${pick(rnd, ["1s", "10s"])} }
    fingerprint: [rule, ${pick(rnd, ["scope.pop", "attrs.peer", "scope.host"])}]
  - id: r1
    match: { signal: dns }
    threshold: { count: ${pick(rnd, [1, 40])}, within: 87600h }
    fingerprint: [rule, scope.pop]
group: { dedupe_within: ${pick(rnd, ["5s", "60s", "87600h"])} }
correlate:
  - id: link
    join: [r0, r1]
    on: [scope.pop]
    within: ${pick(rnd, ["10s", "87600h"])}
`;
      const policy = loadPolicyText(text, "regrow.yaml").compiled;
      const events = randomEvents(rnd, 300 + Math.floor(rnd() * 400));
      const fast = replay(new Engine(policy, { trace: true }), events);
      expect(outcome(fast), `case ${c}:\n${text}`).toBe(outcome(replay(new ReferenceEngine(policy), events)));
      checkInvariants(fast);
      if (fast.groups.some((g) => g.events.length > 32)) big++;
    }
    expect(big).toBeGreaterThan(10);
  });

  it("agrees with the reference engine when a sweep finds the last slot holding only its open group", () => {
    // A count-1 rule fires on every event it matches, so at each sweep the slot its last event
    // went to has no pending state and an open group: the sweep leaves only the group's number.
    const rnd = prng(7070);
    for (const dedupe of ["2s", "87600h"]) {
      const text = `apiVersion: replay-gate/v1
kind: CorrelationPolicy
metadata: { name: fuzz, version: "1" }
detect:
  - id: r0
    match: { signal: bgp }
    threshold: { count: 1, within: 1s }
    fingerprint: [rule, scope.pop]
group: { dedupe_within: ${dedupe} }
`;
      const policy = loadPolicyText(text, "sweep.yaml").compiled;
      const events = randomEvents(rnd, 9000).map((e) => ({ ...e, signal: "bgp" as const }));
      const fast = replay(new Engine(policy, { trace: true }), events);
      expect(outcome(fast)).toBe(outcome(replay(new ReferenceEngine(policy), events)));
      checkInvariants(fast);
    }
  });

  it("takes the same snapshot as the reference engine when stopped mid-stream (time travel), pending windows and open groups included", () => {
    const rnd = prng(6060);
    let withOpen = 0,
      withPending = 0;
    for (let c = 0; c < 120; c++) {
      const text = randomPolicy(rnd);
      const policy = loadPolicyText(text, "travel.yaml").compiled;
      const events = randomEvents(rnd, 100 + Math.floor(rnd() * 200));
      const full = replay(new Engine(policy, { trace: true }), events);
      if (full.trace_length === 0) continue;
      const stopAfterTrace = Math.floor(rnd() * full.trace_length);
      const fast = new Engine(policy, { stopAfterTrace });
      const ref = new ReferenceEngine(policy, { stopAfterTrace });
      events.forEach((e, i) => {
        fast.push(e, i);
        ref.push(e, i);
      });
      const snap = fast.snapshot();
      expect(JSON.stringify(snap), `case ${c} at ${stopAfterTrace}:\n${text}`).toBe(JSON.stringify(ref.snapshot()));
      expect(snap.trace_index).toBe(stopAfterTrace);
      if (snap.open_groups.length > 0) withOpen++;
      if (snap.pending.length > 0) withPending++;
      // Taking a snapshot leaves the engine's state as it was: finishing gives what the reference's does.
      expect(outcome(fast.finish())).toBe(outcome(ref.finish()));
    }
    expect(withOpen).toBeGreaterThan(30);
    expect(withPending).toBeGreaterThan(30);
  });

  it("gives the same result and signatures with and without a kept trace, run after run", () => {
    const rnd = prng(2020);
    for (let c = 0; c < 60; c++) {
      const policy = loadPolicyText(randomPolicy(rnd), "fuzz.yaml").compiled;
      const events = randomEvents(rnd, 200);
      const kept = replay(new Engine(policy, { trace: true }), events);
      const streamed = replay(new Engine(policy), events);
      const again = replay(new Engine(policy), events);
      expect(streamed.trace).toEqual([]);
      expect(outcome(streamed)).toBe(outcome(kept));
      expect(outcome(again)).toBe(outcome(streamed));
      expect(streamed.last_state_signature).toBe(kept.trace.at(-1)?.state_signature ?? null);
    }
  });

  it("finds the same first divergence while running as from both kept traces", () => {
    const rnd = prng(3030);
    let diverged = 0,
      settled = 0;
    for (let c = 0; c < 150; c++) {
      const base = loadPolicyText(randomPolicy(rnd), "base.yaml").compiled;
      const head = rnd() < 0.2 ? base : loadPolicyText(randomPolicy(rnd), "head.yaml").compiled;
      const events = randomEvents(rnd, 150);
      const watch = new DivergenceWatch();
      const engines: [CompiledPolicy, (e: TraceStep) => void][] = [
        [base, watch.onBase],
        [head, watch.onHead],
      ];
      const [be, he] = engines.map(([p, onStep]) => new Engine(p, { trace: true, onStep }));
      let settledAt: number | null = null;
      let atSettle: ReturnType<DivergenceWatch["result"]> = null;
      events.forEach((e, i) => {
        be!.push(e, i);
        he!.push(e, i);
        watch.endOfEvent();
        if (settledAt === null && watch.settled()) [settledAt, atSettle] = [i, watch.result()];
      });
      const b = be!.finish(),
        h = he!.finish();
      const index = firstDivergence(b.trace, h.trace);
      const found = watch.result();
      expect(found?.index ?? null).toBe(index);
      // Once settled, no later event changes the divergence, and time travel needs no later event.
      if (settledAt !== null) {
        settled++;
        expect(found).toEqual(atSettle);
        expect(Math.max(found!.baseStep!.event, found!.headStep!.event)).toBeLessThanOrEqual(settledAt);
      }
      if (index !== null) {
        diverged++;
        // The watch compares fields, the kept traces signatures: the same steps either way.
        expect(fieldsOf(found!.baseStep)).toEqual(fieldsOf(b.trace[index] ?? null));
        expect(fieldsOf(found!.headStep)).toEqual(fieldsOf(h.trace[index] ?? null));
      }
    }
    expect(diverged).toBeGreaterThan(50);
    expect(settled).toBeGreaterThan(50);
  });

  it("reports malformed policies as located input errors, never as crashes", () => {
    const rnd = prng(4040);
    const junk = ["", "{", "]", "\u0000", ": :", "count: -1", "within: 99999999999999h", "- x", "\t", "*a", "&a x", "!!binary AAAA", "__proto__: 1", "1e300", "'\\u202e'"];
    let rejected = 0;
    for (let c = 0; c < 400; c++) {
      const lines = randomPolicy(rnd).split("\n");
      const at = Math.floor(rnd() * lines.length);
      const op = Math.floor(rnd() * 3);
      if (op === 0) lines.splice(at, 1);
      else if (op === 1) lines.splice(at, 0, pick(rnd, junk));
      else lines[at] = lines[at]!.slice(0, Math.floor(rnd() * lines[at]!.length)) + pick(rnd, junk);
      try {
        const p = loadPolicyText(lines.join("\n"), "bad.yaml");
        replay(new Engine(p.compiled), randomEvents(rnd, 50));
      } catch (err) {
        expect(err).toBeInstanceOf(InputError);
        const problems = (err as InputError).problems;
        expect(problems.length).toBeGreaterThan(0);
        for (const p of problems) expect(p.file).toBe("bad.yaml");
        rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(100);
  });
});

/** A step's fields as a trace entry has them (no signature, no total). */
function fieldsOf(s: StepFields | TraceEntry | null): StepFields | null {
  return s === null ? null : { index: s.index, at_ms: s.at_ms, label: s.label, event: s.event, rule: s.rule, ref: s.ref };
}
