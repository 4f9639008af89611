/**
 * The gate's publish step: writes what the pure decision and renderers produced — report.json,
 * the HTML report, the evidence bundle and the decision log into the artifact; annotations; the
 * sticky comment; the commit status; the job summary — each surface independent, so a failure of
 * one never loses the others or the report.
 */
import { SUMMARY_REPORT_CHARS } from "../core/limits.js";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { log } from "./log.js";
import type { GateOutcome } from "../core/approvals/outcome.js";
import { commentMarker } from "../core/comment/envelope.js";
import { renderCommentContent, type CommentView } from "../core/comment/content.js";
import { reportDigestLine } from "../core/comment/fork-comment.js";
import { forMarkdown } from "../core/neutralize.js";
import { parityOutput } from "../core/report/diff-report.js";
import { stableJson } from "../core/report/json.js";
import { renderDiffMarkdown } from "../core/report/markdown.js";
import { promotionHeadline, promotionsOf } from "../core/report/promotion.js";
import type { Report } from "../core/report/report-schema.js";
import { annotationsFor, fitAnnotations } from "../core/surfaces/annotations.js";
import { statusDescription, statusLine, statusState } from "../core/surfaces/status.js";
import { renderGateSummary } from "../core/surfaces/summary.js";
import { sortedUnique } from "../core/compare.js";
import { writeEvidenceBundle } from "../io/evidence/bundle.js";
import { emitAnnotations } from "./annotations.js";
import { artifactName, uploadDir, type RunContext as ArtifactRunContext } from "./artifacts.js";
import { publishComment, type CommentOutcome } from "./comment.js";
import type { RunContext, RunResult } from "./context.js";
import { approvalsOf, findLogAnchor, recordDecision } from "./decision-log.js";
import type { GateLoad, GatePlan, GateStart } from "./gate-load.js";
import { publishShard } from "./shard.js";
import { setStatus, supersededByNewerRun } from "./status.js";
import { logUntrusted, writeHtml, writeSummary } from "./summary.js";
import { FORK_HELP } from "./writes.js";

const NO_RESULT = { parity: null, changedWindows: [], reportPath: "", evidenceDigest: "", gates: true } as const;

function changedWindowIds(report: Report): string[] {
  return sortedUnique(report.windows.filter((w) => w.status !== "identical").map((w) => w.id));
}

/** The Markdown line that links this run's artifact (the envelope's, never the content's). */
function runLink(ctx: RunContext): string {
  return `<sub>report.json, the evidence and the decision log: the artifact ${artifactName(ctx.env.runId, ctx.env.attempt)} of [this run](${ctx.env.runUrl})</sub>`;
}

/** Posts the sticky comment on the pull request (unless `comment: off`), never over a newer run's. */
async function postComment(ctx: RunContext, start: GateStart, view: CommentView): Promise<CommentOutcome | undefined> {
  const { env, settings, octokit, guard } = ctx;
  if (start.pr === undefined || settings.comment === "off") return undefined;
  let currentHead: string | undefined;
  try {
    currentHead = (await octokit.rest.pulls.get({ owner: env.owner, repo: env.repo, pull_number: start.pr.number })).data.head.sha;
  } catch {
    currentHead = undefined;
  }
  const outcome = await publishComment(
    { octokit, owner: env.owner, repo: env.repo, issueNumber: start.pr.number, marker: commentMarker(settings.config) },
    guard,
    settings.comment,
    { meta: { sha: start.headSha, started: ctx.started, run: env.runUrl }, verdict: view.verdict, content: renderCommentContent(view), runLink: runLink(ctx) },
    currentHead,
  );
  log.info(`PR comment: ${outcome}`);
  return outcome;
}

/** Publishes a `fail` reached without a replay to gate on (config unreadable, shards incomplete): summary, comment, `failure`. */
export async function publishRefusal(ctx: RunContext, start: GateStart, summary: string, gateMarkdown: string): Promise<RunResult> {
  await writeSummary(`## replay-gate: fail\n\n${gateMarkdown}`);
  // Config problems and shard names are not checked against the head: the current head is not asked.
  const view: CommentView = { verdict: "fail", headline: `fail: ${summary}`, gateMarkdown, report: undefined };
  if (start.pr !== undefined && ctx.settings.comment !== "off") {
    const { env, settings, octokit, guard } = ctx;
    const outcome = await publishComment(
      { octokit, owner: env.owner, repo: env.repo, issueNumber: start.pr.number, marker: commentMarker(settings.config) },
      guard,
      settings.comment,
      { meta: { sha: start.headSha, started: ctx.started, run: env.runUrl }, verdict: "fail", content: renderCommentContent(view), runLink: `<sub>the run's log: [this run](${env.runUrl})</sub>` },
      undefined,
    );
    log.info(`PR comment: ${outcome}`);
  }
  if (!(await supersededByNewerRun(start.status))) await setStatus(start.status, ctx.guard, "failure", `fail: ${summary}`);
  ctx.onCrash = undefined;
  return { verdict: "fail", ...NO_RESULT };
}

/** Publishes a pass without a replay: the change touches no policy or window. */
export async function publishNoChange(ctx: RunContext, start: GateStart, load: Extract<GateLoad, { kind: "no-change" }>): Promise<RunResult> {
  const line = `replay-gate: pass — this change touches no policy or window (${load.changed} file(s) changed)${load.configChanged ? "; it edits the gate config, which applies from the base commit once merged" : ""}.`;
  await writeSummary(`${line}\n`);
  if (!(await supersededByNewerRun(start.status))) await setStatus(start.status, ctx.guard, "success", "no policy or window changed");
  return { verdict: "pass", ...NO_RESULT };
}

