/**
 * Parity and diff for rule files (issue 14 item 5): base and head alert episodes of one window
 * matched by alert identity (the label set) and overlap in time; what the change stops firing,
 * starts firing, fires earlier or later, how often alerts flap, recording-rule cardinality, and
 * the definition (`expr`, `for`, `keep_firing_for`) of each rule behind those differences. When
 * the rules are chained into an Alertmanager configuration, the notifications of both sides are
 * compared as the Alertmanager kind compares them. Pure: two replays in, one diff out.
 */
import { compareNumbers, compareStrings } from "../../compare.js";
import { labelsKey } from "../../promql/labels.js";
import { formatTimestamp } from "../../time.js";
import { diffAlertmanager, type AmSide } from "../alertmanager/diff.js";
import type { Frozen } from "../../model/frozen.js";
import type { RulesKindDiff } from "./diff-schema.js";
import type { EpisodeOut, RuleDefinition, RulesExtras } from "./index.js";

/** One window's diff: report.json's `kind_diff` without its `kind`, typed by its schema (diff-schema.ts; the schema fixes key order). */
export type RulesWindowDiff = Frozen<Omit<RulesKindDiff, "kind">>;
type Diff = RulesWindowDiff;
type Fired = EpisodeOut & { readonly fired_at: number; readonly key: string; readonly until: number };

/** The side of a rules replay the diff reads (a policy absent on one side is an empty side). */
export type RulesSide = Pick<RulesExtras, "alerts" | "rules" | "definitions" | "window_end" | "chained">;

const EMPTY_AM: AmSide = { notifications: [], fates: [] };

function fired(side: RulesSide | null): Fired[] {
  if (side === null) return [];
  // An episode still firing at the window's end overlaps everything after its start.
  return side.alerts.filter((a): a is EpisodeOut & { fired_at: number } => a.fired_at !== null).map((a) => ({ ...a, key: labelsKey(a.labels), until: a.resolved_at ?? side.window_end + 1 }));
}

function byFiredThenLabels(a: Fired, b: Fired): number {
  return compareNumbers(a.fired_at, b.fired_at) || compareStrings(a.key, b.key) || compareStrings(a.rule, b.rule);
}

const ts = (ms: number | null) => (ms === null ? null : formatTimestamp(ms));
const alertOut = (e: Fired) => ({ rule: e.rule, labels: e.labels, fired_at: formatTimestamp(e.fired_at), resolved_at: ts(e.resolved_at) });

/** A rule's definition as the comment shows it: `expr`, then `for` and `keep_firing_for` when set; one block per rule of that name. */
export function definitionText(defs: readonly RuleDefinition[], rule: string): string | null {
  const mine = defs.filter((d) => d.rule === rule);
  if (mine.length === 0) return null;
  return mine
    .map((d) => [`# group ${d.group}`, `expr: ${d.expr}`, ...(d.for === null ? [] : [`for: ${d.for}`]), ...(d.keep_firing_for === null ? [] : [`keep_firing_for: ${d.keep_firing_for}`])].join("\n"))
    .join("\n\n");
}

function perRule(side: RulesSide | null, rule: string): { episodes: number; alerts: number; series: number } {
  if (side === null) return { episodes: 0, alerts: 0, series: 0 };
  const eps = side.alerts.filter((a) => a.rule === rule && a.fired_at !== null);
  const series = side.rules.filter((s) => s.rule === rule && s.kind === "record").reduce((n, s) => n + s.series_produced, 0);
  return { episodes: eps.length, alerts: new Set(eps.map((a) => labelsKey(a.labels))).size, series };
}

/** Compares one window's base and head rule replays; `null` for a side without the policy. */
export function diffRules(base: RulesSide | null, head: RulesSide | null): Diff {
  const b = fired(base).sort(byFiredThenLabels),
    h = fired(head).sort(byFiredThenLabels);
  const used = new Set<number>();
  const lost: Fired[] = [];
  const shifted: Diff["earlier"][number][] = [];
  // Head episodes per alert, in firing order: matching stays linear in the episodes of one alert.
  const byAlert = new Map<string, number[]>();
  h.forEach((x, i) => {
    const list = byAlert.get(x.key);
    if (list === undefined) byAlert.set(x.key, [i]);
    else list.push(i);
  });
  for (const e of b) {
    // The earliest unmatched head episode of the same alert that overlaps this one in time.
    const j = (byAlert.get(e.key) ?? []).find((i) => !used.has(i) && h[i]!.fired_at < e.until && e.fired_at < h[i]!.until) ?? -1;
    if (j < 0) {
      lost.push(e);
      continue;
    }
    used.add(j);
    const shift = h[j]!.fired_at - e.fired_at;
    if (shift !== 0) shifted.push({ rule: e.rule, labels: e.labels, base_fired_at: formatTimestamp(e.fired_at), head_fired_at: formatTimestamp(h[j]!.fired_at), shift_ms: shift });
  }
  const gained = h.filter((_, i) => !used.has(i));
  const names = new Set([...(base?.rules ?? []), ...(head?.rules ?? [])].map((s) => s.rule));
  const rules = [...names]
    .sort(compareStrings)
    .map((rule) => {
      const x = perRule(base, rule),
        y = perRule(head, rule);
      return { rule, episodes: { base: x.episodes, head: y.episodes }, alerts: { base: x.alerts, head: y.alerts }, recorded_series: { base: x.series, head: y.series } };
    })
    .filter((c) => c.episodes.base !== c.episodes.head || c.alerts.base !== c.alerts.head || c.recorded_series.base !== c.recorded_series.head);
  // The definitions behind what changed, where base and head define the rule differently.
  const behind = new Set([...lost, ...gained, ...shifted].map((x) => x.rule));
  for (const r of rules) behind.add(r.rule);
  const definitions = [...behind].sort(compareStrings).flatMap((rule) => {
    const bt = definitionText(base?.definitions ?? [], rule),
      ht = definitionText(head?.definitions ?? [], rule);
    return bt === ht ? [] : [{ rule, base: bt, head: ht }];
  });
  const notifications = base?.chained == null && head?.chained == null ? null : diffAlertmanager(base?.chained ?? EMPTY_AM, head?.chained ?? EMPTY_AM);
  const earlier = shifted.filter((s) => s.shift_ms < 0),
    later = shifted.filter((s) => s.shift_ms > 0);
  return {
    lost: lost.map(alertOut),
    gained: gained.map(alertOut),
    earlier,
    later,
    rules,
    definitions,
    notifications,
    totals: {
      lost: lost.length,
      gained: gained.length,
      earlier: earlier.length,
      later: later.length,
      fired_episodes: { base: b.length, head: h.length },
    },
  };
}
