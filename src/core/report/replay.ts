/**
 * The `replay` command's result (schema `replay-gate/replay@1`): per window, counts, incidents,
 * decisions, expectations and signatures under one policy. Built from engine results alone.
 */
import type { ExpectationResult } from "../engine/expectations.js";
import type { ActionDecision, AlertGroup, EngineResult, Incident, ReplayCounts, TraceEntry } from "../engine/types.js";
import type { LoadedPolicy } from "../policy/load.js";
import { formatTimestamp } from "../time.js";
import { ENGINE_VERSION, TOOL } from "../version.js";
import type { WindowManifest } from "../window/manifest.js";

export const REPLAY_SCHEMA = "replay-gate/replay@1";

/** The policy a replay ran under. */
export interface PolicyRef {
  readonly file: string;
  readonly name: string;
  readonly version: string;
  readonly mode: "dry-run" | "enforce";
  /** `sha256:` of the policy file's bytes. */
  readonly spec_hash: string;
}

/** The window a replay read. */
export interface WindowRef {
  readonly id: string;
  readonly title: string;
  readonly dir: string;
  readonly start: string;
  readonly end: string;
  readonly scope: WindowManifest["scope"];
  readonly events: WindowManifest["events"];
}

/** Incidents with times as RFC 3339 strings, for people and scripts alike. */
export type IncidentOut = Omit<Incident, "start" | "end"> & { readonly start: string; readonly end: string };
export type DecisionOut = Omit<ActionDecision, "at"> & { readonly at: string };
export type GroupOut = Omit<AlertGroup, "start" | "end" | "events"> & { readonly start: string; readonly end: string; readonly events: number };

/** One window replayed under one policy. */
export interface WindowReplay {
  readonly window: WindowRef;
  readonly policy: PolicyRef;
  readonly counts: ReplayCounts;
  /** `alerts → incidents`, e.g. `146 → 1`. */
  readonly collapse: string;
  readonly incidents: readonly IncidentOut[];
  readonly decisions: readonly DecisionOut[];
  readonly groups: readonly GroupOut[];
  readonly expectations: ExpectationResult;
  readonly trace_length: number;
  readonly trace_signature: string;
  readonly timeline_signature: string;
  /** The full trace, only when asked for (`--trace`). */
  readonly trace?: readonly TraceEntry[];
}

export interface ReplayReport {
  readonly schema: typeof REPLAY_SCHEMA;
  readonly tool: typeof TOOL;
  readonly engine_version: string;
  readonly windows: readonly WindowReplay[];
  /** `pass` when every window's expectations hold (or it has none). */
  readonly status: "pass" | "fail";
}

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
