/** Builders for engine tests: policies from YAML text, events from terse specs. */
import { Engine } from "../../src/core/engine/engine.js";
import type { EngineResult } from "../../src/core/engine/types.js";
import type { NormalizedEvent } from "../../src/core/event.js";
import { loadPolicyText } from "../../src/core/policy/load.js";

export const T0 = Date.UTC(2026, 1, 26, 10, 12, 0);

/** A minimal valid policy with the given sections (YAML, indented as top-level keys). */
export function policy(body: string, header = "") {
  const text = `apiVersion: replay-gate/v1\nkind: CorrelationPolicy\nmetadata: { name: test, version: "1" }\n${header}${body}`;
  return loadPolicyText(text, "test.yaml");
}

type EventSpec = Partial<NormalizedEvent> & { at: number };

/** An event `at` seconds after T0 (fractions allowed), POP-12 by default. */
export function ev(spec: EventSpec): NormalizedEvent {
  const { at, ...rest } = spec;
  return { signal: "bgp", name: "bgp.withdraw", scope: { service: "edge-gw", pop: "POP-12" }, ...rest, ts: T0 + Math.round(at * 1000) } as NormalizedEvent;
}

export function run(policyText: string, events: readonly NormalizedEvent[]): EngineResult {
  const engine = new Engine(policy(policyText).compiled, { trace: true });
  events.forEach((e, i) => engine.push(e, i));
  return engine.finish();
}
