/**
 * The Alertmanager diff for people: per window, a Markdown section that leads the window's part
 * of the PR comment (pages lost first), and the same as terminal text. Every label, receiver and
 * route name is untrusted text and goes through the one neutraliser.
 */
import { forMarkdown, forTerminal } from "../../neutralize.js";
import type { AmKindDiff } from "./diff-schema.js";
import { formatLabelSet } from "./simulator.js";

/** Lists longer than this are cut, with a count of the rest (report.json has them all). */
export const MAX_LISTED_ALERTS = 20;

type Delay = AmKindDiff["receivers"][number]["first_delay"]["base"];

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`;
}

function delay(d: Delay): string {
  return d ? `${seconds(d.p50_ms)} / ${seconds(d.max_ms)}` : "–";
}

function listed<T>(xs: readonly T[], line: (x: T) => string): string[] {
  const out = xs.slice(0, MAX_LISTED_ALERTS).map(line);
  if (xs.length > MAX_LISTED_ALERTS) out.push(`- … and ${xs.length - MAX_LISTED_ALERTS} more (see report.json)`);
  return out;
}

const md = (s: string) => forMarkdown(s);
const labelsMd = (l: Readonly<Record<string, string>>) => md(formatLabelSet(l));

/** One window's Alertmanager section of the PR comment. */
export function renderAmWindowMarkdown(d: AmKindDiff): string {
  const t = d.totals;
  const out: string[] = [
    `**What would have paged** (Alertmanager, virtual time): ${t.notifications.base} → ${t.notifications.head} notifications, **${t.pages_lost} pages lost**, ${t.pages_added} added`,
    "",
  ];
  const lost = d.receivers.flatMap((rd) => rd.pages_lost.map((l) => ({ r: rd.receiver, l })));
  if (lost.length > 0) {
    out.push("Pages lost (notified under base, never under head):", "");
    out.push(...listed(lost, (x) => `- ${md(x.r)} no longer gets ${labelsMd(x.l)}`), "");
  }
  out.push("| receiver | notifications | pages lost | pages added | first notification p50 / max (base → head) |", "|---|---:|---:|---:|---|");
  for (const rd of d.receivers)
    out.push(
      `| ${md(rd.receiver)} | ${rd.notifications.base} → ${rd.notifications.head} | ${rd.pages_lost.length} | ${rd.pages_added.length} | ${delay(rd.first_delay.base)} → ${delay(rd.first_delay.head)} |`,
    );
  const added = d.receivers.flatMap((rd) => rd.pages_added.map((l) => ({ r: rd.receiver, l })));
  if (added.length > 0) out.push("", "Pages added:", "", ...listed(added, (x) => `- ${md(x.r)} now gets ${labelsMd(x.l)}`));
  if (d.newly_inhibited.length > 0) out.push("", "Newly inhibited:", "", ...listed(d.newly_inhibited, (l) => `- ${labelsMd(l)}`));
  if (d.newly_muted.length > 0) out.push("", "Newly muted:", "", ...listed(d.newly_muted, (l) => `- ${labelsMd(l)}`));
  if (d.changed_alerts.length > 0) {
    out.push("", "<details><summary>Route taken by each changed alert (base → head)</summary>", "");
    out.push(
      ...listed(
        d.changed_alerts,
        (c) =>
          `- ${labelsMd(c.labels)}: ${md(c.base.routes.join(", ") || "–")} (${md(c.base.receivers.join(", ") || "–")}) → ${md(c.head.routes.join(", ") || "–")} (${md(c.head.receivers.join(", ") || "–")})`,
      ),
    );
    out.push("", "</details>");
  }
  return out.join("\n");
}

/** The same for a terminal, indented under the window's heading. */
export function renderAmWindowText(d: AmKindDiff): string[] {
  const t = d.totals;
  const out = [`  alertmanager: ${t.notifications.base} → ${t.notifications.head} notifications, ${t.pages_lost} pages lost, ${t.pages_added} added`];
  for (const rd of d.receivers) {
    out.push(
      `    ${forTerminal(rd.receiver)}: ${rd.notifications.base} → ${rd.notifications.head} notifications, lost ${rd.pages_lost.length}, added ${rd.pages_added.length}, first notification p50/max ${delay(rd.first_delay.base)} → ${delay(rd.first_delay.head)}`,
    );
    for (const l of rd.pages_lost.slice(0, MAX_LISTED_ALERTS)) out.push(`      lost ${forTerminal(formatLabelSet(l))}`);
    for (const l of rd.pages_added.slice(0, MAX_LISTED_ALERTS)) out.push(`      added ${forTerminal(formatLabelSet(l))}`);
  }
  for (const l of d.newly_inhibited.slice(0, MAX_LISTED_ALERTS)) out.push(`    newly inhibited ${forTerminal(formatLabelSet(l))}`);
  for (const l of d.newly_muted.slice(0, MAX_LISTED_ALERTS)) out.push(`    newly muted ${forTerminal(formatLabelSet(l))}`);
  return out;
}
