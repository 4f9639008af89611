/**
 * One window under a policy of another kind (Alertmanager configuration, Prometheus rules):
 * the shared parity (docs/parity.md) on the kind's incidents (matching, B-cubed, blast radius), and
 * the kind's own comparison in `kind_diff`. Rule-level detail that only a CorrelationPolicy has
 * (suppression, decisions, divergence by time travel, expectations) is left empty.
 */
import type { KindPair, OtherPolicy } from "../kinds/any-policy.js";
import type { KindResult } from "../kinds/kind.js";
import type { Side, WindowResult } from "../report/report-schema.js";
import { DECISIONS } from "../window/manifest.js";
import { matchIncidents } from "./matching.js";
import { CONFIDENCE_HIGH, CONFIDENCE_MEDIUM, changedScope, incidentOut, oneSided, windowParity, type WindowInfo } from "./window.js";

/** One window × other-kind policy comparison, replayed. */
export interface KindComparisonInput {
  readonly policy: string;
  readonly base: KindResult | null;
  readonly head: KindResult | null;
  readonly headRerun: KindResult | null;
}

const NO_DECISIONS = Object.fromEntries(DECISIONS.map((d) => [d, 0])) as Side["decisions"];

function sideOut(p: OtherPolicy, r: KindResult): Side {
  const c = r.counts;
  return {
    policy: { name: p.name, version: p.version, spec_hash: p.specHash },
    events: c.events,
    out_of_scope: 0,
    alerts: c.alerts,
    groups: c.groups,
    incidents: c.incidents,
    collapse: `${c.alerts} → ${c.incidents}`,
    suppressed: {},
    suppressed_severe: {},
    inhibited: {},
    alerts_by_rule: {},
    groups_by_rule: {},
    decisions: NO_DECISIONS,
    trace_length: 0,
    trace_signature: r.trace_signature,
    timeline_signature: r.timeline_signature,
  };
}

/** Compares one window's base and head replays under an other-kind policy. */
export function compareKindWindow(window: WindowInfo, pair: KindPair, c: KindComparisonInput): WindowResult {
  const { base, head } = c;
  const bInc = base?.incidents ?? [],
    hInc = head?.incidents ?? [];
  const matching = base && head ? matchIncidents(bInc, hInc, [], []) : oneSided(hInc, bInc);
  const parity = base && head ? windowParity(bInc, hInc) : null;
  const identical = base !== null && head !== null && base.trace_signature === head.trace_signature;
  const status: WindowResult["status"] = base === null ? "added" : head === null ? "removed" : identical ? "identical" : "changed";
  const minConf = hInc.length === 0 ? null : hInc.reduce((m, i) => Math.min(m, i.confidence), Infinity);
  const level = minConf === null ? null : minConf >= CONFIDENCE_HIGH ? "High" : minConf >= CONFIDENCE_MEDIUM ? "Medium" : "Low";
  const determinism: WindowResult["determinism"] =
    head && c.headRerun ? (head.trace_signature === c.headRerun.trace_signature && head.timeline_signature === c.headRerun.timeline_signature ? "equal" : "differs") : "skipped";
  const kind = pair.head?.seam.kind ?? pair.base!.seam.kind;
  const kindDiff = kind.compare?.(base, head);
  return {
    id: window.id,
    title: window.title,
    dir: window.dir,
    policy: c.policy,
    scope: window.scope,
    status,
    parity,
    confidence: { level, min: minConf },
    base: base && pair.base ? sideOut(pair.base, base) : null,
    head: head && pair.head ? sideOut(pair.head, head) : null,
    expectations: { base: "n/a", head: "n/a", regression: false, base_checks: [], head_checks: [] },
    determinism,
    incidents: { base: bInc.map(incidentOut), head: hInc.map(incidentOut) },
    decisions: { base: [], head: [] },
    matching,
    highlights: [],
    scope_changed: changedScope(matching, bInc, hInc, window, status !== "identical"),
    divergence: null,
    kind: pair.kind,
    ...(kindDiff !== undefined ? { kind_diff: kindDiff } : {}),
  };
}
