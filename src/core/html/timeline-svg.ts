/**
 * The incident timeline of one window as inline SVG: time on x, base above head, each side with
 * one lane per signal (event density bars, suppressed and out-of-scope events grey), one lane per
 * detect rule (alert groups as bars) and one lane of incidents (spans). Node count is bounded by
 * bins × signals and the group cap, never by the number of events.
 */
import { compareStrings } from "../compare.js";
import type { WindowTimeline, TimelineSide } from "../evidence/timeline.js";
import { SIGNALS, type Signal } from "../event.js";
import type { IncidentOut, WindowResult } from "../report/report-schema.js";
import { formatTimestamp, parseTimestamp } from "../time.js";
import { fmtInt, num, truncate } from "./escape.js";
import { forHtml } from "../neutralize.js";
import { maxOf, minOf } from "../arrays.js";

const WIDTH = 960;
const LABEL = 150;
const RIGHT = 12;
const PLOT = WIDTH - LABEL - RIGHT;
const AXIS = 26;
const SIDE_HEADER = 22;
const SIGNAL_LANE = 24;
const RULE_LANE = 14;
const INCIDENT_LANE = 24;
const GAP = 10;
/** Minimum drawn width of a span, so a single alert or a one-instant incident stays visible. */
const MIN_SPAN = 3;
/** Overlapping incidents get rows of their own, up to this many. */
const MAX_INCIDENT_ROWS = 8;
/** Overlapping alert groups of one rule (different fingerprints) share at most this many thin rows. */
const MAX_GROUP_ROWS = 6;

const TICK_STEPS_MS = [1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000, 43_200_000, 86_400_000];

/** How each incident relates to the other side: the class it is drawn with. */
export type IncidentKind = "unchanged" | "changed" | "added" | "removed" | "regrouped";

/** Incident id → kind, per side, from the report's matching. */
export function incidentKinds(w: WindowResult): { base: Map<string, IncidentKind>; head: Map<string, IncidentKind> } {
  const base = new Map<string, IncidentKind>(),
    head = new Map<string, IncidentKind>();
  for (const p of w.matching.pairs) {
    base.set(p.base, p.kind);
    head.set(p.head, p.kind);
  }
  for (const r of w.matching.regrouped) {
    for (const id of r.base) base.set(id, "regrouped");
    for (const id of r.head) head.set(id, "regrouped");
  }
  for (const id of w.matching.removed_ids) if (!base.has(id)) base.set(id, "removed");
  for (const id of w.matching.added_ids) if (!head.has(id)) head.set(id, "added");
  // A side alone (window added or removed) has nothing to pair with.
  for (const i of w.incidents.base) if (!base.has(i.id)) base.set(i.id, w.head === null ? "removed" : "unchanged");
  for (const i of w.incidents.head) if (!head.has(i.id)) head.set(i.id, w.base === null ? "added" : "unchanged");
  return { base, head };
}

interface Frame {
  readonly start: number;
  readonly end: number;
  x(t: number): number;
}

function frameOf(w: WindowResult, timeline: WindowTimeline | null): Frame {
  let start: number, end: number;
  if (timeline !== null) {
    start = parseTimestamp(timeline.start)!;
    end = parseTimestamp(timeline.end)!;
  } else {
    const all = [...w.incidents.base, ...w.incidents.head];
    start = minOf(
      all.map((i) => parseTimestamp(i.start)!),
      0,
    );
    end = maxOf(
      all.map((i) => parseTimestamp(i.end)!),
      0,
    );
    const pad = Math.max(1000, Math.round((end - start) * 0.05));
    start -= pad;
    end += pad;
  }
  const span = Math.max(1, end - start);
  return { start, end, x: (t) => LABEL + ((t - start) / span) * PLOT };
}

function axis(frame: Frame, height: number): string {
  const span = frame.end - frame.start;
  const step = TICK_STEPS_MS.find((s) => span / s <= 8) ?? TICK_STEPS_MS[TICK_STEPS_MS.length - 1]!;
  const first = Math.ceil(frame.start / step) * step;
  let out = `<g class="axis"><line x1="${LABEL}" y1="${AXIS - 4}" x2="${LABEL + PLOT}" y2="${AXIS - 4}"/>`;
  for (let t = first; t <= frame.end; t += step) {
    const x = num(frame.x(t));
    const label = formatTimestamp(t).slice(11, step >= 60_000 ? 16 : 19);
    const anchor = frame.x(t) > LABEL + PLOT - 30 ? "end" : "middle";
    out += `<line class="grid" x1="${x}" y1="${AXIS - 4}" x2="${x}" y2="${height}"/><text x="${x}" y="${AXIS - 9}" text-anchor="${anchor}">${forHtml(label)}</text>`;
  }
  out += `<text x="4" y="${AXIS - 9}" class="muted">UTC</text></g>`;
  return out;
}

