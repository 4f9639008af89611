/**
 * Parity and diff for rule files (issue 14 item 5): base and head alert episodes of one window
 * matched by alert identity (the label set) and overlap in time; what the change stops firing,
 * starts firing, fires earlier or later, how often alerts flap, and recording-rule cardinality.
 * Pure: two results in, one diff out; the gate reads `lost` against `max_lost_alerts`.
 */
import { compareNumbers, compareStrings } from "../../compare.js";
import { formatLabels, labelsKey } from "../../promql/labels.js";
import { formatTimestamp } from "../../time.js";
import type { KindResult } from "../kind.js";
import type { EpisodeOut, RulesExtras } from "./index.js";

/** A firing episode as the diff reports it. */
export interface FiredAlert {
  readonly rule: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly fired_at: number;
  readonly resolved_at: number | null;
}

/** An alert both versions fire, at different times. */
export interface ShiftedAlert {
  readonly rule: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly base_fired_at: number;
  readonly head_fired_at: number;
  /** head − base, ms: negative = head fires earlier. */
  readonly shift_ms: number;
}

/** Per rule: episodes per distinct alert (flapping), and recorded series (cardinality). */
export interface RuleChange {
  readonly rule: string;
  readonly base_episodes: number;
  readonly head_episodes: number;
  readonly base_alerts: number;
  readonly head_alerts: number;
  readonly base_series: number;
  readonly head_series: number;
}

/** The diff of one window. */
export interface RulesWindowDiff {
  readonly window: string;
  /** Fired under base, no overlapping episode of the same alert under head. */
  readonly lost: readonly FiredAlert[];
  /** Fired under head, none under base. */
  readonly gained: readonly FiredAlert[];
  readonly earlier: readonly ShiftedAlert[];
  readonly later: readonly ShiftedAlert[];
  readonly rules: readonly RuleChange[];
}

function fired(r: KindResult<RulesExtras>, end: number): (FiredAlert & { key: string; until: number })[] {
  return r.extras.alerts
    .filter((a): a is EpisodeOut & { fired_at: number } => a.fired_at !== null)
    .map((a) => ({ rule: a.rule, labels: a.labels, fired_at: a.fired_at, resolved_at: a.resolved_at, key: labelsKey(a.labels), until: a.resolved_at ?? end + 1 }));
}

function byTimeThenLabels(a: FiredAlert, b: FiredAlert): number {
  return compareNumbers(a.fired_at, b.fired_at) || compareStrings(labelsKey(a.labels), labelsKey(b.labels));
}

/** Diffs one window's base and head rule replays; `end` is the window's end (ms). */
export function diffRuleResults(window: string, end: number, base: KindResult<RulesExtras>, head: KindResult<RulesExtras>): RulesWindowDiff {
  const b = fired(base, end), h = fired(head, end);
  const used = new Set<number>();
  const lost: FiredAlert[] = [], earlier: ShiftedAlert[] = [], later: ShiftedAlert[] = [];
  for (const e of b) {
    // The earliest unmatched head episode of the same alert that overlaps this one in time.
    const j = h.findIndex((x, i) => !used.has(i) && x.key === e.key && x.fired_at < e.until && e.fired_at < x.until);
    if (j < 0) {
      lost.push({ rule: e.rule, labels: e.labels, fired_at: e.fired_at, resolved_at: e.resolved_at });
      continue;
    }
    used.add(j);
    const shift = h[j]!.fired_at - e.fired_at;
    if (shift !== 0) (shift < 0 ? earlier : later).push({ rule: e.rule, labels: e.labels, base_fired_at: e.fired_at, head_fired_at: h[j]!.fired_at, shift_ms: shift });
  }
  const gained = h.filter((_, i) => !used.has(i)).map((x) => ({ rule: x.rule, labels: x.labels, fired_at: x.fired_at, resolved_at: x.resolved_at }));
  const names = new Set([...base.extras.rules.map((s) => s.rule), ...head.extras.rules.map((s) => s.rule)]);
  const count = (r: KindResult<RulesExtras>, rule: string) => {
    const eps = r.extras.alerts.filter((a) => a.rule === rule && a.fired_at !== null);
    return { episodes: eps.length, alerts: new Set(eps.map((a) => labelsKey(a.labels))).size, series: r.extras.rules.filter((s) => s.rule === rule && s.kind === "record").reduce((n, s) => n + s.series_produced, 0) };
  };
  const rules = [...names].sort(compareStrings).map((rule) => {
    const x = count(base, rule), y = count(head, rule);
    return { rule, base_episodes: x.episodes, head_episodes: y.episodes, base_alerts: x.alerts, head_alerts: y.alerts, base_series: x.series, head_series: y.series };
  }).filter((c) => c.base_episodes !== c.head_episodes || c.base_alerts !== c.head_alerts || c.base_series !== c.head_series);
  return { window, lost: lost.sort(byTimeThenLabels), gained: gained.sort(byTimeThenLabels), earlier, later, rules };
}

