/**
 * A compact Mermaid `gantt` of one window's base and head incidents for the PR comment: one
 * section per side, one bar per incident, tagged by how it pairs with the other side (`crit`:
 * added or removed, `active`: changed, split or merged, `done`: unchanged). Titles are reduced to
 * a safe character set (Mermaid reads `:` `;` `#` and more as syntax) and everything fits in
 * `budgetChars`, fence included: when it does not, later incidents are dropped and counted.
 */
import type { IncidentOut, WindowResult } from "../report/report-schema.js";
import { incidentKinds, type IncidentKind } from "../html/timeline-svg.js";
import { parseTimestamp } from "../time.js";
import { appendAll, maxOf } from "../arrays.js";

/** Longest task name. */
const MAX_NAME = 48;
/** A bar shorter than this (ms) is drawn this long, so one-instant incidents stay visible. */
const MIN_BAR_MS = 1000;

const TAG: Readonly<Record<IncidentKind, string>> = { added: "crit, ", removed: "crit, ", changed: "active, ", regrouped: "active, ", unchanged: "done, " };

/** Letters, digits, space and `._+/()-` survive; anything else becomes a space. */
export function mermaidSafe(text: string, max: number = MAX_NAME): string {
  let out = "";
  for (const ch of text) out += /^[A-Za-z0-9 ._+/()-]$/.test(ch) ? ch : " ";
  out = out.replace(/ +/g, " ").trim();
  const cps = [...out];
  if (cps.length > max)
    out = `${cps
      .slice(0, max - 3)
      .join("")
      .trimEnd()}...`;
  return out === "" ? "incident" : out;
}

function task(prefix: string, i: number, inc: IncidentOut, kind: IncidentKind): string {
  const start = parseTimestamp(inc.start)!;
  const end = Math.max(parseTimestamp(inc.end)!, start + MIN_BAR_MS);
  return `    ${mermaidSafe(inc.title)} :${TAG[kind]}${prefix}${i}, ${start}, ${end}`;
}

const droppedNote = (dropped: number): string => `    %% ${dropped} more incidents not shown; see the HTML report`;

/**
 * The gantt for one window, as a fenced ```mermaid block with a trailing newline, or "" when
 * neither side has incidents or not even the frame fits in the budget.
 */
export function renderMermaidGantt(w: WindowResult, budgetChars: number): string {
  if (w.incidents.base.length + w.incidents.head.length === 0) return "";
  const kinds = incidentKinds(w);
  const open = ["```mermaid", "gantt", `    title ${mermaidSafe(`${w.id} base vs head incidents`, 80)}`, "    dateFormat x", "    axisFormat %H:%M:%S"];
  const close = ["```"];
  const sections = (["base", "head"] as const).map((side) => ({
    header: `    section ${side}`,
    tasks: w.incidents[side].map((inc, i) => task(side === "base" ? "b" : "h", i, inc, kinds[side].get(inc.id) ?? "unchanged")),
  }));
  // Sizes by prefix sums, so finding the largest `limit` that fits is linear in incidents: a
  // rebuild per candidate limit was quadratic (60k incidents took minutes).
  const prefix = sections.map((s) => {
    const sums = [0];
    for (const t of s.tasks) sums.push(sums[sums.length - 1]! + t.length + 1);
    return sums;
  });
  const frame = [...open, ...close].reduce((n, l) => n + l.length + 1, 0);
  const size = (limit: number): { chars: number; dropped: number } => {
    let chars = frame,
      dropped = 0;
    sections.forEach((s, k) => {
      if (s.tasks.length === 0) return;
      const shown = Math.min(limit, s.tasks.length);
      chars += s.header.length + 1 + prefix[k]![shown]!;
      dropped += s.tasks.length - shown;
    });
    if (dropped > 0) chars += droppedNote(dropped).length + 1;
    return { chars, dropped };
  };
  const most = maxOf(
    sections.map((s) => s.tasks.length),
    0,
  );
  for (let limit = most; limit >= 1; limit--) {
    const { chars, dropped } = size(limit);
    if (chars > budgetChars) continue;
    const lines = [...open];
    for (const s of sections) {
      if (s.tasks.length === 0) continue;
      lines.push(s.header);
      appendAll(lines, s.tasks.slice(0, limit));
    }
    if (dropped > 0) lines.push(droppedNote(dropped));
    appendAll(lines, close);
    return lines.join("\n") + "\n";
  }
  return "";
}