/** Bars for one signal lane: kept events solid, suppressed and out-of-scope stacked above in grey. */
function densityLane(y: number, signal: Signal, frame: Frame, t: WindowTimeline, side: TimelineSide, max: number): string {
  const all = t.events[signal] ?? [];
  const sup = side.suppressed[signal] ?? [];
  const oos = side.out_of_scope[signal] ?? [];
  const h = SIGNAL_LANE - 4;
  const scale = (n: number) => (max === 0 ? 0 : Math.sqrt(n / max) * h);
  const binW = (t.bin_ms / Math.max(1, frame.end - frame.start)) * PLOT;
  let kept = "",
    grey = "",
    out = "";
  let keptTotal = 0,
    supTotal = 0,
    oosTotal = 0;
  for (let i = 0; i < all.length; i++) {
    const n = all[i]!;
    if (n === 0) continue;
    const s = sup[i] ?? 0,
      o = oos[i] ?? 0,
      k = n - s - o;
    keptTotal += k;
    supTotal += s;
    oosTotal += o;
    const x = num(frame.x(frame.start + i * t.bin_ms));
    const w = num(Math.max(1, binW - 0.5));
    const total = scale(n);
    const keptH = scale(n) * (k / n);
    const base = y + SIGNAL_LANE - 2;
    if (k > 0) kept += `M${x} ${num(base - keptH)}h${w}v${num(keptH)}h-${w}z`;
    if (s + o > 0) grey += `M${x} ${num(base - total)}h${w}v${num(total - keptH)}h-${w}z`;
  }
  if (kept !== "") out += `<path class="density sig-${signal}" d="${kept}"><title>${forHtml(`${signal}: ${fmtInt(keptTotal)} events kept`)}</title></path>`;
  if (grey !== "") out += `<path class="density suppressed" d="${grey}"><title>${forHtml(`${signal}: ${fmtInt(supTotal)} suppressed, ${fmtInt(oosTotal)} out of scope`)}</title></path>`;
  return out;
}

function span(frame: Frame, start: number, end: number): { x: number; w: number } {
  const x = frame.x(start);
  return { x, w: Math.max(MIN_SPAN, frame.x(end) - x) };
}

/**
 * Rows for overlapping spans (given in start order), so none hides another: each goes to the
 * first row free at its x, at most `maxRows` rows (the rest share the last row).
 */
export function packRows(spans: readonly { x: number; w: number }[], maxRows: number): { rows: number[]; count: number } {
  const ends: number[] = [];
  const rows = spans.map((s) => {
    let r = ends.findIndex((end) => end + 2 <= s.x);
    if (r === -1) r = ends.length < maxRows ? ends.length : maxRows - 1;
    ends[r] = Math.max(ends[r] ?? -Infinity, s.x + s.w);
    return r;
  });
  return { rows, count: Math.max(1, ends.length) };
}

/** Incident spans; returns the SVG and the height used (overlapping incidents get rows of their own). */
function incidentLane(y: number, frame: Frame, side: "base" | "head", incidents: readonly IncidentOut[], kinds: Map<string, IncidentKind>): { svg: string; height: number } {
  const spans = incidents.map((inc) => span(frame, parseTimestamp(inc.start)!, parseTimestamp(inc.end)!));
  const { rows, count } = packRows(spans, MAX_INCIDENT_ROWS);
  const height = count * INCIDENT_LANE;
  let out = `<text class="lane-label" x="${LABEL - 8}" y="${y + INCIDENT_LANE / 2 + 4}" text-anchor="end">incidents (${incidents.length})</text>`;
  incidents.forEach((inc, i) => {
    const { x, w } = spans[i]!;
    const top = y + rows[i]! * INCIDENT_LANE;
    const kind = kinds.get(inc.id) ?? "unchanged";
    const tip = `${inc.title}\n${inc.id} · ${kind}\n${inc.start} → ${inc.end}\n${inc.alerts} alerts, ${inc.groups} groups, ${inc.severity}, confidence ${inc.confidence}\nrules: ${inc.rules.join(", ")}`;
    out += `<g class="incident kind-${kind}" data-side="${side}" data-id="${forHtml(inc.id)}"><rect x="${num(x)}" y="${top + 2}" width="${num(w)}" height="${INCIDENT_LANE - 4}" rx="3"/>`;
    const chars = Math.floor((w - 8) / 6.2);
    if (chars >= 4) out += `<text x="${num(x + 4)}" y="${top + INCIDENT_LANE / 2 + 4}">${forHtml(truncate(inc.title, chars))}</text>`;
    out += `<title>${forHtml(tip)}</title></g>`;
  });
  return { svg: out, height };
}

