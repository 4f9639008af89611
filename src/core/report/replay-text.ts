/** Plain-text rendering of a replay report for terminals. */
import type { Snapshot } from "../engine/types.js";
import { formatTimestamp } from "../time.js";
import type { ReplayReport, WindowReplay } from "./replay.js";
import { paint, type Paint } from "./terminal.js";
import { forTerminal } from "../neutralize.js";

function entries(record: Readonly<Record<string, number>>): string {
  const list = Object.entries(record);
  return list.length === 0 ? "none" : list.map(([k, v]) => `${forTerminal(k)} ${v}`).join(", ");
}

function renderWindow(w: WindowReplay, p: Paint): string[] {
  const c = w.counts;
  const lines: string[] = [];
  lines.push(p.bold(`window ${forTerminal(w.window.id)}`) + ` — ${forTerminal(w.window.title)}`);
  lines.push(`  policy     ${forTerminal(w.policy.name)} ${forTerminal(w.policy.version)} (${w.policy.mode}) ${w.policy.spec_hash.slice(0, 19)}…`);
  lines.push(`  counts     events ${c.events} · out of scope ${c.out_of_scope} · alerts ${c.alerts} · groups ${c.groups} · incidents ${c.incidents} · collapse ${forTerminal(w.collapse)}`);
  lines.push(`  suppressed ${entries(c.suppressed)}${Object.keys(c.suppressed_severe).length ? ` (major/critical: ${entries(c.suppressed_severe)})` : ""}`);
  if (Object.keys(c.inhibited).length) lines.push(`  inhibited  ${entries(c.inhibited)}`);
  if (w.incidents.length === 0) lines.push("  incidents  none");
  else {
    lines.push("  incidents");
    for (const inc of w.incidents) {
      lines.push(`    ${inc.id}  ${inc.start} … ${inc.end}  ${inc.severity}  confidence ${inc.confidence.toFixed(2)}  ${forTerminal(inc.title)}`);
      lines.push(
        p.dim(
          `      rules ${inc.rules.map(forTerminal).join(", ")} · signals ${inc.signals.map(forTerminal).join(", ")} · alerts ${inc.alerts} · groups ${inc.groups.length} · events ${inc.events.length}`,
        ),
      );
    }
  }
  if (w.decisions.length > 0) {
    lines.push("  actions");
    for (const d of w.decisions) {
      const colour = d.decision === "blocked" ? p.red : d.decision === "run" ? p.yellow : (s: string) => s;
      lines.push(`    ${forTerminal(d.action)} → ${d.incident}  ${colour(d.decision)}  target ${d.target.map(forTerminal).join(",") || "-"}  (${forTerminal(d.reason)})`);
    }
  }
  const e = w.expectations;
  if (e.status === "none") lines.push("  expect     none declared");
  else {
    lines.push(`  expect     ${e.status === "pass" ? p.green("pass") : p.red("FAIL")}`);
    for (const check of e.checks) {
      const mark = check.pass ? p.green("✓") : p.red("✗");
      lines.push(`    ${mark} ${forTerminal(check.subject)}: expected ${forTerminal(check.expected)}, got ${forTerminal(check.actual)}`);
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
  const step = s.step ? `${s.step.label} ${forTerminal(s.step.rule)} ${forTerminal(s.step.ref)} (event ${s.step.event})` : "before the first step";
  lines.push(p.bold(`snapshot at trace index ${s.trace_index}, ${formatTimestamp(s.at_ms)}`) + ` — ${step}`);
  lines.push(`  processed  ${s.events_processed} events · alerts ${s.counts.alerts} · groups ${s.counts.groups} · incidents ${s.counts.incidents}`);
  lines.push(`  suppressed ${entries(s.counts.suppressed)}`);
  lines.push(`  pending    ${s.pending.length === 0 ? "none" : `${s.pending.length} detect window(s)`}`);
  for (const w of s.pending) lines.push(`    ${forTerminal(w.fingerprint)}: ${w.events.length} event(s) since ${formatTimestamp(w.since)}`);
  lines.push(`  open       ${s.open_groups.length === 0 ? "no groups" : `${s.open_groups.length} group(s)`}`);
  for (const g of s.open_groups)
    lines.push(`    ${g.id} ${forTerminal(g.fingerprint)}: ${g.alerts} alert(s) ${formatTimestamp(g.start)} … ${formatTimestamp(g.end)}${g.incident ? ` in ${g.incident}` : ""}`);
  lines.push(`  incidents  ${s.incidents.length === 0 ? "none" : s.incidents.length}`);
  for (const inc of s.incidents)
    lines.push(`    ${inc.id} ${forTerminal(inc.title)} · rules ${inc.rules.map(forTerminal).join(", ")} · alerts ${inc.alerts} · confidence ${inc.confidence.toFixed(2)}`);
  if (s.decisions.length > 0) {
    lines.push("  actions");
    for (const d of s.decisions) lines.push(`    ${forTerminal(d.action)} → ${d.incident} ${d.decision} (${forTerminal(d.reason)})`);
  }
  return lines.join("\n") + "\n";
}
