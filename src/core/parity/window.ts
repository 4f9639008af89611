/** One window under one policy's base and head versions → the report's window entry (docs/report.md#windows). */
import { compareStrings, sortedUnique } from "../compare.js";
import { checkExpectations, type ExpectationResult } from "../engine/expectations.js";
import type { ActionDecision, EngineResult, Incident } from "../engine/types.js";
import type { LoadedPolicy } from "../policy/load.js";
import type { DecisionOut, Divergence, IncidentOut, Matching, RuleChange, Side, WindowResult } from "../report/report-schema.js";
import { formatTimestamp } from "../time.js";
import type { Expectations, WindowManifest } from "../window/manifest.js";
import { bcubed, roundScore } from "./bcubed.js";
import { groupsByRule, windowHighlights } from "./highlights.js";
import { matchIncidents } from "./matching.js";
import { minOf } from "../arrays.js";

/** A window as the comparison needs it. */
export interface WindowInfo {
  readonly id: string;
  readonly title: string;
  readonly dir: string;
  readonly scope: WindowManifest["scope"];
  readonly expect: Expectations | undefined;
}

/** One side's replay. */
export interface SideRun {
  readonly policy: LoadedPolicy;
  readonly result: EngineResult;
}

export interface WindowComparisonInput {
  readonly window: WindowInfo;
  /** The policy's metadata.name. */
  readonly policy: string;
  readonly base: SideRun | null;
  readonly head: SideRun | null;
  /** Head replayed a second time in the same pass, or null when determinism is not checked. */
  readonly headRerun: EngineResult | null;
  /** Semantic diff of the policy (for the words of the highlights). */
  readonly changes: readonly RuleChange[];
  readonly divergence: Divergence | null;
}

/** Confidence levels from the weakest head incident. */
export const CONFIDENCE_HIGH = 0.8;
export const CONFIDENCE_MEDIUM = 0.6;

function sideOut(run: SideRun): Side {
  const c = run.result.counts;
  return {
    policy: { name: run.policy.doc.metadata.name, version: run.policy.doc.metadata.version, spec_hash: run.policy.specHash },
    events: c.events,
    out_of_scope: c.out_of_scope,
    alerts: c.alerts,
    groups: c.groups,
    incidents: c.incidents,
    collapse: `${c.alerts} → ${c.incidents}`,
    suppressed: c.suppressed,
    suppressed_severe: c.suppressed_severe,
    inhibited: c.inhibited,
    alerts_by_rule: c.alerts_by_rule,
    groups_by_rule: groupsByRule(run.result),
    decisions: c.decisions,
    trace_length: run.result.trace_length,
    trace_signature: run.result.trace_signature,
    timeline_signature: run.result.timeline_signature,
  };
}

function scopeOut(s: Incident["scope"]): IncidentOut["scope"] {
  return { service: [...s.service], region: [...s.region], pop: [...s.pop], host: [...s.host] };
}

export function incidentOut(i: Incident): IncidentOut {
  return {
    id: i.id,
    title: i.title,
    rules: [...i.rules],
    signals: [...i.signals],
    scope: scopeOut(i.scope),
    start: formatTimestamp(i.start),
    end: formatTimestamp(i.end),
    severity: i.severity,
    confidence: i.confidence,
    alerts: i.alerts,
    groups: i.groups.length,
    events: i.events.length,
  };
}

export function decisionOut(d: ActionDecision): DecisionOut {
  return { action: d.action, incident: d.incident, decision: d.decision, target: [...d.target], gate: d.gate, at: formatTimestamp(d.at), reason: d.reason };
}

/** B-cubed F1 of base vs head incidents by their event ids, rounded: the window's parity. */
export function windowParity(base: readonly { readonly events: readonly number[] }[], head: readonly { readonly events: readonly number[] }[]): number {
  return roundScore(
    bcubed(
      base.map((i) => i.events),
      head.map((i) => i.events),
    ).f1,
  );
}

export function oneSided(added: readonly Incident[], removed: readonly Incident[]): Matching {
  return {
    unchanged: 0,
    changed: 0,
    added: added.length,
    removed: removed.length,
    split: 0,
    merged: 0,
    pairs: [],
    regrouped: [],
    added_ids: added.map((i) => i.id),
    removed_ids: removed.map((i) => i.id),
  };
}

