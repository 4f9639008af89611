/**
 * The PR comment body, rendered from report.json alone (docs/report.md#the-pr-comment---format-markdown): verdict line first, a
 * summary table, the reasons, a table per changed window with its highlights, collapsed
 * details (why it differs, incidents, policy diffs), coverage. Everything from a file is
 * escaped (../neutralize.ts). The body never exceeds its budget ({@link ../fit.ts}): it degrades by
 * dropping detail level by level, then by leaving out whole blocks with a pointer to the full
 * report — a table or a code fence is never cut.
 */
import { kindChangeSummary, renderKindDiffMarkdown } from "../kinds/render.js";
import { MAX_PROMOTED_LISTED, promotionHeadline, promotionsOf } from "./promotion.js";
import type { Report, SnapshotOut, WindowResult } from "./report-schema.js";
import { forMarkdown as e, forMarkdownCode } from "../neutralize.js";
import { renderMermaidGantt } from "../mermaid/gantt.js";
import { appendAll } from "../arrays.js";
import { fitBlocks } from "../fit.js";
import { MAX_COMMENT_CHARS, MAX_GANTT_CHARS } from "../limits.js";

/** Highlights listed per window before "… and N more". */
export const MAX_HIGHLIGHTS_PER_WINDOW = 12;
/** Rows of the incident table per window. */
export const MAX_INCIDENT_ROWS = 30;
/** Longest policy text diff shown inline, in characters. */
export const MAX_TEXT_DIFF_CHARS = 12_000;

export interface MarkdownOptions {
  /** Budget in characters (default {@link MAX_COMMENT_CHARS}); tests use smaller ones. */
  readonly maxChars?: number;
  /** Where the full report is, in words or a Markdown link the caller built (not escaped). */
  readonly fullReport?: string;
}

/** Detail levels, from everything to the least. */
const LEVELS = ["full", "no-text-diff", "no-incidents", "no-divergence", "compact"] as const;
type Level = (typeof LEVELS)[number];
const at = (level: Level, least: Level) => LEVELS.indexOf(level) <= LEVELS.indexOf(least);

const VERDICT_ICON = { pass: "✅", fail: "❌", pending: "⏳" } as const;

function num(n: number | null): string {
  return n === null ? "—" : String(n);
}

function record(r: Readonly<Record<string, number>> | undefined): string {
  if (r === undefined) return "—";
  const entries = Object.entries(r).filter(([, v]) => v !== 0);
  return entries.length === 0 ? "none" : entries.map(([k, v]) => `${e(k)} ${v}`).join(", ");
}

function table(header: readonly string[], align: readonly ("l" | "r")[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(align.map((a) => (a === "r" ? "---:" : "---"))), ...rows.map(line)].join("\n");
}

function details(summary: string, body: string): string {
  // The summary is built from escaped text only; never from raw input.
  return `<details><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}

function verdictLine(r: Report): string {
  const s = r.summary;
  const parts = [`${s.windows} window${s.windows === 1 ? "" : "s"} replayed`, `${s.changed} changed`];
  if (s.regressions > 0) parts.unshift(`**${s.regressions} regression${s.regressions === 1 ? "" : "s"}**`);
  const promotion = promotionHeadline(promotionsOf(r));
  if (promotion !== "") parts.unshift(`**${e(promotion)}**`);
  if (s.min_parity !== null) parts.push(`min parity ${s.min_parity}`);
  return `## ${VERDICT_ICON[r.verdict]} replay-gate: ${r.verdict} — ${parts.join(", ")}`;
}

/** Under the headline: the decisions a promotion turns from would-run into gated or run. */
function promotionBlock(r: Report): string {
  const lines: string[] = [];
  for (const p of promotionsOf(r)) {
    lines.push(
      `**Promotion: ${e(p.policy)} ${p.from ?? "new"} → enforce** — decisions that were \`would-run\` now ${p.decisions.length === 0 ? "none in these windows" : "wait for an approval (`gated`) or fire (`run`):"}`,
    );
    if (p.decisions.length > 0) lines.push("");
    for (const d of p.decisions.slice(0, MAX_PROMOTED_LISTED)) lines.push(`- ${e(d.window)}: ${e(d.action)} on ${e(d.incident)}: would-run → **${d.head}**`);
    if (p.decisions.length > MAX_PROMOTED_LISTED) lines.push(`- … and ${p.decisions.length - MAX_PROMOTED_LISTED} more in report.json`);
    lines.push("");
  }
  return lines.join("\n").trimEnd();
}

