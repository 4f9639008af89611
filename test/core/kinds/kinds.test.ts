/** The policy-kind seam: recognising a file by content and replaying through the shared model. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Engine } from "../../../src/core/engine/engine.js";
import { InputError } from "../../../src/core/errors.js";
import { loadKindPolicy } from "../../../src/core/kinds/registry.js";
import { loadPolicyText } from "../../../src/core/policy/load.js";

const text = readFileSync("policies/edge-gw.yaml", "utf8");

describe("policy kinds", () => {
  it("recognises a CorrelationPolicy by its kind and names it by metadata", () => {
    const p = loadKindPolicy(text, "policies/edge-gw.yaml");
    expect(p.kind.id).toBe("correlation");
    expect(p.name).toBe("edge-gw");
  });

  it("refuses a document no kind recognises with a located error listing the kinds", () => {
    expect(() => loadKindPolicy("hello: world\n", "x.yaml")).toThrow(InputError);
    expect(() => loadKindPolicy("hello: world\n", "x.yaml")).toThrow(/x\.yaml:1:1: not a policy replay-gate knows \(expected one of: correlation policy/);
  });

  it("replays through the seam to the same incidents and signatures as the engine itself", () => {
    const p = loadKindPolicy(text, "policies/edge-gw.yaml");
    const events = [0, 10, 20, 30, 40].map((ms, i) => ({
      ts: 1_772_100_720_000 + ms,
      signal: "bgp" as const,
      name: "bgp.withdraw",
      scope: { service: "edge-gw", pop: "POP-12" },
      attrs: { peer: `p${i % 2}`, prefix: "192.0.2.0/24" },
    }));
    const run = p.kind.start(p.compiled, { id: "w", start: 0, end: 2e12, scope: {} });
    const engine = new Engine(loadPolicyText(text, "x").compiled);
    events.forEach((e, i) => {
      run.push(e, i);
      engine.push(e, i);
    });
    const viaSeam = run.finish();
    const direct = engine.finish();
    expect(viaSeam.incidents).toEqual(direct.incidents);
    expect(viaSeam.trace_signature).toBe(direct.trace_signature);
    expect(direct.counts.alerts).toBeGreaterThan(0);
    expect(viaSeam.counts.alerts).toBe(direct.counts.alerts);
  });
});
