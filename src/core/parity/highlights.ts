/**
 * The diff highlights of one window, in words (docs/report.md#highlight-kinds): collapse, fingerprint tightened or
 * loosened (alert groups per rule), suppression and inhibition added or removed (events per
 * rule), correlation links added or removed (incidents that hold both rules of a pair), action
 * decisions changed, and major/critical events newly hidden. Where the policy change explains a
 * number, the words say which field did it.
 */
import { compareStrings } from "../compare.js";
import { THRESHOLD_KEYS } from "../engine/detect/kinds.js";
import type { ActionDecision, EngineResult, Incident } from "../engine/types.js";
import type { Highlight, RuleChange } from "../report/report-schema.js";

/** Alert groups per detect rule. */
export function groupsByRule(r: EngineResult): Record<string, number> {
  const m = new Map<string, number>();
  for (const g of r.groups) m.set(g.rule, (m.get(g.rule) ?? 0) + 1);
  return Object.fromEntries([...m].sort((a, b) => compareStrings(a[0], b[0])));
}

/** `a+b` → number of incidents holding both rules. */
export function linksOf(incidents: readonly Incident[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const inc of incidents) {
    for (let i = 0; i < inc.rules.length; i++) {
      for (let j = i + 1; j < inc.rules.length; j++) {
        const key = `${inc.rules[i]} ↔ ${inc.rules[j]}`;
        m.set(key, (m.get(key) ?? 0) + 1);
      }
    }
  }
  return m;
}

function decisionCounts(ds: readonly ActionDecision[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const d of ds) m.set(`${d.action}\n${d.decision}`, (m.get(`${d.action}\n${d.decision}`) ?? 0) + 1);
  return m;
}

function keysOf(...records: readonly (Readonly<Record<string, number>> | Map<string, number>)[]): string[] {
  const keys = new Set<string>();
  for (const r of records) for (const k of r instanceof Map ? r.keys() : Object.keys(r)) keys.add(k);
  return [...keys].sort(compareStrings);
}

const get = (r: Readonly<Record<string, number>> | Map<string, number>, k: string) => (r instanceof Map ? r.get(k) : Object.hasOwn(r, k) ? r[k] : undefined) ?? 0;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
/** The detect fields that decide how a rule groups its alerts: its fingerprint and every kind's threshold keys. */
const DETECT_FIELDS = ["fingerprint", ...Object.keys(THRESHOLD_KEYS).map((k) => `threshold.${k}`)];

/** Which field of the policy change could explain a rule's numbers, in words; empty when none did. */
export function because(changes: readonly RuleChange[], section: RuleChange["section"], id: string | null, paths: readonly string[]): string {
  const words: string[] = [];
  for (const c of changes) {
    if (c.section !== section || c.id !== id) continue;
    if (c.change !== "changed") {
      words.push(`rule ${c.change}`);
      continue;
    }
    for (const f of c.fields) if (paths.length === 0 || paths.includes(f.path)) words.push(`${f.path} ${f.base ?? "—"} → ${f.head ?? "—"}`);
  }
  return words.length === 0 ? "" : ` (${words.join("; ")})`;
}

