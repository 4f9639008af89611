/** Hand-built engine results for parity tests: incidents are event id lists and a few fields. */
import { join } from "node:path";
import { DEFAULT_THRESHOLDS } from "../../src/core/config.js";
import type { ActionDecision, EngineResult, Incident } from "../../src/core/engine/types.js";
import type { Report } from "../../src/core/report/report-schema.js";
import { runDiff } from "../../src/io/diff-run.js";

export const ROOT = join(import.meta.dirname, "..", "..");

/** The bundled demo: edge-gw 2.14.2 → 2.14.3 on the four 2026 windows (not other engineers' capture windows). */
export async function demoReport(prefixBuffer?: number): Promise<Report> {
  return runDiff({
    base: ["policies/versions/edge-gw-2.14.2.yaml"],
    head: ["policies/edge-gw.yaml"],
    windows: ["policies/windows/2026-*"],
    thresholds: DEFAULT_THRESHOLDS,
    config: null,
    cwd: ROOT,
    warn: () => {},
    prefixBuffer,
  });
}



const EMPTY_SCOPE = { service: ["edge-gw"], region: [], pop: ["POP-1"], host: [] };

/** An incident holding `events`; other fields default to a plausible bgp-flap incident. */
export function incident(id: string, events: readonly number[], extra: Partial<Incident> = {}): Incident {
  return {
    id, title: `edge-gw POP-1 ${id}`, rules: ["bgp-flap"], signals: ["bgp"], scope: EMPTY_SCOPE, start: events[0] ?? 0, end: events[events.length - 1] ?? 0,
    severity: "major", confidence: 0.6, alerts: 1, groups: [`g-${id}`], events: [...events].sort((a, b) => a - b), ...extra,
  };
}

export function decision(action: string, inc: string, d: ActionDecision["decision"] = "would-run"): ActionDecision {
  return { action, incident: inc, decision: d, target: ["POP-1"], gate: "approval", at: 0, reason: "dry-run: would run" };
}

/** An engine result with these incidents and decisions; counts are derived. */
export function result(incidents: readonly Incident[], decisions: readonly ActionDecision[] = [], extra: Partial<EngineResult["counts"]> = {}): EngineResult {
  return {
    counts: {
      events: 100, out_of_scope: 0, alerts: incidents.reduce((n, i) => n + i.alerts, 0), groups: incidents.length, incidents: incidents.length,
      suppressed: {}, suppressed_severe: {}, inhibited: {}, alerts_by_rule: {}, decisions: { "would-run": decisions.length, gated: 0, blocked: 0, run: 0 }, ...extra,
    },
    groups: incidents.map((i) => ({ id: `g-${i.id}`, rule: i.rules[0]!, fingerprint: `${i.rules[0]}/POP-1`, start: i.start, end: i.end, alerts: i.alerts, severity: i.severity, signals: i.signals, scope: i.scope, events: i.events, incident: i.id })),
    incidents,
    decisions,
    trace: [],
    trace_length: 0,
    last_state_signature: null,
    trace_signature: "sha256:0",
    timeline_signature: "sha256:0",
  };
}
