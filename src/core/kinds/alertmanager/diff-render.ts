/**
 * The Alertmanager diff for people: a Markdown section that leads the PR comment for
 * Alertmanager policies (pages lost first), and the same as terminal text.
 */
import type { AmWindowDiff } from "./diff.js";
import { formatLabelSet } from "./simulator.js";

/** Lists longer than this are cut, with a count of the rest (the JSON report has them all). */
export const MAX_LISTED_ALERTS = 20;

export const AM_DIFF_SCHEMA = "replay-gate/alertmanager-diff@1";

export interface AmDiffReport {
  readonly schema: typeof AM_DIFF_SCHEMA;
  readonly verdict: "pass" | "fail";
  readonly policy: { readonly base: { readonly file: string; readonly version: string }; readonly head: { readonly file: string; readonly version: string } };
  readonly thresholds: { readonly max_lost_pages: number; readonly max_added_notifications: number | null; readonly max_added_delay_ms: number | null };
  readonly windows: readonly { readonly id: string; readonly reasons: readonly string[]; readonly diff: AmWindowDiff }[];
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`;
}

function delay(d: AmWindowDiff["receivers"][number]["first_delay"]["base"]): string {
  return d ? `${seconds(d.p50_ms)} / ${seconds(d.max_ms)}` : "–";
}

function code(s: string): string {
  return `\`${s.replace(/`/g, "'")}\``;
}

function listed<T>(xs: readonly T[], line: (x: T) => string): string[] {
  const out = xs.slice(0, MAX_LISTED_ALERTS).map(line);
  if (xs.length > MAX_LISTED_ALERTS) out.push(`- … and ${xs.length - MAX_LISTED_ALERTS} more (see the JSON report)`);
  return out;
}

/** The section that leads the PR comment. */
export function renderAmDiffMarkdown(r: AmDiffReport): string {
  const out: string[] = [`## Alertmanager: what would have paged — ${r.verdict === "pass" ? "✅ pass" : "❌ fail"}`, ""];
  out.push(`Base ${code(r.policy.base.file)} (${r.policy.base.version}) → head ${code(r.policy.head.file)} (${r.policy.head.version}), replayed in virtual time as Alertmanager 0.25 would have handled each recorded alert stream.`, "");
  for (const w of r.windows) {
    const t = w.diff.totals;
    out.push(`### ${code(w.id)}: ${t.notifications.base} → ${t.notifications.head} notifications, ${t.pages_lost} pages lost, ${t.pages_added} added`, "");
    for (const reason of w.reasons) out.push(`- ❌ ${reason}`);
    if (w.reasons.length > 0) out.push("");
    out.push("| receiver | notifications | pages lost | pages added | first notification p50 / max (base → head) |", "|---|---:|---:|---:|---|");
    for (const rd of w.diff.receivers) {
      out.push(`| ${code(rd.receiver)} | ${rd.notifications.base} → ${rd.notifications.head} | ${rd.pages_lost.length} | ${rd.pages_added.length} | ${delay(rd.first_delay.base)} → ${delay(rd.first_delay.head)} |`);
    }
    out.push("");
    const lost = w.diff.receivers.flatMap((rd) => rd.pages_lost.map((l) => ({ r: rd.receiver, l })));
    if (lost.length > 0) {
      out.push("**Pages lost** (notified under base, never under head):", "");
      out.push(...listed(lost, (x) => `- ${code(x.r)} no longer gets ${code(formatLabelSet(x.l))}`), "");
    }
    if (w.diff.newly_inhibited.length > 0) out.push("**Newly inhibited:**", "", ...listed(w.diff.newly_inhibited, (l) => `- ${code(formatLabelSet(l))}`), "");
    if (w.diff.newly_muted.length > 0) out.push("**Newly muted:**", "", ...listed(w.diff.newly_muted, (l) => `- ${code(formatLabelSet(l))}`), "");
    if (w.diff.changed_alerts.length > 0) {
      out.push("<details><summary>Route taken by each changed alert (base → head)</summary>", "");
      out.push(...listed(w.diff.changed_alerts, (c) => `- ${code(formatLabelSet(c.labels))}: ${c.base.routes.join(", ") || "–"} (${c.base.receivers.join(", ") || "–"}) → ${c.head.routes.join(", ") || "–"} (${c.head.receivers.join(", ") || "–"})`));
      out.push("", "</details>", "");
    }
  }
  return `${out.join("\n").trimEnd()}\n`;
}

/** The same for a terminal. */
export function renderAmDiffText(r: AmDiffReport): string {
  const out: string[] = [`alertmanager diff: ${r.verdict}  base ${r.policy.base.file} (${r.policy.base.version}) → head ${r.policy.head.file} (${r.policy.head.version})`];
  for (const w of r.windows) {
    const t = w.diff.totals;
    out.push("", `window ${w.id}: ${t.notifications.base} → ${t.notifications.head} notifications, ${t.pages_lost} pages lost, ${t.pages_added} added`);
    for (const reason of w.reasons) out.push(`  FAIL ${reason}`);
    for (const rd of w.diff.receivers) {
      out.push(`  ${rd.receiver}: ${rd.notifications.base} → ${rd.notifications.head} notifications, lost ${rd.pages_lost.length}, added ${rd.pages_added.length}, first notification p50/max ${delay(rd.first_delay.base)} → ${delay(rd.first_delay.head)}`);
      for (const l of rd.pages_lost.slice(0, MAX_LISTED_ALERTS)) out.push(`    lost ${formatLabelSet(l)}`);
    }
    for (const l of w.diff.newly_inhibited.slice(0, MAX_LISTED_ALERTS)) out.push(`  newly inhibited ${formatLabelSet(l)}`);
    for (const l of w.diff.newly_muted.slice(0, MAX_LISTED_ALERTS)) out.push(`  newly muted ${formatLabelSet(l)}`);
  }
  return `${out.join("\n")}\n`;
}