function summaryTable(r: Report): string {
  const s = r.summary;
  return table(
    ["windows replayed", "identical", "changed", "regressions", "min parity", "added incidents", "removed incidents", "not covered"],
    ["r", "r", "r", "r", "r", "r", "r", "r"],
    [[String(s.windows), String(s.identical), String(s.changed), String(s.regressions), num(s.min_parity), String(s.added_incidents), String(s.removed_incidents), String(s.uncovered)]],
  );
}

function reasons(r: Report): string {
  const list = r.evaluation.reasons;
  if (list.length === 0) return "All thresholds hold.";
  const shown = list.slice(0, 20).map((x) => `- ${x.code === "expectation-regression" ? "**regression** — " : ""}${e(x.message)}`);
  if (list.length > 20) shown.push(`- … and ${list.length - 20} more in report.json`);
  return `**Why it ${r.verdict === "pass" ? "passes" : "fails"}** (thresholds: min parity ${r.evaluation.thresholds.min_parity}, at most ${r.evaluation.thresholds.max_added_incidents} added and ${r.evaluation.thresholds.max_removed_incidents} removed incidents, expectations ${r.evaluation.thresholds.expectations}):\n\n${shown.join("\n")}`;
}

function policyLine(r: Report): string {
  const lines = r.policies
    .filter((p) => p.status !== "unchanged")
    .map((p) => {
      const from = p.base ? e(p.base.version) : "—",
        to = p.head ? e(p.head.version) : "—";
      // Counts the rows of the policy diff table: rules and settings (metadata, scope, mode, group, incident).
      const rules = p.semantic.filter((c) => c.id !== null).length,
        settings = p.semantic.length - rules;
      const plural = (k: number, word: string) => `${k} ${word}${k === 1 ? "" : "s"}`;
      if (p.kind !== undefined) return `- **${e(p.name)}** ${from} → ${to} (${p.status}): ${kindChangeSummary(p.kind)}; ${plural(p.windows.length, "window")}`;
      return `- **${e(p.name)}** ${from} → ${to} (${p.status}): ${plural(p.semantic.length, "change")} (${plural(rules, "rule")}, ${plural(settings, "setting")}), ${plural(p.windows.length, "window")}`;
    });
  return lines.length === 0 ? "" : `**Policy changes**\n\n${lines.join("\n")}`;
}

function sideCell(w: WindowResult, f: (s: NonNullable<WindowResult["base"]>) => string): [string, string] {
  return [w.base ? f(w.base) : "—", w.head ? f(w.head) : "—"];
}

function windowTable(w: WindowResult): string {
  const rows: string[][] = [
    ["policy", ...sideCell(w, (s) => `${e(s.policy.name)} ${e(s.policy.version)}`)],
    ["alerts", ...sideCell(w, (s) => String(s.alerts))],
    ["alert groups", ...sideCell(w, (s) => String(s.groups))],
    ["incidents", ...sideCell(w, (s) => String(s.incidents))],
    ["collapse", ...sideCell(w, (s) => e(s.collapse))],
    ["suppressed", ...sideCell(w, (s) => record(s.suppressed))],
    ["inhibited", ...sideCell(w, (s) => record(s.inhibited))],
    ["action decisions", ...sideCell(w, (s) => record(s.decisions))],
    ["expectations", w.expectations.base, w.expectations.head],
  ];
  return table(["", "base", "head"], ["l", "r", "r"], rows);
}

