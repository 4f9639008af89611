/**
 * The one pure decision of a gate run (the Action on a pull request, a review or a merge group,
 * and `replay-gate check` locally): the thresholds' report and the gathered facts in, the gate's
 * verdict, the report that carries it, and what every surface shows out. The shells load the
 * facts before and publish after; nothing here reads a file or calls GitHub.
 */
import { statusDescription } from "../surfaces/status.js";
import { renderGateMarkdown } from "../comment/gate-section.js";
import { promotionHeadline, promotionsOf } from "../report/promotion.js";
import { reportSchema, type Report } from "../report/report-schema.js";
import { decideGate } from "./decide.js";
import type { GateInput, GateResult } from "./types.js";

/** The decided gate. */
export interface GateOutcome {
  readonly gate: GateResult;
  /** The replay's report with the gate's verdict and the gate itself, as report.json stores it. */
  readonly report: Report;
  /** The verdict's one line, a promotion first (the comment's and the summary's headline). */
  readonly headline: string;
  /** The gate section of the comment and the summary. */
  readonly gateMarkdown: string;
}

/** Decides the gate over a replay's report; `baseSha` is the commit the config was read at. */
export function decideGateOutcome(report: Report, facts: Omit<GateInput, "evaluation">, baseSha: string): GateOutcome {
  const gate = decideGate({ ...facts, evaluation: report.evaluation });
  const final = reportSchema.parse({ ...report, verdict: gate.verdict, gate });
  const promotion = promotionHeadline(promotionsOf(final));
  return {
    gate,
    report: final,
    headline: promotion === "" ? statusDescription(gate) : `${promotion} · ${statusDescription(gate)}`,
    gateMarkdown: renderGateMarkdown(gate, { baseSha, headSha: facts.headSha, blastRadius: final.summary.scope_changed }),
  };
}