function sideBlock(
  y0: number,
  frame: Frame,
  w: WindowResult,
  t: WindowTimeline | null,
  sideName: "base" | "head",
  rules: readonly string[],
  signals: readonly Signal[],
  maxBySignal: ReadonlyMap<Signal, number>,
  kinds: Map<string, IncidentKind>,
): { svg: string; height: number } {
  const sideInfo = w[sideName];
  const incidents = w.incidents[sideName];
  let y = y0;
  const version = sideInfo ? `${sideInfo.policy.name} ${sideInfo.policy.version}` : "not replayed";
  let svg = `<g class="side side-${sideName}"><text class="side-label" x="4" y="${y + 15}">${sideName}</text><text class="muted" x="${LABEL}" y="${y + 15}">${forHtml(version)}${sideInfo ? forHtml(` · ${fmtInt(sideInfo.alerts)} alerts → ${fmtInt(sideInfo.incidents)} incidents`) : ""}</text>`;
  y += SIDE_HEADER;
  const side = t?.[sideName] ?? null;
  if (t !== null && side !== null) {
    for (const s of signals) {
      svg += `<text class="lane-label" x="${LABEL - 8}" y="${y + SIGNAL_LANE / 2 + 4}" text-anchor="end">${forHtml(s)}</text><line class="lane" x1="${LABEL}" y1="${y + SIGNAL_LANE - 2}" x2="${LABEL + PLOT}" y2="${y + SIGNAL_LANE - 2}"/>`;
      svg += densityLane(y, s, frame, t, side, maxBySignal.get(s) ?? 0);
      y += SIGNAL_LANE;
    }
    const byRule = new Map<string, (typeof side.groups)[number][]>();
    for (const g of side.groups) {
      const list = byRule.get(g.rule) ?? [];
      list.push(g);
      byRule.set(g.rule, list);
    }
    for (const rule of rules) {
      svg += `<text class="lane-label rule" x="${LABEL - 8}" y="${y + RULE_LANE - 3}" text-anchor="end">${forHtml(truncate(rule, 22))}</text>`;
      const groups = byRule.get(rule) ?? [];
      const spans = groups.map((g) => span(frame, frame.start + g.start, frame.start + g.end));
      const { rows, count } = packRows(spans, MAX_GROUP_ROWS);
      const rowH = count > 1 ? Math.max(4, Math.floor((RULE_LANE * Math.min(count, 3)) / count)) : RULE_LANE;
      groups.forEach((g, i) => {
        const { x, w: width } = spans[i]!;
        svg += `<rect class="group${g.incident === null ? " alone" : ""}" x="${num(x)}" y="${y + 1 + rows[i]! * rowH}" width="${num(width)}" height="${Math.max(2, rowH - 2)}"><title>${forHtml(`${rule}: ${g.alerts} alerts${g.incident === null ? ", joined no incident" : `, in ${g.incident}`}`)}</title></rect>`;
      });
      y += count > 1 ? rowH * count + 2 : RULE_LANE;
    }
    if (side.groups_total > side.groups.length) {
      svg += `<text class="muted" x="${LABEL}" y="${y + 11}">${forHtml(`${fmtInt(side.groups_total - side.groups.length)} more alert groups not drawn`)}</text>`;
      y += RULE_LANE;
    }
  }
  const lane = incidentLane(y, frame, sideName, incidents, kinds);
  svg += lane.svg;
  y += lane.height;
  svg += "</g>";
  return { svg, height: y - y0 };
}

/** The whole timeline SVG of one window; `timeline` null draws incidents only. */
export function renderTimelineSvg(w: WindowResult, timeline: WindowTimeline | null): string {
  if (timeline === null && w.incidents.base.length === 0 && w.incidents.head.length === 0) {
    return `<p class="muted">No incidents on either side, and the report carries no event timeline for this window.</p>`;
  }
  const frame = frameOf(w, timeline);
  const kinds = incidentKinds(w);
  const signals = timeline === null ? [] : SIGNALS.filter((s) => (timeline.events[s] ?? []).some((n) => n > 0));
  const maxBySignal = new Map<Signal, number>();
  for (const s of signals) maxBySignal.set(s, Math.max(0, ...(timeline!.events[s] ?? [])));
  const rules = [...new Set([...(timeline?.base?.groups ?? []), ...(timeline?.head?.groups ?? [])].map((g) => g.rule))].sort(compareStrings);
  let y = AXIS;
  let body = "";
  for (const side of ["base", "head"] as const) {
    if (w[side] === null && w.incidents[side].length === 0) continue;
    const block = sideBlock(y, frame, w, timeline, side, rules, signals, maxBySignal, kinds[side]);
    body += block.svg;
    y += block.height + GAP;
  }
  const height = y;
  const label = `Incident timeline of ${w.id}: base ${w.incidents.base.length} incidents, head ${w.incidents.head.length}`;
  return `<svg class="timeline" data-window="${forHtml(w.id)}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="${forHtml(label)}">${axis(frame, height)}${body}</svg>`;
}
