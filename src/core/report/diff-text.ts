/** Plain-text rendering of a diff report for terminals; colour only when the shell asks (TTY, no NO_COLOR). */
import { kindChangeSummary, renderKindDiffText } from "../kinds/render.js";
import { MAX_PROMOTED_LISTED, promotionsOf } from "./promotion.js";
import type { Report, WindowResult } from "./report-schema.js";
import { paint, type Paint } from "./terminal.js";
import { matchingParts } from "./markdown.js";
import { forTerminal } from "../neutralize.js";
import { appendAll } from "../arrays.js";

function record(r: Readonly<Record<string, number>> | undefined): string {
  if (r === undefined) return "—";
  const entries = Object.entries(r).filter(([, v]) => v !== 0);
  return entries.length === 0 ? "none" : entries.map(([k, v]) => `${forTerminal(k)} ${v}`).join(", ");
}

function row(label: string, base: string, head: string): string {
  return `    ${label.padEnd(18)} ${base.padEnd(28)} ${head}`;
}

function renderWindow(w: WindowResult, p: Paint): string[] {
  const status = w.status === "identical" ? p.green(w.status) : p.yellow(w.status);
  const lines = [p.bold(`window ${forTerminal(w.id)}`) + ` — ${forTerminal(w.title)} (${forTerminal(w.policy)}): ${status}`];
  if (w.status === "identical") {
    lines.push(`    ${w.head ? forTerminal(w.head.collapse) : "—"} under both · parity ${w.parity ?? "—"} · expectations ${w.expectations.head}`);
    return lines;
  }
  if (w.kind_diff) appendAll(lines, renderKindDiffText(w.kind_diff));
  const side = (f: (s: NonNullable<WindowResult["base"]>) => string): [string, string] => [w.base ? f(w.base) : "—", w.head ? f(w.head) : "—"];
  lines.push(row("", "base", "head"));
  lines.push(row("policy", ...side((s) => `${forTerminal(s.policy.name)} ${forTerminal(s.policy.version)}`)));
  lines.push(row("alerts", ...side((s) => String(s.alerts))));
  lines.push(row("alert groups", ...side((s) => String(s.groups))));
  lines.push(row("incidents", ...side((s) => String(s.incidents))));
  lines.push(row("collapse", ...side((s) => forTerminal(s.collapse))));
  lines.push(row("suppressed", ...side((s) => record(s.suppressed))));
  lines.push(row("inhibited", ...side((s) => record(s.inhibited))));
  lines.push(row("decisions", ...side((s) => record(s.decisions))));
  const ex = (s: string) => (s === "fail" ? p.red(s) : s);
  lines.push(row("expectations", ex(w.expectations.base), ex(w.expectations.head)) + (w.expectations.regression ? p.red("  REGRESSION") : ""));
  const m = w.matching;
  const match = matchingParts(m);
  const scope = [...w.scope_changed.service, ...w.scope_changed.region, ...w.scope_changed.pop].map(forTerminal).join(", ");
  lines.push(
    `  parity ${p.bold(String(w.parity ?? "—"))} · confidence ${w.confidence.level ?? "—"} · incidents ${match.join(", ") || "none"}${scope ? ` · scope ${scope}` : ""}${w.determinism === "differs" ? p.red(" · NOT DETERMINISTIC") : ""}`,
  );
  for (const c of w.expectations.head_checks.filter((x) => !x.pass)) lines.push(p.red(`  ✗ ${forTerminal(c.subject)}: expected ${forTerminal(c.expected)}, got ${forTerminal(c.actual)}`));
  for (const h of w.highlights) lines.push(`  • ${forTerminal(h.text)}`);
  for (const pair of m.pairs.filter((x) => x.kind === "changed"))
    lines.push(p.dim(`    changed ${forTerminal(pair.base)} → ${forTerminal(pair.head)}: ${pair.changes.map((c) => `${c.field} ${forTerminal(c.base)} → ${forTerminal(c.head)}`).join("; ")}`));
  for (const g of m.regrouped) lines.push(p.dim(`    ${g.kind} ${g.base.map(forTerminal).join(", ")} → ${g.head.map(forTerminal).join(", ")} (${g.shared_events} shared events)`));
  if (m.removed_ids.length) lines.push(p.dim(`    removed ${m.removed_ids.map(forTerminal).join(", ")}`));
  if (m.added_ids.length) lines.push(p.dim(`    added ${m.added_ids.map(forTerminal).join(", ")}`));
  if (w.divergence) lines.push(`  why: ${forTerminal(w.divergence.explanation)}`);
  return lines;
}