/** The non-zero matching counts, `2 changed`, `1 split`, in a fixed order (the comment and the text report). */
export function matchingParts(m: WindowResult["matching"]): string[] {
  return (
    [
      ["unchanged", m.unchanged],
      ["changed", m.changed],
      ["added", m.added],
      ["removed", m.removed],
      ["split", m.split],
      ["merged", m.merged],
    ] as const
  )
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`);
}

function matchingLine(w: WindowResult): string {
  const parts = matchingParts(w.matching);
  const scope = w.scope_changed;
  const scopeText = [...scope.service, ...scope.region, ...scope.pop].map(e).join(", ");
  return [
    `parity **${num(w.parity)}**`,
    `confidence ${w.confidence.level ?? "—"}`,
    `incidents: ${parts.length === 0 ? "none" : parts.join(", ")}`,
    ...(scopeText ? [`scope: ${scopeText}`] : []),
    ...(w.determinism === "differs" ? ["**not deterministic**"] : []),
  ].join(" · ");
}

function highlightList(w: WindowResult): string {
  const hs = w.highlights;
  if (hs.length === 0) return "";
  const shown = hs.slice(0, MAX_HIGHLIGHTS_PER_WINDOW).map((h) => `- ${e(h.text)}`);
  if (hs.length > MAX_HIGHLIGHTS_PER_WINDOW) shown.push(`- … and ${hs.length - MAX_HIGHLIGHTS_PER_WINDOW} more in report.json`);
  return shown.join("\n");
}

function expectationFailures(w: WindowResult): string {
  const failed = w.expectations.head_checks.filter((c) => !c.pass);
  if (failed.length === 0) return "";
  return failed.map((c) => `- ${w.expectations.regression ? "**regression**: " : ""}expectation ${e(c.subject)}: expected ${e(c.expected)}, got ${e(c.actual)}`).join("\n");
}

function divergenceDetails(w: WindowResult): string {
  const d = w.divergence;
  if (d === null) return "";
  const rows: string[][] = [];
  const snap = (s: SnapshotOut | null, f: (x: SnapshotOut) => string) => (s ? f(s) : "—");
  rows.push(["step", snap(d.base, (s) => (s.step ? `${e(s.step.label)} ${e(s.step.rule)}` : "—")), snap(d.head, (s) => (s.step ? `${e(s.step.label)} ${e(s.step.rule)}` : "—"))]);
  rows.push(["events processed", snap(d.base, (s) => String(s.events_processed)), snap(d.head, (s) => String(s.events_processed))]);
  rows.push(["alerts · groups · incidents", snap(d.base, (s) => `${s.alerts} · ${s.groups} · ${s.incidents}`), snap(d.head, (s) => `${s.alerts} · ${s.groups} · ${s.incidents}`)]);
  rows.push([
    "open groups",
    snap(d.base, (s) => s.open_groups.map((g) => e(g.fingerprint)).join(", ") || "none"),
    snap(d.head, (s) => s.open_groups.map((g) => e(g.fingerprint)).join(", ") || "none"),
  ]);
  rows.push(["suppressed", snap(d.base, (s) => record(s.suppressed)), snap(d.head, (s) => record(s.suppressed))]);
  if (d.treatment.base || d.treatment.head) {
    const t = (x: typeof d.treatment.base) =>
      x === null ? "—" : !x.in_scope ? "out of scope" : x.suppressed_by !== null ? `suppressed by ${e(x.suppressed_by)}` : x.detect_matches.map(e).join(", ") || "no detect rule";
    rows.push(["the event", t(d.treatment.base), t(d.treatment.head)]);
  }
  const ev = d.event;
  const eventLine = ev
    ? `\n\nEvent ${ev.id}: ${e(ev.ts)} ${e(ev.signal)} ${e(ev.name)} ${Object.entries(ev.scope)
        .map(([k, v]) => `${e(k)}=${e(v)}`)
        .join(" ")}${
        Object.keys(ev.attrs).length
          ? ` · ${Object.entries(ev.attrs)
              .map(([k, v]) => `${e(k)}=${e(String(v))}`)
              .join(" ")}`
          : ""
      }`
    : "";
  return details(`Why it differs (trace index ${d.index})`, `${e(d.explanation)}${eventLine}\n\n${table(["at trace index " + d.index, "base", "head"], ["l", "l", "l"], rows)}`);
}

function incidentDetails(w: WindowResult): string {
  const m = w.matching;
  const byId = new Map([...w.incidents.base, ...w.incidents.head].map((i) => [i.id, i]));
  const label = (id: string) => {
    const i = byId.get(id);
    return i ? `${e(id)} ${e(i.title)} (${i.severity}, ${i.confidence}, ${i.events} events)` : e(id);
  };
  const rows: string[][] = [];
  for (const p of m.pairs) rows.push([p.kind, label(p.base), label(p.head), p.changes.map((c) => `${c.field}: ${e(c.base)} → ${e(c.head)}`).join("; ") || "—"]);
  for (const g of m.regrouped) rows.push([g.kind, g.base.map(label).join("<br>"), g.head.map(label).join("<br>"), `${g.shared_events} shared events`]);
  for (const id of m.removed_ids) rows.push(["removed", label(id), "—", "—"]);
  for (const id of m.added_ids) rows.push(["added", "—", label(id), "—"]);
  if (rows.length === 0) return "";
  const shown = rows.slice(0, MAX_INCIDENT_ROWS);
  const more = rows.length > MAX_INCIDENT_ROWS ? `\n\n… and ${rows.length - MAX_INCIDENT_ROWS} more rows in report.json` : "";
  return details(`Incidents (base ${w.incidents.base.length} · head ${w.incidents.head.length})`, table(["match", "base", "head", "differences"], ["l", "l", "l", "l"], shown) + more);
}

function windowBlock(w: WindowResult, level: Level): string {
  const parts = [`### ${e(w.id)} — ${e(w.title)} (${w.status})`];
  // A kind's own comparison (who would have been paged) leads: it is what on-call reads first.
  if (w.kind_diff) parts.push(renderKindDiffMarkdown(w.kind_diff));
  parts.push(windowTable(w), matchingLine(w));
  const ef = expectationFailures(w);
  if (ef) parts.push(ef);
  const hl = highlightList(w);
  if (hl) parts.push(hl);
  if (at(level, "no-incidents")) {
    const dv = divergenceDetails(w);
    if (dv) parts.push(dv);
  }
  if (at(level, "no-text-diff")) {
    const gantt = renderMermaidGantt(w, MAX_GANTT_CHARS);
    if (gantt) parts.push(gantt.trimEnd());
    const inc = incidentDetails(w);
    if (inc) parts.push(inc);
  }
  return parts.join("\n\n");
}

