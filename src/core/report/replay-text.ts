/** Plain-text rendering of a replay report for terminals. */
import type { Snapshot } from "../engine/types.js";
import { formatTimestamp } from "../time.js";
import type { ReplayReport, WindowReplay } from "./replay.js";
import { paint, plain, type Paint } from "./terminal.js";

function entries(record: Readonly<Record<string, number>>): string {
  const list = Object.entries(record);
  return list.length === 0 ? "none" : list.map(([k, v]) => `${plain(k)} ${v}`).join(", ");
}

function renderWindow(w: WindowReplay, p: Paint): string[] {
  const c = w.counts;
  const lines: string[] = [];
  lines.push(p.bold(`window ${plain(w.window.id)}`) + ` — ${plain(w.window.title)}`);
  lines.push(`  policy     ${plain(w.policy.name)} ${plain(w.policy.version)} (${w.policy.mode}) ${w.policy.spec_hash.slice(0, 19)}…`);
  lines.push(`  counts     events ${c.events} · out of scope ${c.out_of_scope} · alerts ${c.alerts} · groups ${c.groups} · incidents ${c.incidents} · collapse ${w.collapse}`);
  lines.push(`  suppressed ${entries(c.suppressed)}${Object.keys(c.suppressed_severe).length ? ` (major/critical: ${entries(c.suppressed_severe)})` : ""}`);
  if (Object.keys(c.inhibited).length) lines.push(`  inhibited  ${entries(c.inhibited)}`);
  if (w.incidents.length === 0) lines.push("  incidents  none");
  else {
    lines.push("  incidents");
    for (const inc of w.incidents) {
      lines.push(`    ${inc.id}  ${inc.start} … ${inc.end}  ${inc.severity}  confidence ${inc.confidence.toFixed(2)}  ${plain(inc.title)}`);
      lines.push(p.dim(`      rules ${inc.rules.map(plain).join(", ")} · signals ${inc.signals.join(", ")} · alerts ${inc.alerts} · groups ${inc.groups.length} · events ${inc.events.length}`));
    }
  }
  if (w.decisions.length > 0) {
    lines.push("  actions");
    for (const d of w.decisions) {
      const colour = d.decision === "blocked" ? p.red : d.decision === "run" ? p.yellow : (s: string) => s;
      lines.push(`    ${plain(d.action)} → ${d.incident}  ${colour(d.decision)}  target ${d.target.map(plain).join(",") || "-"}  (${plain(d.reason)})`);
    }
  }
  const e = w.expectations;
  if (e.status === "none") lines.push("  expect     none declared");
  else {
    lines.push(`  expect     ${e.status === "pass" ? p.green("pass") : p.red("FAIL")}`);
    for (const check of e.checks) {
      const mark = check.pass ? p.green("✓") : p.red("✗");
      lines.push(`    ${mark} ${plain(check.subject)}: expected ${plain(check.expected)}, got ${plain(check.actual)}`);
    }
  }
  lines.push(p.dim(`  trace      ${w.trace_length} steps · trace ${w.trace_signature} · timeline ${w.timeline_signature}`));
  return lines;
}

/** Renders the whole report; `color` adds ANSI colours (the shell decides: TTY and no NO_COLOR). */
export function renderReplayText(report: ReplayReport, color: boolean): string {
  const p = paint(color);
  const blocks = report.windows.map((w) => renderWindow(w, p).join("\n"));
  const failed = report.windows.filter((w) => w.expectations.status === "fail").length;
  const verdict = failed === 0 ? p.green(`${report.windows.length} window(s) replayed, expectations hold`) : p.red(`${failed} of ${report.windows.length} window(s) failed their expectations`);
  return `${blocks.join("\n\n")}\n\n${verdict}\n`;
}

/** Renders a time-travel snapshot. */
export function renderSnapshotText(s: Snapshot, color: boolean): string {
  const p = paint(color);
  const lines: string[] = [];
  const step = s.step ? `${s.step.label} ${plain(s.step.rule)} ${plain(s.step.ref)} (event ${s.step.event})` : "before the first step";
  lines.push(p.bold(`snapshot at trace index ${s.trace_index}, ${formatTimestamp(s.at_ms)}`) + ` — ${step}`);
  lines.push(`  processed  ${s.events_processed} events · alerts ${s.counts.alerts} · groups ${s.counts.groups} · incidents ${s.counts.incidents}`);
  lines.push(`  suppressed ${entries(s.counts.suppressed)}`);
  lines.push(`  pending    ${s.pending.length === 0 ? "none" : `${s.pending.length} detect window(s)`}`);
  for (const w of s.pending) lines.push(`    ${plain(w.fingerprint)}: ${w.events.length} event(s) since ${formatTimestamp(w.since)}`);
  lines.push(`  open       ${s.open_groups.length === 0 ? "no groups" : `${s.open_groups.length} group(s)`}`);
  for (const g of s.open_groups) lines.push(`    ${g.id} ${plain(g.fingerprint)}: ${g.alerts} alert(s) ${formatTimestamp(g.start)} … ${formatTimestamp(g.end)}${g.incident ? ` in ${g.incident}` : ""}`);
  lines.push(`  incidents  ${s.incidents.length === 0 ? "none" : s.incidents.length}`);
  for (const inc of s.incidents) lines.push(`    ${inc.id} ${plain(inc.title)} · rules ${inc.rules.map(plain).join(", ")} · alerts ${inc.alerts} · confidence ${inc.confidence.toFixed(2)}`);
  if (s.decisions.length > 0) {
    lines.push("  actions");
    for (const d of s.decisions) lines.push(`    ${plain(d.action)} → ${d.incident} ${d.decision} (${plain(d.reason)})`);
  }
  return lines.join("\n") + "\n";
}