/** Windows whose lost alerts exceed `max_lost_alerts` (default 0), as gate reasons. */
export function lostAlertReasons(diffs: readonly RulesWindowDiff[], maxLostAlerts = 0): string[] {
  return diffs.filter((d) => d.lost.length > maxLostAlerts).map((d) => `${d.window}: ${d.lost.length} alert${d.lost.length === 1 ? "" : "s"} this change stops firing (max_lost_alerts is ${maxLostAlerts})`);
}

function minutes(ms: number): string {
  const s = Math.abs(ms) / 1000;
  return s % 60 === 0 ? `${s / 60}m` : `${s}s`;
}

function cell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** The PR-comment section: lost and gained alerts first, each with its rule's `expr` change. */
export function renderRulesDiffMarkdown(diffs: readonly RulesWindowDiff[], exprs: { readonly base: ReadonlyMap<string, string>; readonly head: ReadonlyMap<string, string> }): string {
  const out: string[] = ["### Prometheus rules"];
  const exprCell = (rule: string) => {
    const b = exprs.base.get(rule), h = exprs.head.get(rule);
    if (b === h) return b === undefined ? "" : `\`${cell(b)}\``;
    return `${b === undefined ? "(new rule)" : `\`${cell(b)}\``} → ${h === undefined ? "(removed)" : `\`${cell(h)}\``}`;
  };
  for (const d of diffs) {
    out.push("", `#### ${d.window}`);
    if (d.lost.length + d.gained.length + d.earlier.length + d.later.length + d.rules.length === 0) {
      out.push("", "No change in the alerts this window fires.");
      continue;
    }
    const table = (title: string, rows: readonly FiredAlert[]) => {
      if (rows.length === 0) return;
      out.push("", `**${title}** (${rows.length})`, "", "| alert | fired | resolved | rule expr (base → head) |", "|---|---|---|---|");
      for (const r of rows) out.push(`| \`${cell(formatLabels(r.labels))}\` | ${formatTimestamp(r.fired_at)} | ${r.resolved_at === null ? "—" : formatTimestamp(r.resolved_at)} | ${exprCell(r.rule)} |`);
    };
    table("Alerts this change stops firing", d.lost);
    table("Alerts it starts firing", d.gained);
    const shifted = [...d.earlier, ...d.later];
    if (shifted.length > 0) {
      out.push("", `**Alerts firing earlier or later** (${shifted.length})`, "", "| alert | base fired | head fired | shift |", "|---|---|---|---|");
      for (const s of shifted) out.push(`| \`${cell(formatLabels(s.labels))}\` | ${formatTimestamp(s.base_fired_at)} | ${formatTimestamp(s.head_fired_at)} | ${s.shift_ms < 0 ? "earlier" : "later"} by ${minutes(s.shift_ms)} |`);
    }
    if (d.rules.length > 0) {
      out.push("", "| rule | episodes (alerts) base → head | recorded series base → head |", "|---|---|---|");
      for (const r of d.rules) out.push(`| ${cell(r.rule)} | ${r.base_episodes} (${r.base_alerts}) → ${r.head_episodes} (${r.head_alerts}) | ${r.base_series} → ${r.head_series} |`);
    }
  }
  return `${out.join("\n")}\n`;
}