/** Rows of the compact table of changed windows (least detail level). */
export const MAX_COMPACT_ROWS = 200;

function compactWindowTable(all: readonly WindowResult[]): string {
  const windows = all.slice(0, MAX_COMPACT_ROWS);
  const more = all.length > windows.length ? `\n\n… and ${all.length - windows.length} more changed windows in report.json` : "";
  return (
    table(
      ["window", "status", "parity", "collapse base → head", "expectations base / head"],
      ["l", "l", "r", "l", "l"],
      windows.map((w) => [e(w.id), w.status, num(w.parity), `${w.base ? e(w.base.collapse) : "—"} / ${w.head ? e(w.head.collapse) : "—"}`, `${w.expectations.base} / ${w.expectations.head}`]),
    ) + more
  );
}

function coverageBlock(r: Report): string {
  const lines: string[] = [];
  for (const u of r.coverage.untested) lines.push(`- **untested**: ${e(u.section)} rule ${e(u.id)} of ${e(u.policy)} was ${u.change} and no window exercises it`);
  for (const s of r.coverage.severe_suppressions) lines.push(`- **${s.events} major/critical event${s.events === 1 ? "" : "s"}** newly hidden by ${e(s.rule)} (${e(s.policy)}) in ${e(s.window)}`);
  for (const c of r.suppression_candidates.slice(0, 10)) lines.push(`- suppression candidate: ${e(c.rule)} ${e(c.fingerprint)} forms lone alert groups in ${c.windows.length} windows`);
  for (const u of r.uncovered_windows.slice(0, 20)) lines.push(`- not covered by any policy: ${e(u.id)} — ${e(u.title)}`);
  if (r.uncovered_windows.length > 20) lines.push(`- … and ${r.uncovered_windows.length - 20} more windows not covered by any policy`);
  return lines.length === 0 ? "" : `**Coverage**\n\n${lines.join("\n")}`;
}

