/**
 * The rule-file diff for people: per window, a Markdown section that leads the window's part of
 * the PR comment — the alerts this change stops firing, then those it starts firing — followed by
 * alerts firing earlier or later, flapping and recording-rule cardinality, the definitions of the
 * rules behind them (base → head, as a diff), and, when the rules feed an Alertmanager
 * configuration, who would have been paged. Every label, rule name and expression is untrusted
 * text and goes through the one neutraliser.
 */
import { diffLines } from "diff";
import { forMarkdown, forMarkdownCode, forTerminal } from "../../neutralize.js";
import { formatLabels } from "../../promql/labels.js";
import { formatDuration } from "../../time.js";
import { MAX_LISTED_ALERTS, renderAmWindowMarkdown, renderAmWindowText } from "../alertmanager/diff-render.js";
import type { RulesKindDiff } from "./diff-schema.js";

/** Rule definitions shown per window; the rest are counted (the policy's own text diff has them all). */
export const MAX_LISTED_DEFINITIONS = 10;
/** Longest definition shown, per side, in characters; longer ones are cut at a line end. */
export const MAX_DEFINITION_CHARS = 2000;

type Alert = RulesKindDiff["lost"][number];
type Shifted = RulesKindDiff["earlier"][number];

const md = (s: string) => forMarkdown(s);
const labelsMd = (l: Readonly<Record<string, string>>) => md(formatLabels(l));
const arrow = (s: { readonly base: number; readonly head: number }) => `${s.base} → ${s.head}`;

/** `earlier by 1m`, `later by 90s`. */
export function describeShift(ms: number): string {
  return `${ms < 0 ? "earlier" : "later"} by ${formatDuration(Math.abs(ms))}`;
}

function rowsCapped<T>(xs: readonly T[], row: (x: T) => string): string[] {
  const out = xs.slice(0, MAX_LISTED_ALERTS).map(row);
  if (xs.length > MAX_LISTED_ALERTS) out.push("", `… and ${xs.length - MAX_LISTED_ALERTS} more (see report.json)`);
  return out;
}

function alertTable(title: string, alerts: readonly Alert[]): string[] {
  if (alerts.length === 0) return [];
  return [
    "",
    `**${title}** (${alerts.length})`,
    "",
    "| alert | rule | fired at | resolved at |",
    "|---|---|---|---|",
    ...rowsCapped(alerts, (a) => `| ${labelsMd(a.labels)} | ${md(a.rule)} | ${a.fired_at} | ${a.resolved_at ?? "still firing"} |`),
  ];
}

function cut(text: string): string {
  if (text.length <= MAX_DEFINITION_CHARS) return text;
  const at = text.lastIndexOf("\n", MAX_DEFINITION_CHARS);
  return `${text.slice(0, at > 0 ? at : MAX_DEFINITION_CHARS)}\n# … cut (${text.length} characters)`;
}

/** A definition's change as diff lines: `-` base only, `+` head only, ` ` both. */
export function definitionDiff(base: string | null, head: string | null): string {
  const out: string[] = [];
  for (const part of diffLines(base === null ? "" : `${cut(base)}\n`, head === null ? "" : `${cut(head)}\n`)) {
    const mark = part.added ? "+" : part.removed ? "-" : " ";
    for (const line of part.value.replace(/\n$/, "").split("\n")) out.push(`${mark}${line}`);
  }
  return out.join("\n");
}

/** One window's rule-file section of the PR comment. */
export function renderRulesWindowMarkdown(d: RulesKindDiff): string {
  const t = d.totals;
  const out: string[] = [
    `**What this change fires** (Prometheus rules): **${t.lost} alert${t.lost === 1 ? "" : "s"} it stops firing**, ${t.gained} it starts firing, ${t.earlier} earlier, ${t.later} later (firing episodes ${arrow(t.fired_episodes)})`,
  ];
  out.push(...alertTable("Alerts this change stops firing", d.lost));
  out.push(...alertTable("Alerts it starts firing", d.gained));
  const shifted: readonly Shifted[] = [...d.earlier, ...d.later];
  if (shifted.length > 0) {
    out.push("", `**Alerts firing earlier or later** (${shifted.length})`, "", "| alert | base fired | head fired | shift |", "|---|---|---|---|");
    out.push(...rowsCapped(shifted, (s) => `| ${labelsMd(s.labels)} | ${s.base_fired_at} | ${s.head_fired_at} | ${describeShift(s.shift_ms)} |`));
  }
  if (d.rules.length > 0) {
    out.push("", "**Flapping and recording-rule cardinality** (base → head)", "", "| rule | firing episodes | distinct alerts | recorded series |", "|---|---:|---:|---:|");
    out.push(...rowsCapped(d.rules, (r) => `| ${md(r.rule)} | ${arrow(r.episodes)} | ${arrow(r.alerts)} | ${arrow(r.recorded_series)} |`));
  }
  if (d.definitions.length > 0) {
    out.push("", "**The rules behind these changes** (base → head):", "");
    for (const def of d.definitions.slice(0, MAX_LISTED_DEFINITIONS)) {
      const what = def.base === null ? "new in head" : def.head === null ? "gone from head" : "changed";
      out.push(`${md(def.rule)} (${what}):`, "", forMarkdownCode(definitionDiff(def.base, def.head), "diff"), "");
    }
    if (d.definitions.length > MAX_LISTED_DEFINITIONS) out.push(`… and ${d.definitions.length - MAX_LISTED_DEFINITIONS} more rules (see the policy diff)`, "");
    out.pop();
  }
  if (d.notifications !== null) out.push("", "Through the Alertmanager configuration (`prometheus_rules.alertmanager`):", "", renderAmWindowMarkdown({ kind: "alertmanager", ...d.notifications }));
  return out.join("\n");
}

/** The same for a terminal, indented under the window's heading. */
export function renderRulesWindowText(d: RulesKindDiff): string[] {
  const t = d.totals;
  const out = [`  prometheus rules: ${t.lost} alerts it stops firing, ${t.gained} it starts firing, ${t.earlier} earlier, ${t.later} later (firing episodes ${arrow(t.fired_episodes)})`];
  const line = (what: string, a: Alert) => `    ${what} ${forTerminal(formatLabels(a.labels))} fired ${a.fired_at}`;
  for (const a of d.lost.slice(0, MAX_LISTED_ALERTS)) out.push(line("stops firing", a));
  for (const a of d.gained.slice(0, MAX_LISTED_ALERTS)) out.push(line("starts firing", a));
  for (const s of [...d.earlier, ...d.later].slice(0, MAX_LISTED_ALERTS)) out.push(`    fires ${describeShift(s.shift_ms)} ${forTerminal(formatLabels(s.labels))}`);
  for (const r of d.rules.slice(0, MAX_LISTED_ALERTS))
    out.push(`    rule ${forTerminal(r.rule)}: firing episodes ${arrow(r.episodes)}, distinct alerts ${arrow(r.alerts)}, recorded series ${arrow(r.recorded_series)}`);
  for (const def of d.definitions.slice(0, MAX_LISTED_DEFINITIONS)) {
    out.push(`    rule ${forTerminal(def.rule)} (base → head):`);
    for (const l of definitionDiff(def.base, def.head).split("\n")) out.push(`      ${forTerminal(l)}`);
  }
  if (d.notifications !== null) out.push(...renderAmWindowText({ kind: "alertmanager", ...d.notifications }));
  return out;
}
