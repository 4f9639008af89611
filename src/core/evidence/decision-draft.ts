/** Builds a decision-log draft from report.json plus what only the shell knows (who, when, which commits). */
import type { Report } from "../report/report-schema.js";
import type { DecisionDraft, DecisionRecord } from "./decision-log.js";

/** What the Action (or the CLI) knows about the run that the report does not. */
export interface DecisionContext {
  /** RFC 3339, from the shell's clock. */
  readonly at: string;
  readonly actor: string;
  readonly event: string;
  readonly repository: string | null;
  readonly pullRequest: number | null;
  readonly commits: { readonly base: string | null; readonly head: string | null };
  /** sha256 of report.json's bytes as written. */
  readonly reportSha256: string | null;
  readonly approvals: DecisionRecord["approvals"];
  readonly runId: string | null;
}

const THRESHOLD_GATES = [
  ["parity", ["parity-below-min"]],
  ["incidents", ["incidents-added", "incidents-removed"]],
  ["expectations", ["expectation-regression", "expectation-failed"]],
  ["determinism", ["nondeterministic"]],
] as const;

/** Gates from the report's evaluation (one per threshold family) and, when present, the Action's gate. */
export function gatesOf(report: Report): DecisionRecord["gates"] {
  const families = report.evaluation.thresholds.blast_radius === undefined ? THRESHOLD_GATES : [...THRESHOLD_GATES, ["blast-radius", ["blast-radius"]] as const];
  const gates: DecisionRecord["gates"] = families.map(([name, codes]) => {
    const hits = report.evaluation.reasons.filter((r) => (codes as readonly string[]).includes(r.code));
    return { name, result: hits.length === 0 ? "pass" : "fail", detail: hits.length === 0 ? "ok" : hits.map((r) => r.message).join("; ") } as const;
  });
  if (report.gate !== undefined) {
    gates.push({ name: "approvals", result: report.gate.verdict, detail: report.gate.reasons.map((r) => r.message).join("; ") || "ok" });
  }
  return gates;
}

/** The draft of a decision record for one run of the gate. */
export function decisionDraftFromReport(report: Report, ctx: DecisionContext): DecisionDraft {
  const head = report.inputs.head.policies.map((p) => ({ name: p.name, version: p.version, spec_hash: p.spec_hash }));
  return {
    at: ctx.at,
    triggered_by: { actor: ctx.actor, event: ctx.event },
    repository: ctx.repository,
    pull_request: ctx.pullRequest,
    commits: ctx.commits,
    inputs: {
      evidence_digest: report.inputs.evidence_digest,
      report_sha256: ctx.reportSha256,
      config_sha256: report.inputs.config?.sha256 ?? null,
      policies: head,
      windows: report.inputs.windows.map((w) => ({ id: w.id, events_sha256: w.events.sha256, manifest_sha256: w.manifest_sha256 })),
    },
    approvals: ctx.approvals,
    gates: gatesOf(report),
    verdict: report.verdict,
    run_id: ctx.runId,
  };
}