async function writeRunJson(ctx: RunContext, plan: GatePlan, start: GateStart, outDir: string, configSha256: string | null, prNumber: number | null): Promise<void> {
  const runContext: ArtifactRunContext = {
    schema: "replay-gate/run@1",
    event: plan.kind,
    base_sha: start.baseSha,
    head_sha: start.headSha,
    pr_number: prNumber,
    config_sha256: configSha256,
    shard: start.shard ? `${start.shard.index}/${start.shard.total}` : null,
  };
  await writeFile(join(outDir, "run.json"), stableJson(runContext));
}

/** A shard's share: run.json and the partial report in its artifact; the merge job gates. */
export async function publishShardLoad(ctx: RunContext, plan: GatePlan, start: GateStart, load: Extract<GateLoad, { kind: "shard" }>): Promise<RunResult> {
  await writeRunJson(ctx, plan, start, load.outDir, load.configSha256, start.pr?.number ?? (plan.kind === "merge_group" ? (plan.prNumber ?? null) : null));
  const path = await publishShard(load.report, load.shard, load.outDir, ctx.env);
  return {
    verdict: load.report.evaluation.verdict,
    parity: parityOutput(load.report.summary),
    changedWindows: changedWindowIds(load.report),
    reportPath: path,
    evidenceDigest: load.report.inputs.evidence_digest,
    gates: false,
  };
}

/** Publishes a decided gate on every surface. */
export async function publishGate(ctx: RunContext, plan: GatePlan, start: GateStart, load: Extract<GateLoad, { kind: "replayed" }>, outcome: GateOutcome): Promise<RunResult> {
  const { env, guard } = ctx;
  const { gate, report } = outcome;
  const outDir = load.outDir;
  await writeRunJson(ctx, plan, start, outDir, load.configSha256, load.prNumber ?? null);
  const reportPath = join(outDir, "report.json");
  const reportText = stableJson(report);
  await writeFile(reportPath, reportText);
  await writeHtml(outDir, report);
  // A reused or merged replay has no engine results here; its own run's artifact holds its evidence.
  if (load.evidence.length > 0) await writeEvidenceBundle(join(outDir, "evidence"), { windows: [...load.evidence], report: { name: "report.json", text: reportText } });
  const decision = await recordDecision(
    outDir,
    load.previous,
    report,
    reportText,
    {
      at: new Date().toISOString(),
      actor: env.actor,
      event: plan.kind,
      repository: `${env.owner}/${env.repo}`,
      pullRequest: load.prNumber ?? null,
      commits: { base: start.baseSha, head: start.headSha },
      approvals: approvalsOf(gate),
      runId: null,
    },
    (p) => findLogAnchor(start.status, p.run.head_sha),
  );

  const view: CommentView = { verdict: gate.verdict, headline: outcome.headline, gateMarkdown: outcome.gateMarkdown, report };
  const content = renderCommentContent(view);
  // The digest line lets the fork commenter refuse a comment.md that is not about this report.json.
  await writeFile(join(outDir, "comment.md"), `${content}${reportDigestLine(reportText)}\n`);
  logUntrusted("replay-gate comment (Markdown)", content);
  const { emit, dropped } = fitAnnotations(annotationsFor(report));
  emitAnnotations(emit);

  const commented = await postComment(ctx, start, view);
  // A crash from here on must not leave our pending behind; a verdict is a result, not a crash.
  if (await supersededByNewerRun(start.status)) log.info("A newer run posted to this commit's status after this run began; leaving its verdict in place.");
  // The description ends with the decision log's anchor, which the next run checks the carried log against.
  else await setStatus(start.status, guard, statusState(gate.verdict, plan.kind === "merge_group"), statusLine(gate, decision.anchor));
  ctx.onCrash = undefined;

  const notes: string[] = [];
  if (guard.stoppedBecause !== undefined) notes.push(`> **Writes to GitHub stopped**: ${forMarkdown(guard.stoppedBecause)}`);
  else if (start.pr?.fork === true) notes.push(`> This pull request comes from a fork; ${FORK_HELP}.`);
  for (const p of guard.problems.filter((x) => x.message !== guard.stoppedBecause)) notes.push(`> ${forMarkdown(p.surface)}: ${forMarkdown(p.message)}`);
  if (commented === "stale") notes.push("> A newer run's comment stands; this run did not overwrite it.");
  if (dropped > 0) notes.push(`> ${dropped} changed rule(s) were not annotated (runner limit).`);
  notes.push(decision.summaryLine);
  const pointer = `the full report is in the artifact ${artifactName(env.runId, env.attempt)} of [this run](${env.runUrl})`;
  await writeSummary(
    renderGateSummary({
      verdict: gate.verdict,
      promotion: promotionHeadline(promotionsOf(report)),
      line: statusDescription(gate),
      reused: load.reused,
      notes,
      gateMarkdown: outcome.gateMarkdown,
      // The summary has room for far more detail than a comment.
      reportMarkdown: renderDiffMarkdown(report, { maxChars: SUMMARY_REPORT_CHARS, fullReport: pointer }),
      pointer,
    }),
  );
  await uploadDir(artifactName(env.runId, env.attempt), outDir);
  return { verdict: gate.verdict, parity: parityOutput(report.summary), changedWindows: changedWindowIds(report), reportPath, evidenceDigest: gate.evidence.head_digest, gates: true };
}
