/**
 * The pull request, review and merge-queue gate: compose the I/O (config at the base commit,
 * changed files, the replay or a reused/merged one, reviews and their facts), make the one pure
 * gate decision, then publish (summary, annotations, comment, status, artifact).
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { log } from "./log.js";
import { commentMarker, MAX_COMMENT_CHARS } from "../core/approvals/comment-body.js";
import { configErrorSummary, renderConfigErrorMarkdown, type ConfigErrorContext } from "../core/approvals/config-error.js";
import { decideGate } from "../core/approvals/decide.js";
import { reportDigestLine } from "../core/approvals/fork-comment.js";
import { formatProblem, InputError, type Problem } from "../core/errors.js";
import { isUnderWindowSpec, matchesAny } from "../core/path-glob.js";
import { renderGateMarkdown, statusDescription } from "../core/approvals/render.js";
import type { GateResult, PolicyChange } from "../core/approvals/types.js";
import type { ReviewInput } from "../core/approvals/reviews.js";
import { sortedUnique } from "../core/compare.js";
import { parityOutput } from "../core/report/diff-report.js";
import { stableJson } from "../core/report/json.js";
import { promotionHeadline, promotionsOf } from "../core/report/promotion.js";
import { renderDiffMarkdown } from "../core/report/markdown.js";
import { forGitHubText, forMarkdown, MAX_STATUS_CHARS } from "../core/neutralize.js";
import { anchoredDescription } from "../core/evidence/decision-log.js";
import { reportSchema, type Report } from "../core/report/report-schema.js";
import { readConfigAtRef, type LoadedConfig } from "../io/config.js";
import { runDiff } from "../io/diff-run.js";
import { writeEvidenceBundle } from "../io/evidence/bundle.js";
import type { WindowEvidence } from "../core/evidence/bundle.js";
import { readWindowManifest } from "../io/window.js";
import { annotationsFor, emitAnnotations } from "./annotations.js";
import { artifactName, findPreviousArtifact, outputDir, reusableReport, shardArtifactName, uploadDir, type RunContext as ArtifactRunContext } from "./artifacts.js";
import { mergeShards, publishShard, shardWindows, ShardsIncompleteError } from "./shard.js";
import { approvalsOf, findLogAnchor, recordDecision } from "./decision-log.js";
import { writeHtml } from "./summary.js";
import { pullRequestFiles } from "./changed-files.js";
import { publishComment } from "./comment.js";
import type { RunContext, RunResult } from "./context.js";
import type { PullRequestRef, RunPlan } from "./events.js";
import { changedFilesByGit, checkedOutHead, ensureCommit, evidenceDigestAt } from "./git-evidence.js";
import { gatherReviewerFacts, listReviews } from "./reviewers.js";
import { setStatus, supersededByNewerRun, type StatusTarget } from "./status.js";
import { fitSummary, logUntrusted, writeSummary } from "./summary.js";
import { FORK_HELP } from "./writes.js";

type GatePlan = Exclude<RunPlan, { kind: "regression" | "fork_comment" }>;

/** Characters of parity report in the job summary (the summary's 1 MiB holds the rest of the page too). */
const SUMMARY_REPORT_CHARS = 600_000;

const isPolicyPath = (specs: readonly string[], path: string) =>
  (path.endsWith(".yaml") || path.endsWith(".yml")) && specs.some((s) => matchesAny([s, `${s.replace(/\/+$/, "")}/*`], path));

/** Repository-relative path of a report's `ref:path` or local file. */
const repoPath = (file: string) => (file.includes(":") ? file.slice(file.indexOf(":") + 1) : file);

async function replay(ctx: RunContext, config: LoadedConfig, baseSha: string, windowsOverride: readonly string[] | undefined, evidence?: WindowEvidence[]): Promise<Report> {
  return runDiff({
    base: config.config.policies.map((spec) => `${baseSha}:${spec}`),
    head: config.config.policies,
    windows: windowsOverride ?? config.config.windows,
    thresholds: config.config.thresholds,
    kindSettings: config.config,
    config: config.file !== null && config.sha256 !== null ? { file: config.file, sha256: config.sha256 } : null,
    cwd: ctx.env.workspace,
    limits: { maxLineBytes: config.config.limits?.max_line_bytes },
    warn: (m) => log.warning(m),
    // Audit records and engine results for the evidence bundle, gathered on the same single pass.
    onEvidence: evidence ? (w) => evidence.push(w) : undefined,
  });
}

