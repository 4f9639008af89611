/**
 * `renderHtmlReport(report)`: one self-contained HTML page from report.json — verdict header,
 * one card per window with counts, expectations, highlights, incidents and the incident
 * timeline (base above head). No scripts, no network: a strict CSP forbids everything but
 * inline styles and data: images, and every value from the report is escaped (escape.ts).
 */
import type { WindowTimeline } from "../evidence/timeline.js";
import type { IncidentOut, Report, WindowResult } from "../report/report-schema.js";
import { fmtInt } from "./escape.js";
import { kindChangeSummary } from "../kinds/render.js";
import { forHtml } from "../neutralize.js";
import { REPORT_CSS } from "./styles.js";
import { incidentKinds, renderTimelineSvg } from "./timeline-svg.js";

/** The Content-Security-Policy of the page: nothing runs, nothing loads. */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/** A window of report.json, optionally carrying its timeline (see evidence/timeline.ts). */
export type HtmlWindow = WindowResult & { readonly timeline?: WindowTimeline | null | undefined };
/** report.json as the HTML renderer takes it. */
export type HtmlReport = Omit<Report, "windows"> & { readonly windows: readonly HtmlWindow[] };

const VERDICT_CLASS = { pass: "v-pass", fail: "v-fail", pending: "v-pending" } as const;
const STATUS_CLASS = { identical: "s-identical", changed: "s-changed", added: "s-added", removed: "s-removed" } as const;

function parity(p: number | null): string {
  return p === null ? "–" : p.toFixed(4);
}

function sum(rec: Readonly<Record<string, number>>): number {
  let n = 0;
  for (const v of Object.values(rec)) n += v;
  return n;
}

function header(r: HtmlReport): string {
  const s = r.summary;
  const stat = (label: string, value: string) => `<div class="stat"><b>${forHtml(value)}</b><span class="muted">${forHtml(label)}</span></div>`;
  const reasons = [...r.evaluation.reasons.map((x) => x.message), ...(r.gate?.reasons ?? []).map((x) => x.message)];
  return `<header class="verdict"><span class="badge big ${VERDICT_CLASS[r.verdict]}" id="verdict">${forHtml(r.verdict)}</span><div>
<h1>replay-gate report</h1>
<div class="stats">${stat("windows", fmtInt(s.windows))}${stat("identical", fmtInt(s.identical))}${stat("changed", fmtInt(s.changed))}${stat("regressions", fmtInt(s.regressions))}${stat("min parity", parity(s.min_parity))}${stat("incidents added", fmtInt(s.added_incidents))}${stat("incidents removed", fmtInt(s.removed_incidents))}</div>
</div></header>
${reasons.length > 0 ? `<h2>Why</h2><ul class="reasons">${reasons.map((m) => `<li class="fail">${forHtml(m)}</li>`).join("")}</ul>` : ""}`;
}

function sideRow(label: string, f: (side: NonNullable<WindowResult["base"]>) => string, w: WindowResult): string {
  const cell = (side: WindowResult["base"]) => `<td class="n">${side === null ? "–" : forHtml(f(side))}</td>`;
  return `<tr><th>${forHtml(label)}</th>${cell(w.base)}${cell(w.head)}</tr>`;
}

function countsTable(w: WindowResult): string {
  return `<table class="counts"><tr><th></th><th>base</th><th>head</th></tr>
${sideRow("policy", (s) => `${s.policy.name} ${s.policy.version}`, w)}
${sideRow("events", (s) => fmtInt(s.events), w)}
${sideRow("alerts", (s) => fmtInt(s.alerts), w)}
${sideRow("alert groups", (s) => fmtInt(s.groups), w)}
${sideRow("incidents", (s) => fmtInt(s.incidents), w)}
${sideRow("collapse", (s) => s.collapse, w)}
${sideRow("suppressed", (s) => fmtInt(sum(s.suppressed)), w)}
${sideRow("inhibited", (s) => fmtInt(sum(s.inhibited)), w)}
<tr><th>expectations</th><td>${forHtml(w.expectations.base)}</td><td>${forHtml(w.expectations.head)}</td></tr>
</table>`;
}

function incidentRows(side: "base" | "head", list: readonly IncidentOut[], kinds: Map<string, string>): string {
  return list
    .map(
      (i) =>
        `<tr class="incident-row" data-side="${side}"><td>${side}</td><td><code>${forHtml(i.id)}</code></td><td>${forHtml(i.title)}</td><td>${forHtml(i.rules.join(", "))}</td><td>${forHtml(i.severity)}</td><td class="n">${forHtml(i.confidence)}</td><td class="n">${fmtInt(i.alerts)}</td><td class="mono">${forHtml(i.start.slice(11))} → ${forHtml(i.end.slice(11))}</td><td>${forHtml(kinds.get(i.id) ?? "")}</td></tr>`,
    )
    .join("");
}

function incidentsTable(w: WindowResult): string {
  if (w.incidents.base.length + w.incidents.head.length === 0) return `<p class="muted">No incidents on either side.</p>`;
  const kinds = incidentKinds(w);
  return `<table class="incidents"><tr><th>side</th><th>id</th><th>title</th><th>rules</th><th>severity</th><th>confidence</th><th>alerts</th><th>span (UTC)</th><th>vs other side</th></tr>${incidentRows("base", w.incidents.base, kinds.base)}${incidentRows("head", w.incidents.head, kinds.head)}</table>`;
}