/** Highlights of one window. `changes` is the semantic diff of the policy the window ran under. */
export function windowHighlights(base: EngineResult, head: EngineResult, changes: readonly RuleChange[]): Highlight[] {
  const out: Highlight[] = [];
  const bc = base.counts,
    hc = head.counts;
  if (bc.incidents !== hc.incidents || bc.alerts !== hc.alerts) {
    out.push({
      kind: "collapse",
      rule: null,
      text: `${plural(hc.alerts, "alert")} → ${plural(hc.incidents, "incident")} under head (base: ${bc.alerts} → ${bc.incidents})`,
      base: bc.incidents,
      head: hc.incidents,
    });
  }
  const bg = groupsByRule(base),
    hg = groupsByRule(head);
  const grouping = because(changes, "group", null, ["dedupe_within"]);
  for (const rule of keysOf(bg, hg)) {
    const b = get(bg, rule),
      h = get(hg, rule);
    // A rule that stopped (or started) forming groups is explained by suppression, inhibition or collapse.
    if (b === h || b === 0 || h === 0) continue;
    const ab = get(bc.alerts_by_rule, rule),
      ah = get(hc.alerts_by_rule, rule);
    const alerts = ab === ah ? "" : `, alerts ${ab} → ${ah}`;
    const why = because(changes, "detect", rule, DETECT_FIELDS) + grouping;
    out.push(
      h > b
        ? { kind: "fingerprint-tightened", rule, text: `${rule}: alert groups ${b} → ${h}${alerts}, finer grouping${why}`, base: b, head: h }
        : { kind: "fingerprint-loosened", rule, text: `${rule}: alert groups ${b} → ${h}${alerts}, coarser grouping${why}`, base: b, head: h },
    );
  }
  for (const rule of keysOf(bc.suppressed, hc.suppressed)) {
    const b = get(bc.suppressed, rule),
      h = get(hc.suppressed, rule);
    if (b === h) continue;
    const why = because(changes, "suppress", rule, []);
    out.push(
      h > b
        ? { kind: "suppression-added", rule, text: `${rule} suppresses ${plural(h - b, "more event")} (${b} → ${h})${why}`, base: b, head: h }
        : { kind: "suppression-removed", rule, text: `${rule} suppresses ${plural(b - h, "fewer event", "fewer events")} (${b} → ${h})${why}`, base: b, head: h },
    );
  }
  for (const rule of keysOf(bc.suppressed_severe, hc.suppressed_severe)) {
    const b = get(bc.suppressed_severe, rule),
      h = get(hc.suppressed_severe, rule);
    if (h > b) out.push({ kind: "severe-suppressed", rule, text: `${rule} newly hides ${plural(h - b, "major/critical event")}`, base: b, head: h });
  }
  for (const rule of keysOf(bc.inhibited, hc.inhibited)) {
    const b = get(bc.inhibited, rule),
      h = get(hc.inhibited, rule);
    if (b === h) continue;
    const why = because(changes, "inhibit", rule, []);
    out.push(
      h > b
        ? { kind: "inhibition-added", rule, text: `${rule} mutes ${plural(h - b, "more alert")} (${b} → ${h})${why}`, base: b, head: h }
        : { kind: "inhibition-removed", rule, text: `${rule} mutes ${plural(b - h, "fewer alert", "fewer alerts")} (${b} → ${h})${why}`, base: b, head: h },
    );
  }
  const bl = linksOf(base.incidents),
    hl = linksOf(head.incidents);
  const correlation = changes
    .filter((c) => c.section === "correlate")
    .map((c) => because(changes, "correlate", c.id, ["join", "on", "within"]).slice(2, -1))
    .filter((s) => s !== "");
  const corrWhy = correlation.length === 0 ? "" : ` (${correlation.join("; ")})`;
  for (const pair of keysOf(bl, hl)) {
    const b = get(bl, pair),
      h = get(hl, pair);
    if (b === h) continue;
    out.push(
      h > b
        ? { kind: "link-added", rule: null, text: `${pair} correlated in ${plural(h, "incident")} (base ${b})${corrWhy}`, base: b, head: h }
        : { kind: "link-removed", rule: null, text: `${pair} correlated in ${plural(h, "incident")} (base ${b})${corrWhy}`, base: b, head: h },
    );
  }
  const bd = decisionCounts(base.decisions),
    hd = decisionCounts(head.decisions);
  for (const key of keysOf(bd, hd)) {
    const b = get(bd, key),
      h = get(hd, key);
    if (b === h) continue;
    const [action, decision] = key.split("\n") as [string, string];
    out.push({ kind: "decision-changed", rule: action, text: `${action}: ${decision} ${b} → ${h}${because(changes, "actions", action, [])}`, base: b, head: h });
  }
  return out;
}