/** The policies across the change, with the environments of the windows each covers. */
async function policyChanges(report: Report, cwd: string): Promise<PolicyChange[]> {
  const envOfWindow = new Map<string, string | undefined>();
  for (const w of report.inputs.windows) {
    try {
      envOfWindow.set(w.id, (await readWindowManifest(join(cwd, w.dir))).manifest.source?.["environment"]);
    } catch {
      envOfWindow.set(w.id, undefined);
    }
  }
  return report.policies.map((p) => ({
    name: p.name,
    file: repoPath((p.head ?? p.base)!.file),
    baseMode: p.base?.mode ?? null,
    headMode: p.head?.mode ?? null,
    environments: sortedUnique(report.inputs.windows.filter((w) => w.policies.includes(p.name)).flatMap((w) => {
      const env = envOfWindow.get(w.id);
      return env === undefined ? [] : [env];
    })),
  }));
}

function gateJson(gate: GateResult): Record<string, unknown> {
  return { ...gate, reasons: gate.reasons.map((r) => ({ code: r.code, message: r.message })) };
}

function changedWindowIds(report: Report): string[] {
  return sortedUnique(report.windows.filter((w) => w.status !== "identical").map((w) => w.id));
}

/**
 * The config at the base cannot be read: `failure` with what to fix on the base branch, in the
 * comment, the summary and an error annotation. Not `error`: a pull request cannot fix the base's
 * config, and a status stuck in `error` tells nobody what to do.
 */
async function refuseUnreadableConfig(ctx: RunContext, status: StatusTarget, pr: PullRequestRef | undefined, where: ConfigErrorContext, problems: readonly Problem[]): Promise<RunResult> {
  for (const p of problems) log.error(formatProblem(p), { title: "replay-gate: gate config unreadable" });
  return failClosed(ctx, status, pr, configErrorSummary(where, problems), renderConfigErrorMarkdown(where, problems));
}

/** Publishes a verdict of `fail` reached without a replay to gate on: summary, comment, `failure`. */
async function failClosed(ctx: RunContext, status: StatusTarget, pr: PullRequestRef | undefined, summary: string, gateMd: string): Promise<RunResult> {
  const { env, settings, octokit, guard } = ctx;
  await writeSummary(`## replay-gate: fail\n\n${gateMd}`);
  if (pr !== undefined && settings.comment !== "off") {
    const outcome = await publishComment(
      { octokit, owner: env.owner, repo: env.repo, issueNumber: pr.number, marker: commentMarker(settings.config) },
      guard,
      settings.comment,
      { meta: { sha: status.sha, started: ctx.started, run: env.runUrl }, verdict: "fail", summary: `fail: ${summary}`, gateMarkdown: gateMd, reportMarkdown: "", pointer: `the run's log: ${env.runUrl}` },
      undefined,
    );
    log.info(`PR comment: ${outcome}`);
  }
  if (!(await supersededByNewerRun(status))) await setStatus(status, guard, "failure", `fail: ${summary}`);
  ctx.onCrash = undefined;
  return { verdict: "fail", parity: null, changedWindows: [], reportPath: "", evidenceDigest: "", gates: true };
}