/** Renders the whole report. */
export function renderDiffText(r: Report, color: boolean): string {
  const p = paint(color);
  const out: string[] = [];
  // A promotion is the headline: the decisions that now gate or run.
  for (const pr of promotionsOf(r)) {
    out.push(p.bold(`PROMOTION ${forTerminal(pr.policy)} ${pr.from ?? "new"} → enforce: ${pr.decisions.length} decision(s) would-run → gated/run`));
    for (const d of pr.decisions.slice(0, MAX_PROMOTED_LISTED)) out.push(`  ${forTerminal(d.window)}: ${forTerminal(d.action)} on ${forTerminal(d.incident)}: would-run → ${d.head}`);
    if (pr.decisions.length > MAX_PROMOTED_LISTED) out.push(`  … and ${pr.decisions.length - MAX_PROMOTED_LISTED} more in report.json`);
    out.push("");
  }
  // Regressions first: expectations that held on base and fail on head.
  const regressions = r.windows.filter((w) => w.expectations.regression);
  for (const w of regressions) out.push(p.red(p.bold(`REGRESSION ${forTerminal(w.id)} (${forTerminal(w.policy)}): expectations pass on base and fail on head`)));
  if (regressions.length > 0) out.push("");
  for (const pol of r.policies.filter((x) => x.status !== "unchanged")) {
    out.push(p.bold(`policy ${forTerminal(pol.name)} ${pol.base ? forTerminal(pol.base.version) : "—"} → ${pol.head ? forTerminal(pol.head.version) : "—"} (${pol.status})`));
    if (pol.kind !== undefined) out.push(`  ${kindChangeSummary(pol.kind)}`);
    for (const c of pol.semantic) {
      const where = `${c.base_line ?? "—"}→${c.head_line ?? "—"}`;
      out.push(
        `  ${c.change.padEnd(8)} ${c.section}${c.id ? ` ${forTerminal(c.id)}` : ""} (lines ${where})${c.fields.length ? `: ${c.fields.map((f) => `${forTerminal(f.path)} ${f.base === null ? "—" : forTerminal(f.base)} → ${f.head === null ? "—" : forTerminal(f.head)}`).join("; ")}` : ""}`,
      );
    }
    out.push("");
  }
  const windows = [...r.windows.filter((w) => w.expectations.regression), ...r.windows.filter((w) => !w.expectations.regression)];
  for (const w of windows) appendAll(out, renderWindow(w, p)).push("");
  for (const u of r.uncovered_windows) out.push(p.yellow(`window ${forTerminal(u.id)} — ${forTerminal(u.title)}: not covered by any policy (not replayed)`));
  if (r.uncovered_windows.length) out.push("");
  for (const u of r.coverage.untested) out.push(p.yellow(`untested: ${forTerminal(u.section)} ${forTerminal(u.id)} (${forTerminal(u.policy)}) was ${u.change}; no window exercises it`));
  for (const s of r.coverage.severe_suppressions) out.push(p.yellow(`${s.events} major/critical event(s) newly hidden by ${forTerminal(s.rule)} in ${forTerminal(s.window)}`));
  for (const c of r.suppression_candidates) out.push(`suppression candidate: ${forTerminal(c.rule)} ${forTerminal(c.fingerprint)} in ${c.windows.length} windows`);
  const s = r.summary;
  out.push(p.bold(`summary: ${s.windows} replayed · ${s.identical} identical · ${s.changed} changed · ${s.regressions} regressions · min parity ${s.min_parity ?? "—"} · ${s.uncovered} not covered`));
  for (const reason of r.evaluation.reasons) out.push(p.red(`  ✗ ${forTerminal(reason.message)}`));
  out.push(r.verdict === "pass" ? p.green("verdict: pass") : r.verdict === "fail" ? p.red("verdict: fail") : p.yellow(`verdict: ${r.verdict}`));
  return out.join("\n") + "\n";
}