const LEGEND = `<div class="legend muted"><span><i style="background:#57606a"></i>unchanged</span><span><i style="background:#bf8700"></i>changed</span><span><i style="background:#1a7f37"></i>added</span><span><i style="background:#cf222e"></i>removed</span><span><i style="background:#8250df"></i>split / merged</span><span><i style="background:#0969da"></i>alert group</span><span><i style="background:#afb8c1"></i>suppressed or out of scope</span></div>`;

function windowCard(w: HtmlWindow): string {
  const timeline = w.timeline ?? null;
  const highlights = w.highlights.length > 0 ? `<h3>What changed</h3><ul>${w.highlights.map((h) => `<li>${forHtml(h.text)}</li>`).join("")}</ul>` : "";
  const failing = [...w.expectations.base_checks.map((c) => ["base", c] as const), ...w.expectations.head_checks.map((c) => ["head", c] as const)].filter(([, c]) => !c.pass);
  const expectations =
    failing.length > 0
      ? `<h3>Expectations not met</h3><ul class="reasons">${failing.map(([side, c]) => `<li class="fail">${forHtml(`${side}: ${c.subject}: expected ${c.expected}, got ${c.actual}`)}</li>`).join("")}</ul>`
      : "";
  const divergence = w.divergence ? `<details><summary>Where base and head diverge (trace index ${fmtInt(w.divergence.index)})</summary><p>${forHtml(w.divergence.explanation)}</p></details>` : "";
  return `<section class="card window" data-window="${forHtml(w.id)}" data-status="${forHtml(w.status)}">
<h3><span class="badge ${STATUS_CLASS[w.status]}">${forHtml(w.status)}</span> ${forHtml(w.title)} <span class="muted mono">${forHtml(w.id)}</span></h3>
<p class="muted">policy ${forHtml(w.policy)} · parity ${forHtml(parity(w.parity))} · confidence ${forHtml(w.confidence.level ?? "–")} · determinism ${forHtml(w.determinism)} · <span class="mono">${forHtml(w.dir)}</span></p>
${countsTable(w)}
${highlights}${expectations}
<h3>Incident timeline</h3>
<div class="timeline-wrap">${renderTimelineSvg(w, timeline)}</div>
${timeline === null ? `<p class="muted">Event density is not in this report (no <code>timeline</code>); incidents only.</p>` : ""}
${LEGEND}
<h3>Incidents</h3>
${incidentsTable(w)}
${divergence}
</section>`;
}

function policiesSection(r: HtmlReport): string {
  const changed = r.policies.filter((p) => p.status !== "unchanged");
  if (changed.length === 0) return "";
  const items = changed.map((p) => {
    const versions = `${p.base ? `${p.base.version}` : "–"} → ${p.head ? `${p.head.version}` : "–"}`;
    const rules = p.semantic
      .map(
        (c) =>
          `<li>${forHtml(`${c.change} ${c.section}${c.id ? ` ${c.id}` : ""}${c.fields.length > 0 ? `: ${c.fields.map((f) => `${f.path} ${f.base ?? "–"} → ${f.head ?? "–"}`).join("; ")}` : ""}`)}</li>`,
      )
      .join("");
    const kindLine = p.kind !== undefined ? `<p>${forHtml(kindChangeSummary(p.kind))}.</p>` : "";
    return `<div class="card"><h3>${forHtml(p.name)} <span class="muted">${forHtml(versions)} (${forHtml(p.status)})</span></h3>${kindLine}<ul>${rules}</ul>${p.text_diff ? `<details><summary>Text diff</summary><pre>${forHtml(p.text_diff)}</pre></details>` : ""}</div>`;
  });
  return `<h2>Policy changes</h2>${items.join("\n")}`;
}

function inputsSection(r: HtmlReport): string {
  const side = (name: string, s: Report["inputs"]["base"]) =>
    `<tr><th>${forHtml(name)}</th><td>${forHtml(s.spec)}</td><td class="mono">${forHtml(s.git ? `${s.git.ref} ${s.git.commit.slice(0, 12)}` : "working tree")}</td><td>${forHtml(s.policies.map((p) => `${p.name} ${p.version}`).join(", "))}</td></tr>`;
  return `<h2>Inputs</h2><table><tr><th></th><th>spec</th><th>git</th><th>policies</th></tr>${side("base", r.inputs.base)}${side("head", r.inputs.head)}</table>
<p class="muted">evidence digest <span class="mono">${forHtml(r.inputs.evidence_digest)}</span></p>`;
}

/** The whole page. Deterministic: the same report gives the same bytes. */
export function renderHtmlReport(report: HtmlReport): string {
  const title = `replay-gate: ${report.verdict} · ${report.summary.changed} of ${report.summary.windows} windows changed`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${forHtml(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
${header(report)}
<h2>Windows</h2>
${report.windows.map(windowCard).join("\n")}
${report.uncovered_windows.length > 0 ? `<h2>Not covered by any policy</h2><ul>${report.uncovered_windows.map((w) => `<li>${forHtml(`${w.id}: ${w.title}`)}</li>`).join("")}</ul>` : ""}
${policiesSection(report)}
${inputsSection(report)}
<footer>${forHtml(`${report.tool.name} ${report.tool.version} · engine ${report.engine_version} · ${report.schema}`)}</footer>
</body>
</html>
`;
}