/** Runs the gate for a pull request, a review or a merge group (or one shard of it). */
export async function runGate(ctx: RunContext, plan: GatePlan): Promise<RunResult> {
  const { env, settings, octokit, guard } = ctx;
  const repo = { owner: env.owner, repo: env.repo };
  const cwd = env.workspace;
  const expected = plan.kind === "merge_group" ? plan.headSha : plan.pr.headSha;
  const baseSha = plan.kind === "merge_group" ? plan.baseSha : plan.pr.baseSha;
  const { head: evaluated, mergeRef } = await checkedOutHead(cwd, expected);
  if (evaluated !== expected) log.notice(`The checkout holds ${evaluated.slice(0, 7)}, not the event's head ${expected.slice(0, 7)} (the head moved); evaluating and reporting on ${evaluated.slice(0, 7)}.`);
  if (mergeRef) log.info(`The checkout is GitHub's merge commit; its pull request head ${evaluated.slice(0, 7)} is the evaluated commit.`);
  const status: StatusTarget = { octokit, ...repo, sha: evaluated, context: settings.statusContext, runUrl: env.runUrl };
  const shard = settings.shard;
  if (shard === undefined) {
    await setStatus(status, guard, "pending", "replaying pinned windows under base and head policies…");
    ctx.onCrash = async (message) => {
      await setStatus(status, guard, "error", `replay-gate crashed: ${message}`);
    };
  } else if (shard.index === 1) {
    // While the shards work, the check says so (one shard writes it: the others would repeat it).
    await setStatus(status, guard, "pending", `replaying ${shard.total} shards of the windows; the merge job gates…`);
  }
  if (!(await ensureCommit(baseSha, cwd))) throw new Error(`the base commit ${baseSha} is not in the checkout and could not be fetched; use actions/checkout with fetch-depth: 0`);

  const pr = plan.kind === "merge_group" ? undefined : plan.pr;
  let config: LoadedConfig;
  try {
    config = await readConfigAtRef(baseSha, cwd, settings.config, settings.configExplicit);
  } catch (error) {
    // A shard's failure is the merge job's to report; the gating job reports it here, as a result.
    if (!(error instanceof InputError) || shard !== undefined) throw error;
    return refuseUnreadableConfig(ctx, status, pr, { path: settings.config, baseSha, baseBranch: pr?.baseRef }, error.problems);
  }
  const changed = pr !== undefined
    ? (await pullRequestFiles(octokit, repo, pr.number, { base: baseSha, head: evaluated, cwd })).files
    : await changedFilesByGit(baseSha, evaluated, cwd);
  const configChanged = changed.includes(settings.config);
  if (configChanged) log.notice(`This change edits ${settings.config}; the gate uses the base commit's version, so a pull request cannot relax its own gate.`);
  // The Alertmanager configuration rule files feed changes what pages as much as a policy does.
  const chained = config.config.prometheus_rules?.alertmanager?.replace(/^\.\//, "");
  const relevant = changed.filter((f) => isPolicyPath(config.config.policies, f) || f === chained || config.config.windows.some((w) => isUnderWindowSpec(w, f)));
  const pathRules = config.config.approvals.some((r) => r.paths !== undefined && changed.some((f) => matchesAny(r.paths!, f)));
  const outDir = await outputDir(env.runnerTemp, shard ? shardArtifactName(shard.index, shard.total, env.runId, env.attempt) : artifactName(env.runId, env.attempt));

  if (relevant.length === 0 && !pathRules && shard === undefined && !settings.merge) {
    const line = `replay-gate: pass — this change touches no policy or window (${changed.length} file(s) changed)${configChanged ? "; it edits the gate config, which applies from the base commit once merged" : ""}.`;
    await writeSummary(`${line}\n`);
    if (!(await supersededByNewerRun(status))) await setStatus(status, guard, "success", "no policy or window changed");
    return { verdict: "pass", parity: null, changedWindows: [], reportPath: "", evidenceDigest: "", gates: true };
  }

  // The replay: one shard's share, the merged shards, an earlier identical replay, or a fresh one.
  let report: Report | undefined;
  let reused = false;
  if (settings.merge) {
    try {
      report = await mergeShards(env.runnerTemp, config.config, config.sha256);
    } catch (error) {
      if (!(error instanceof ShardsIncompleteError)) throw error;
      log.error(error.message, { title: "replay-gate: sharded replay incomplete" });
      const gateMd = `### Gate\n\n- **shards-incomplete**: ${forMarkdown(error.message)}. The gate does not pass on part of the library: it fails closed until every shard has replayed.\n`;
      return failClosed(ctx, status, pr, `sharded replay incomplete: ${error.message}`, gateMd);
    }
  } else if (shard !== undefined) {
    const mine = await shardWindows(config.config, cwd, shard);
    report = await replay(ctx, config, baseSha, mine);
  }
  // The pull request's newest earlier artifact: its decision log continues here, and a review
  // run reuses its replay when base, head and config are the same.
  const previous = pr !== undefined && shard === undefined ? await findPreviousArtifact(octokit, repo, settings.token, pr, env.runnerTemp) : undefined;
  if (report === undefined && plan.kind === "pull_request_review") {
    report = await reusableReport(previous, { base_sha: baseSha, head_sha: evaluated, config_sha256: config.sha256 });
    reused = report !== undefined;
  }
  const evidence: WindowEvidence[] = [];
  report ??= await replay(ctx, config, baseSha, undefined, evidence);
  const runContext: ArtifactRunContext = { schema: "replay-gate/run@1", event: plan.kind, base_sha: baseSha, head_sha: evaluated, pr_number: pr?.number ?? (plan.kind === "merge_group" ? plan.prNumber ?? null : null), config_sha256: config.sha256, shard: shard ? `${shard.index}/${shard.total}` : null };
  await writeFile(join(outDir, "run.json"), stableJson(runContext));

  if (shard !== undefined) {
    const path = await publishShard(report, shard, outDir, env);
    return { verdict: report.evaluation.verdict, parity: parityOutput(report.summary), changedWindows: changedWindowIds(report), reportPath: path, evidenceDigest: report.inputs.evidence_digest, gates: false };
  }

  // Facts for the gate.
  const headDigest = (await evidenceDigestAt(evaluated, config.config, cwd)) ?? report.inputs.evidence_digest;
  const prNumber = pr?.number ?? (plan.kind === "merge_group" ? plan.prNumber : undefined);
  let reviews: ReviewInput[] | undefined;
  let author = pr?.author;
  if (prNumber !== undefined && config.config.approvals.length > 0) {
    reviews = await listReviews(octokit, repo, prNumber);
    if (author === undefined) author = (await octokit.rest.pulls.get({ ...repo, pull_number: prNumber })).data.user.login;
  } else if (prNumber !== undefined) reviews = [];
  // Membership and permission reads use the approvals token when given: GITHUB_TOKEN cannot read teams.
  const reviewers = reviews === undefined ? {} : await gatherReviewerFacts(ctx.approvalsOctokit, repo, config.config, reviews, author);
  const reviewDigests: Record<string, string | null> = {};
  for (const c of sortedUnique((reviews ?? []).filter((r) => r.state === "APPROVED" && r.commit_id !== null && r.commit_id !== evaluated).map((r) => r.commit_id!))) {
    reviewDigests[c] = await evidenceDigestAt(c, config.config, cwd);
  }
  const gate = decideGate({
    config: config.config,
    configOrigin: { file: config.file, sha256: config.sha256, changedInPullRequest: configChanged },
    evaluation: report.evaluation,
    changedFiles: changed,
    policies: await policyChanges(report, cwd),
    author,
    headSha: evaluated,
    headDigest,
    reviews,
    reviewers,
    reviewDigests,
  });
  const final: Report = reportSchema.parse({ ...report, verdict: gate.verdict, gate: gateJson(gate) });
  const reportPath = join(outDir, "report.json");
  const reportText = stableJson(final);
  await writeFile(reportPath, reportText);
  await writeHtml(outDir, final);
  // A reused or merged replay has no engine results here; its own run's artifact holds its evidence.
  if (evidence.length > 0) await writeEvidenceBundle(join(outDir, "evidence"), { windows: evidence, report: { name: "report.json", text: reportText } });
  const decision = await recordDecision(outDir, previous, final, reportText, {
    at: new Date().toISOString(),
    actor: env.actor,
    event: plan.kind,
    repository: `${env.owner}/${env.repo}`,
    pullRequest: prNumber ?? null,
    commits: { base: baseSha, head: evaluated },
    approvals: approvalsOf(gate),
    runId: null,
  }, (p) => findLogAnchor(status, p.run.head_sha));

  // Publish. Every surface is independent: a failure of one never loses the others or the report.
  const pointer = `the full report is in the artifact ${artifactName(env.runId, env.attempt)} of [this run](${env.runUrl})`;
  const gateMd = renderGateMarkdown(gate, { baseSha, headSha: evaluated, blastRadius: final.summary.scope_changed });
  // A promotion is the headline of the comment and the summary, before the verdict's reason.
  const promotion = promotionHeadline(promotionsOf(final));
  const headline = promotion === "" ? statusDescription(gate) : `${promotion} · ${statusDescription(gate)}`;
  const title = `## replay-gate: ${gate.verdict}${promotion === "" ? "" : ` — ${forMarkdown(promotion)}`}\n\n${forMarkdown(statusDescription(gate))}${reused ? "\n\n_Replay reused from an earlier run of the same base, head and config._" : ""}`;
  const fork = pr?.fork === true;
  const reportMd = renderDiffMarkdown(final, { maxChars: Math.max(4000, MAX_COMMENT_CHARS - gateMd.length - 6000), fullReport: pointer });
  // The digest line lets the fork commenter refuse a comment.md that is not about this report.json.
  await writeFile(join(outDir, "comment.md"), `${gateMd}\n\n${reportMd}\n${reportDigestLine(reportText)}\n`);
  logUntrusted("replay-gate report (Markdown)", reportMd);
  const dropped = emitAnnotations(annotationsFor(final));

  let commentNote = "";
  if (pr !== undefined && settings.comment !== "off") {
    let currentHead: string | undefined;
    try {
      currentHead = (await octokit.rest.pulls.get({ ...repo, pull_number: pr.number })).data.head.sha;
    } catch {
      currentHead = undefined;
    }
    const outcome = await publishComment(
      { octokit, ...repo, issueNumber: pr.number, marker: commentMarker(settings.config) },
      guard,
      settings.comment,
      { meta: { sha: evaluated, started: ctx.started, run: env.runUrl }, verdict: gate.verdict, summary: headline, gateMarkdown: gateMd, reportMarkdown: reportMd, pointer },
      currentHead,
    );
    log.info(`PR comment: ${outcome}`);
    if (outcome === "stale") commentNote = "A newer run's comment stands; this run did not overwrite it.";
  }
  // A crash from here on must not leave our pending behind; a verdict is a result, not a crash.
  const superseded = await supersededByNewerRun(status);
  if (superseded) log.info("A newer run posted to this commit's status after this run began; leaving its verdict in place.");
  else {
    const state = gate.verdict === "pass" ? "success" : gate.verdict === "pending" && plan.kind !== "merge_group" ? "pending" : "failure";
    // The description ends with the decision log's anchor, which the next run checks the carried log against.
    await setStatus(status, guard, state, anchoredDescription(forGitHubText(statusDescription(gate)), decision.anchor, MAX_STATUS_CHARS));
  }
  ctx.onCrash = undefined;

  const notes: string[] = [];
  if (guard.stoppedBecause !== undefined) notes.push(`> **Writes to GitHub stopped**: ${forMarkdown(guard.stoppedBecause)}`);
  else if (fork) notes.push(`> This pull request comes from a fork; ${FORK_HELP}.`);
  for (const p of guard.problems.filter((x) => x.message !== guard.stoppedBecause)) notes.push(`> ${forMarkdown(p.surface)}: ${forMarkdown(p.message)}`);
  if (commentNote !== "") notes.push(`> ${commentNote}`);
  if (dropped > 0) notes.push(`> ${dropped} changed rule(s) were not annotated (runner limit).`);
  notes.push(decision.summaryLine);
  // The summary has room for far more detail than a comment.
  const summaryReport = renderDiffMarkdown(final, { maxChars: SUMMARY_REPORT_CHARS, fullReport: pointer });
  await writeSummary(fitSummary([title, ...notes, gateMd].join("\n\n"), summaryReport, pointer));
  await uploadDir(artifactName(env.runId, env.attempt), outDir);
  return {
    verdict: gate.verdict,
    parity: parityOutput(final.summary),
    changedWindows: changedWindowIds(final),
    reportPath,
    evidenceDigest: headDigest,
    gates: true,
  };
}