function policyDetails(r: Report, level: Level): string[] {
  return r.policies
    .filter((p) => p.status !== "unchanged")
    .map((p) => {
      const rows = p.semantic.map((c) => [
        c.section,
        c.id === null ? "—" : e(c.id),
        c.change,
        `${c.base_line ?? "—"} → ${c.head_line ?? "—"}`,
        c.fields.map((f) => `${e(f.path)}: ${f.base === null ? "—" : e(f.base)} → ${f.head === null ? "—" : e(f.head)}`).join("<br>") || "—",
      ]);
      let body =
        p.kind !== undefined
          ? `${kindChangeSummary(p.kind)}.`
          : rows.length === 0
            ? "No semantic change (formatting or comments only)."
            : table(["section", "rule", "change", "line base → head", "fields"], ["l", "l", "l", "l", "l"], rows);
      if (at(level, "full") && p.text_diff !== "") {
        body += p.text_diff.length <= MAX_TEXT_DIFF_CHARS ? `\n\n${forMarkdownCode(p.text_diff, "diff")}` : `\n\nThe text diff (${p.text_diff.length} characters) is in report.json.`;
      }
      return details(`Policy diff: ${e(p.name)} ${p.base ? e(p.base.version) : "—"} → ${p.head ? e(p.head.version) : "—"}`, body);
    });
}

function footer(r: Report, options: MarkdownOptions): string {
  return `<sub>replay-gate ${e(r.tool.version)} · engine ${e(r.engine_version)} · ${e(r.schema)} · evidence ${e(r.inputs.evidence_digest.slice(0, 19))}… · full report: ${options.fullReport ?? "report.json"}</sub>`;
}

/** Every block of the body at one detail level, in order; each block is whole (tables, fences, details). */
function blocks(r: Report, level: Level, fullReport: string): { head: string[]; windows: string[]; tail: string[] } {
  const promoted = promotionBlock(r);
  const head = [verdictLine(r), ...(promoted === "" ? [] : [promoted]), summaryTable(r), reasons(r)];
  const pl = policyLine(r);
  if (pl) head.push(pl);
  const changed = r.windows.filter((w) => w.status !== "identical");
  // Regressions first: a reviewer reads them before anything else.
  const ordered = [...changed.filter((w) => w.expectations.regression), ...changed.filter((w) => !w.expectations.regression)];
  const windows = at(level, "no-divergence") ? ordered.map((w) => windowBlock(w, level)) : [];
  if (!at(level, "no-divergence") && ordered.length > 0) {
    windows.push(`**Changed windows**\n\n${compactWindowTable(ordered)}`);
    windows.push(`**Truncated**: per-window details did not fit in a comment; see ${fullReport} for the full report.`);
  }
  const identical = r.windows.length - changed.length;
  if (identical > 0) windows.push(`${identical} window${identical === 1 ? "" : "s"} identical under base and head.`);
  const tail: string[] = [];
  const cov = coverageBlock(r);
  if (cov) tail.push(cov);
  appendAll(tail, policyDetails(r, level));
  return { head, windows, tail };
}

/** The report's blocks at every detail level, most detail first (for {@link fitBlocks}). */
export function diffMarkdownLevels(r: Report, fullReport: string): string[][] {
  return LEVELS.map((level) => {
    const b = blocks(r, level, fullReport);
    return [...b.head, ...b.windows, ...b.tail];
  });
}

/** The note that stands for report blocks left out at the least detail. */
export function truncatedNote(fullReport: string): (n: number) => string {
  return (n) => `**Truncated**: ${n} more section${n === 1 ? "" : "s"} did not fit in a comment; see ${fullReport} for the full report.`;
}

/** The report's footer line (tool, engine, schema, evidence digest, where the full report is). */
export function diffMarkdownFooter(r: Report, fullReport: string | undefined): string {
  return footer(r, { fullReport });
}

/** Renders the parity report as Markdown; never longer than the budget. */
export function renderDiffMarkdown(r: Report, options: MarkdownOptions = {}): string {
  const fullReport = options.fullReport ?? "report.json";
  return fitBlocks({
    levels: diffMarkdownLevels(r, fullReport),
    tail: [footer(r, options)],
    limit: options.maxChars ?? MAX_COMMENT_CHARS,
    measure: "chars",
    omitted: truncatedNote(fullReport),
  });
}
