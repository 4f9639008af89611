/**
 * The decision log of a pull request (`decision-log.jsonl`, hash-chained, src/io/evidence): the
 * previous artifact's log is carried into this run's artifact and this run's decision appended,
 * so the artifact of the latest run holds the pull request's whole history of verdicts.
 *
 * A chain proves only that its records agree with each other: whoever can replace the artifact
 * could cut it at a record boundary, or rewrite it with recomputed hashes. So each run publishes
 * its log's head where a later run and a reviewer can see it — the end of its commit status
 * description (`… · log <16 hex>/<records>`) and its job summary (the whole hash) — and a later
 * run carries a log only when it matches the anchor on the commit the earlier run evaluated. A
 * log without an anchor, or one that does not match, is kept aside in the artifact and a new log
 * starts: history is never extended from a log nobody vouched for.
 */
import { copyFile, rename } from "node:fs/promises";
import { join } from "node:path";
import { log } from "./log.js";
import type { GateResult } from "../core/approvals/types.js";
import { decisionDraftFromReport, type DecisionContext } from "../core/evidence/decision-draft.js";
import { anchorFromStatus, type ChainAnchor, type LogAnchor } from "../core/evidence/decision-log.js";
import { sha256Hex } from "../core/hash.js";
import { forMarkdown } from "../core/neutralize.js";
import type { Report } from "../core/report/report-schema.js";
import { appendDecisionRecord, DECISION_LOG_FILE, verifyDecisionLog } from "../io/evidence/decision-log.js";
import type { PreviousArtifact } from "./artifacts.js";
import type { StatusTarget } from "./status.js";

/** Where a log that could not be carried is kept, in this run's artifact. */
export const SET_ASIDE = { broken: "decision-log.broken.jsonl", unanchored: "decision-log.unanchored.jsonl" } as const;

/** Who counted and who did not, over every requirement, as the decision log records them. */
export function approvalsOf(gate: GateResult): DecisionContext["approvals"] {
  const counted = gate.requirements.flatMap((r) => r.counted.map((c) => ({ reviewer: c.login, commit: c.commit, via: `${r.id} via ${c.via}` })));
  const refused = gate.requirements.flatMap((r) => r.refused.map((x) => ({ reviewer: x.login, commit: null, reason: `${r.id}: ${x.reason}` })));
  return { counted, refused };
}

/** The anchor an earlier run left on the commit it evaluated: its newest status in our context that ends with one. */
export async function findLogAnchor(target: Pick<StatusTarget, "octokit" | "owner" | "repo" | "context">, sha: string): Promise<ChainAnchor | undefined> {
  try {
    // Newest first, as GitHub lists them; our own `pending` of this run carries no anchor and is skipped.
    const statuses = await target.octokit.paginate(target.octokit.rest.repos.listCommitStatusesForRef, { owner: target.owner, repo: target.repo, ref: sha, per_page: 100 });
    for (const s of statuses) {
      if (s.context.toLowerCase() !== target.context.toLowerCase()) continue;
      const anchor = anchorFromStatus(s.description);
      if (anchor !== null) return anchor;
    }
  } catch (error) {
    log.info(`Could not read the commit statuses of ${sha.slice(0, 7)} for the decision log's anchor (${(error as Error).message.split("\n")[0]}).`);
  }
  return undefined;
}

/** What became of the log: this run's anchor, and a note for the summary when a carried log was set aside. */
export interface RecordedDecision {
  readonly anchor: LogAnchor;
  /** Markdown (already escaped) for the job summary. */
  readonly summaryLine: string;
}

/**
 * Appends this run's decision to the log carried from `previous` when it matches the anchor
 * `anchorOf` finds for it; otherwise keeps that log aside and starts a new one.
 */
export async function recordDecision(
  outDir: string,
  previous: PreviousArtifact | undefined,
  report: Report,
  reportText: string,
  context: Omit<DecisionContext, "reportSha256">,
  anchorOf: (previous: PreviousArtifact) => Promise<ChainAnchor | undefined>,
): Promise<RecordedDecision> {
  const path = join(outDir, DECISION_LOG_FILE);
  let setAside = "";
  if (
    previous !== undefined &&
    (await copyFile(join(previous.dir, DECISION_LOG_FILE), path).then(
      () => true,
      () => false,
    ))
  ) {
    const anchor = await anchorOf(previous);
    const check = anchor === undefined ? undefined : await verifyDecisionLog(path, anchor);
    if (anchor === undefined || check?.ok !== true) {
      const aside = anchor === undefined ? SET_ASIDE.unanchored : SET_ASIDE.broken;
      const why = check === undefined || check.ok ? "no commit status of the run that wrote it anchors it" : `${check.reason} at line ${check.line}: ${check.message}`;
      log.warning(`The decision log carried from ${previous.name} is not carried on (${why}); it is kept as ${aside} and a new log starts.`);
      await rename(path, join(outDir, aside));
      setAside = ` The log carried from ${forMarkdown(previous.name)} was set aside as \`${aside}\` (${forMarkdown(why)}).`;
    }
  }
  const draft = decisionDraftFromReport(report, { ...context, reportSha256: `sha256:${sha256Hex(reportText)}` });
  const record = await appendDecisionRecord(path, draft);
  const anchor = { head: record.hash, records: record.seq + 1 };
  const summaryLine = `Decision log: ${anchor.records} record${anchor.records === 1 ? "" : "s"}, head \`${anchor.head}\` (check the artifact's log with \`replay-gate verify --log ${DECISION_LOG_FILE} --anchor ${anchor.head}/${anchor.records}\`).${setAside}`;
  return { anchor, summaryLine };
}
