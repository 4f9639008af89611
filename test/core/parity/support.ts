/** Hand-built engine results for parity tests: incidents are event id lists and a few fields. */
import type { ActionDecision, Incident } from "../../../src/core/engine/types.js";

const EMPTY_SCOPE = { service: ["edge-gw"], region: [], pop: ["POP-1"], host: [] };

/** An incident holding `events`; other fields default to a plausible bgp-flap incident. */
export function incident(id: string, events: readonly number[], extra: Partial<Incident> = {}): Incident {
  return {
    id,
    title: `edge-gw POP-1 ${id}`,
    rules: ["bgp-flap"],
    signals: ["bgp"],
    scope: EMPTY_SCOPE,
    start: events[0] ?? 0,
    end: events[events.length - 1] ?? 0,
    severity: "major",
    confidence: 0.6,
    alerts: 1,
    groups: [`g-${id}`],
    events: [...events].sort((a, b) => a - b),
    ...extra,
  };
}

export function decision(action: string, inc: string, d: ActionDecision["decision"] = "would-run"): ActionDecision {
  return { action, incident: inc, decision: d, target: ["POP-1"], gate: "approval", at: 0, reason: "dry-run: would run" };
}
