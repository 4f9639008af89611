/**
 * The decision log of a pull request (`decision-log.jsonl`, hash-chained, src/io/evidence): the
 * previous artifact's log is carried into this run's artifact and this run's decision appended,
 * so the artifact of the latest run holds the pull request's whole history of verdicts.
 */
import { copyFile, rename } from "node:fs/promises";
import { join } from "node:path";
import { log } from "./log.js";
import type { GateResult } from "../core/approvals/types.js";
import { decisionDraftFromReport, type DecisionContext } from "../core/evidence/decision-draft.js";
import { sha256Hex } from "../core/hash.js";
import type { Report } from "../core/report/report-schema.js";
import { appendDecisionRecord, DECISION_LOG_FILE } from "../io/evidence/decision-log.js";
import type { PreviousArtifact } from "./artifacts.js";

/** Who counted and who did not, over every requirement, as the decision log records them. */
export function approvalsOf(gate: GateResult): DecisionContext["approvals"] {
  const counted = gate.requirements.flatMap((r) => r.counted.map((c) => ({ reviewer: c.login, commit: c.commit, via: `${r.id} via ${c.via}` })));
  const refused = gate.requirements.flatMap((r) => r.refused.map((x) => ({ reviewer: x.login, commit: null, reason: `${r.id}: ${x.reason}` })));
  return { counted, refused };
}

/** Appends this run's decision to the carried-over log in `outDir`; a broken chain is kept aside and a new log started. */
export async function recordDecision(outDir: string, previous: PreviousArtifact | undefined, report: Report, reportText: string, context: Omit<DecisionContext, "reportSha256">): Promise<void> {
  const path = join(outDir, DECISION_LOG_FILE);
  if (previous !== undefined) {
    try {
      await copyFile(join(previous.dir, DECISION_LOG_FILE), path);
    } catch {
      // The earlier artifact had no log: this run starts one.
    }
  }
  const draft = decisionDraftFromReport(report, { ...context, reportSha256: `sha256:${sha256Hex(reportText)}` });
  try {
    await appendDecisionRecord(path, draft);
  } catch (error) {
    log.warning(`The decision log carried from ${previous?.name ?? "the previous run"} is broken (${(error as Error).message}); it is kept as decision-log.broken.jsonl and a new log starts.`);
    await rename(path, join(outDir, "decision-log.broken.jsonl"));
    await appendDecisionRecord(path, draft);
  }
}