function expectStatus(r: ExpectationResult | null): "pass" | "fail" | "none" | "n/a" {
  return r === null ? "n/a" : r.status;
}

export function changedScope(m: Matching, base: readonly Incident[], head: readonly Incident[], window: WindowInfo, changed: boolean): WindowResult["scope_changed"] {
  if (!changed) return { service: [], region: [], pop: [] };
  const ids = new Set<string>([...m.added_ids, ...m.removed_ids, ...m.regrouped.flatMap((r) => [...r.base, ...r.head])]);
  for (const p of m.pairs)
    if (p.kind === "changed") {
      ids.add(p.base);
      ids.add(p.head);
    }
  const touched = [...base, ...head].filter((i) => ids.has(i.id));
  if (touched.length === 0) {
    const s = window.scope;
    return { service: s.service ? [s.service] : [], region: s.region ? [s.region] : [], pop: s.pop ? [s.pop] : [] };
  }
  return {
    service: sortedUnique(touched.flatMap((i) => i.scope.service)),
    region: sortedUnique(touched.flatMap((i) => i.scope.region)),
    pop: sortedUnique(touched.flatMap((i) => i.scope.pop)),
  };
}

/** Compares one window's base and head replays. */
export function compareWindow(input: WindowComparisonInput): WindowResult {
  const { window, base, head } = input;
  const bInc = base?.result.incidents ?? [],
    hInc = head?.result.incidents ?? [];
  const bDec = base?.result.decisions ?? [],
    hDec = head?.result.decisions ?? [];
  const matching = base && head ? matchIncidents(bInc, hInc, bDec, hDec) : oneSided(hInc, bInc);
  const parity = base && head ? windowParity(bInc, hInc) : null;
  const highlights = base && head ? windowHighlights(base.result, head.result, input.changes) : [];
  const be = base ? checkExpectations(window.expect, base.result) : null;
  const he = head ? checkExpectations(window.expect, head.result) : null;
  const sameCounts =
    base !== null &&
    head !== null &&
    JSON.stringify(base.result.counts) === JSON.stringify(head.result.counts) &&
    JSON.stringify(groupsByRule(base.result)) === JSON.stringify(groupsByRule(head.result));
  const identical = sameCounts && highlights.length === 0 && matching.unchanged === bInc.length && matching.unchanged === hInc.length && expectStatus(be) === expectStatus(he);
  const status: WindowResult["status"] = base === null ? "added" : head === null ? "removed" : identical ? "identical" : "changed";
  const minConf = minOf(
    hInc.map((i) => i.confidence),
    null,
  );
  const level = minConf === null ? null : minConf >= CONFIDENCE_HIGH ? "High" : minConf >= CONFIDENCE_MEDIUM ? "Medium" : "Low";
  let determinism: WindowResult["determinism"] = "skipped";
  if (head && input.headRerun) {
    determinism = head.result.trace_signature === input.headRerun.trace_signature && head.result.timeline_signature === input.headRerun.timeline_signature ? "equal" : "differs";
  }
  return {
    id: window.id,
    title: window.title,
    dir: window.dir,
    policy: input.policy,
    scope: window.scope,
    status,
    parity,
    confidence: { level, min: minConf },
    base: base ? sideOut(base) : null,
    head: head ? sideOut(head) : null,
    expectations: {
      base: expectStatus(be),
      head: expectStatus(he),
      regression: be?.status === "pass" && he?.status === "fail",
      base_checks: [...(be?.checks ?? [])],
      head_checks: [...(he?.checks ?? [])],
    },
    determinism,
    incidents: { base: bInc.map(incidentOut), head: hInc.map(incidentOut) },
    decisions: { base: bDec.map(decisionOut), head: hDec.map(decisionOut) },
    matching,
    highlights,
    scope_changed: changedScope(matching, bInc, hInc, window, status !== "identical"),
    divergence: status === "identical" ? null : input.divergence,
  };
}

/** Window results in report order: by window id, then policy name. */
export function compareWindowResults(a: WindowResult, b: WindowResult): number {
  return compareStrings(a.id, b.id) || compareStrings(a.policy, b.policy);
}
