/**
 * The `replay` command's result (schema `replay-gate/replay@1`): per window, counts, incidents,
 * decisions, expectations and signatures under one policy. Built from engine results alone.
 */
import type { ExpectationResult } from "../engine/expectations.js";
import type { ActionDecision, AlertGroup, EngineResult, Incident } from "../engine/types.js";
import { REPLAY_SCHEMA, type DecisionOut, type GroupOut, type IncidentOut, type PolicyRef, type ReplayReport, type WindowRef, type WindowReplay } from "../model/replay.js";
import type { LoadedPolicy } from "../policy/load.js";
import { formatTimestamp } from "../time.js";
import { ENGINE_VERSION, TOOL } from "../version.js";
import type { WindowManifest } from "../window/manifest.js";

export { REPLAY_SCHEMA, type DecisionOut, type GroupOut, type IncidentOut, type PolicyRef, type ReplayReport, type WindowRef, type WindowReplay } from "../model/replay.js";

export function policyRef(p: LoadedPolicy): PolicyRef {
  return { file: p.file, name: p.doc.metadata.name, version: p.doc.metadata.version, mode: p.doc.mode, spec_hash: p.specHash };
}

export function windowRef(dir: string, m: WindowManifest): WindowRef {
  return { id: m.id, title: m.title, dir, start: m.start, end: m.end, scope: m.scope, events: m.events };
}

export function incidentOut(i: Incident): IncidentOut {
  return { ...i, start: formatTimestamp(i.start), end: formatTimestamp(i.end) };
}

export function decisionOut(d: ActionDecision): DecisionOut {
  return { ...d, at: formatTimestamp(d.at) };
}

export function groupOut(g: AlertGroup): GroupOut {
  return { ...g, start: formatTimestamp(g.start), end: formatTimestamp(g.end), events: g.events.length };
}

/** Assembles one window's replay result. */
export function buildWindowReplay(window: WindowRef, policy: PolicyRef, result: EngineResult, expectations: ExpectationResult, includeTrace: boolean): WindowReplay {
  const out: WindowReplay = {
    window,
    policy,
    counts: result.counts,
    collapse: `${result.counts.alerts} → ${result.counts.incidents}`,
    incidents: result.incidents.map(incidentOut),
    decisions: result.decisions.map(decisionOut),
    groups: result.groups.map(groupOut),
    expectations,
    trace_length: result.trace_length,
    trace_signature: result.trace_signature,
    timeline_signature: result.timeline_signature,
  };
  return includeTrace ? { ...out, trace: result.trace } : out;
}

export function buildReplayReport(windows: readonly WindowReplay[]): ReplayReport {
  return {
    schema: REPLAY_SCHEMA,
    tool: TOOL,
    engine_version: ENGINE_VERSION,
    windows,
    status: windows.every((w) => w.expectations.status !== "fail") ? "pass" : "fail",
  };
}
