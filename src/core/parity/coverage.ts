/**
 * Coverage of the change by the library (issue 3): for every rule of head, the windows in which
 * it did something; rules the change added or changed that no window exercises are untested;
 * suppressions that newly hide major/critical events are counted. Also the suppression
 * candidates (docs/parity.md): alert groups that never join an incident and recur across windows.
 */
import { compareStrings } from "../compare.js";
import type { EngineResult } from "../engine/types.js";
import { RULE_SECTIONS, type RuleSection } from "../model/vocabulary.js";
import type { PolicyDoc } from "../policy/schema.js";
import type { Coverage, RuleChange, SuppressionCandidate } from "../report/report-schema.js";

/** One head replay, as coverage reads it. */
export interface CoverageRun {
  readonly window: string;
  readonly policy: string;
  readonly base: EngineResult | null;
  readonly head: EngineResult;
}

/** One head policy, its base version (null when the change adds it) and its semantic change. */
export interface CoveragePolicy {
  readonly name: string;
  readonly doc: PolicyDoc;
  readonly baseDoc: PolicyDoc | null;
  readonly changes: readonly RuleChange[];
}

function hitsOf(section: RuleSection, id: string, doc: PolicyDoc, r: EngineResult): number {
  const c = r.counts;
  const read = (rec: Readonly<Record<string, number>>) => (Object.hasOwn(rec, id) ? rec[id]! : 0);
  switch (section) {
    case "suppress":
      return read(c.suppressed);
    case "inhibit":
      return read(c.inhibited);
    case "detect":
      return read(c.alerts_by_rule);
    case "correlate": {
      const join = doc.correlate.find((x) => x.id === id)?.join ?? [];
      return r.incidents.filter((inc) => inc.rules.filter((rule) => join.includes(rule)).length >= 2).length;
    }
    case "actions":
      return r.decisions.filter((d) => d.action === id).length;
    default: {
      const never: never = section;
      return never;
    }
  }
}

/**
 * Coverage of every head rule over the replays. A rule the change added or changed is
 * `untested` when it acts in no window under head nor (for a changed rule) under base: a rule
 * tightened until it never fires on head still has evidence when base fired it.
 */
export function buildCoverage(policies: readonly CoveragePolicy[], runs: readonly CoverageRun[]): Coverage {
  const rules: Coverage["rules"] = [];
  for (const p of policies) {
    const mine = runs.filter((r) => r.policy === p.name);
    for (const section of RULE_SECTIONS) {
      for (const rule of p.doc[section] as readonly { id: string }[]) {
        const change = p.changes.find((c) => c.section === section && c.id === rule.id)?.change;
        const kind = change === "added" ? "added" : change === "changed" ? "changed" : "unchanged";
        const windows: string[] = [];
        const baseWindows: string[] = [];
        const inBase = p.baseDoc !== null && (p.baseDoc[section] as readonly { id: string }[]).some((r) => r.id === rule.id);
        let hits = 0;
        for (const run of mine) {
          const n = hitsOf(section, rule.id, p.doc, run.head);
          if (n > 0) windows.push(run.window);
          hits += n;
          if (inBase && run.base !== null && hitsOf(section, rule.id, p.baseDoc!, run.base) > 0) baseWindows.push(run.window);
        }
        const w = [...new Set(windows)].sort(compareStrings),
          bw = [...new Set(baseWindows)].sort(compareStrings);
        rules.push({ policy: p.name, section, id: rule.id, change: kind, windows: w, base_windows: bw, hits, untested: kind !== "unchanged" && w.length === 0 && bw.length === 0 });
      }
    }
  }
  const untested = rules.filter((r) => r.untested).map((r) => ({ policy: r.policy, section: r.section, id: r.id, change: r.change as "added" | "changed" }));
  const severe: Coverage["severe_suppressions"] = [];
  for (const run of runs) {
    const h = run.head.counts.suppressed_severe,
      b = run.base?.counts.suppressed_severe ?? {};
    for (const rule of Object.keys(h).sort(compareStrings)) {
      const extra = h[rule]! - (Object.hasOwn(b, rule) ? b[rule]! : 0);
      if (extra > 0) severe.push({ policy: run.policy, rule, window: run.window, events: extra });
    }
  }
  return { rules, untested, severe_suppressions: severe };
}

/** Lone alert groups (in no incident) of one rule and fingerprint seen in at least this many windows. */
export const CANDIDATE_MIN_WINDOWS = 2;

/** Suppression candidates over the head replays, by policy, rule and fingerprint. */
export function suppressionCandidates(runs: readonly CoverageRun[]): SuppressionCandidate[] {
  const by = new Map<string, { policy: string; rule: string; fingerprint: string; windows: Set<string>; groups: number; alerts: number }>();
  for (const run of runs) {
    for (const g of run.head.groups) {
      if (g.incident !== null) continue;
      const key = `${run.policy}\n${g.rule}\n${g.fingerprint}`;
      const c = by.get(key) ?? { policy: run.policy, rule: g.rule, fingerprint: g.fingerprint, windows: new Set<string>(), groups: 0, alerts: 0 };
      c.windows.add(run.window);
      c.groups++;
      c.alerts += g.alerts;
      by.set(key, c);
    }
  }
  return [...by.values()]
    .filter((c) => c.windows.size >= CANDIDATE_MIN_WINDOWS)
    .map((c) => ({ policy: c.policy, rule: c.rule, fingerprint: c.fingerprint, windows: [...c.windows].sort(compareStrings), groups: c.groups, alerts: c.alerts }))
    .sort((a, b) => compareStrings(a.policy, b.policy) || compareStrings(a.rule, b.rule) || compareStrings(a.fingerprint, b.fingerprint));
}
