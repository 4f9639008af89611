/**
 * The `replay` report of a rule file: per window, the alert episodes and per-rule statistics.
 * The JSON's shape is declared in core/model/rules-replay.ts (`schema/rules-replay.schema.json`).
 */
import { formatTimestamp } from "../../time.js";
import type { KindResult } from "../kind.js";
import type { RulesReport } from "../../model/rules-replay.js";
import type { CompiledRules, RulesExtras } from "./index.js";

function sortedRecord(r: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(r).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) out[k] = r[k]!;
  return out;
}

/** Builds the report (pure). */
export function buildRulesReport(policy: RulesReport["policy"], compiled: CompiledRules, windows: readonly { window: string; dir: string; result: KindResult<RulesExtras> }[]): RulesReport {
  const ts = (ms: number | null) => (ms === null ? null : formatTimestamp(ms));
  return {
    kind: "prometheus-rules",
    policy,
    evaluation_interval_ms: compiled.options.evaluationIntervalMs,
    prometheus_semantics: compiled.options.prometheus2 ? 2 : 3,
    windows: windows.map(({ window, dir, result }) => ({
      window,
      dir,
      samples: result.extras.samples,
      evaluations: result.extras.evaluations,
      alerts: result.extras.alerts.map((a) => ({
        rule: a.rule,
        labels: sortedRecord(a.labels),
        annotations: sortedRecord(a.annotations),
        active_at: formatTimestamp(a.active_at),
        fired_at: ts(a.fired_at),
        resolved_at: ts(a.resolved_at),
      })),
      rules: result.extras.rules,
      trace_signature: result.trace_signature,
    })),
  };
}

/** A short text rendering for terminals. */
export function renderRulesText(r: RulesReport): string {
  const lines: string[] = [`${r.policy.name} (${r.policy.version}) — Prometheus rules, evaluation interval ${r.evaluation_interval_ms / 1000}s, Prometheus ${r.prometheus_semantics} semantics`];
  for (const w of r.windows) {
    const fired = w.alerts.filter((a) => a.fired_at !== null).length;
    lines.push("", `${w.window}: ${w.samples} samples, ${w.evaluations} evaluations, ${w.alerts.length} alert episodes (${fired} fired)`);
    for (const a of w.alerts) {
      const labels = Object.entries(a.labels)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(", ");
      lines.push(`  ${a.fired_at === null ? "pending " : "FIRING  "} {${labels}} active ${a.active_at}${a.fired_at ? ` fired ${a.fired_at}` : ""}${a.resolved_at ? ` resolved ${a.resolved_at}` : ""}`);
    }
    for (const s of w.rules) if (s.errors > 0) lines.push(`  error: ${s.group}/${s.rule}: ${s.errors} failed evaluations: ${s.first_error}`);
  }
  return `${lines.join("\n")}\n`;
}
