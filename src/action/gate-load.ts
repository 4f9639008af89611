/**
 * The gate's load step: everything it reads — the checkout, the config at the base commit, the
 * changed files, the replay (fresh, one shard's share, merged shards or reused from an earlier
 * run), the reviews and the facts about reviewers and commits — gathered into one value for the
 * pure decision (src/core/approvals/outcome.ts). Nothing here writes to GitHub except the
 * `pending` status that says the run has started.
 */
import { log } from "./log.js";
import { replayInputs } from "./inputs.js";
import type { ConfigErrorContext } from "../core/comment/config-error.js";
import { InputError, type Problem } from "../core/errors.js";
import { isUnderWindowSpec, matchesAny } from "../core/path-glob.js";
import type { GateInput } from "../core/approvals/types.js";
import type { ReviewInput } from "../core/approvals/reviews.js";
import { sortedUnique } from "../core/compare.js";
import type { Shard } from "../core/shards/merge.js";
import type { Report } from "../core/report/report-schema.js";
import type { WindowEvidence } from "../core/evidence/bundle.js";
import { readConfigAtRef, type LoadedConfig } from "../io/config.js";
import { runDiff } from "../io/diff-run.js";
import { policyChanges } from "../io/gate-facts.js";
import { artifactName, findPreviousArtifact, outputDir, reusableReport, shardArtifactName, type PreviousArtifact } from "./artifacts.js";
import { mergeShards, shardWindows, ShardsIncompleteError } from "./shard.js";
import { pullRequestFiles } from "./changed-files.js";
import type { RunContext } from "./context.js";
import type { PullRequestRef, RunPlan } from "./events.js";
import { changedFilesByGit, checkedOutHead, ensureCommit, evidenceDigestAt, reviewedEvidenceDigest } from "./git-evidence.js";
import { gatherReviewerFacts, listReviews } from "./reviewers.js";
import { setStatus, type StatusTarget } from "./status.js";

/** The plans the gate runs (not the regression replay, not the fork commenter). */
export type GatePlan = Exclude<RunPlan, { kind: "regression" | "fork_comment" }>;

/** Where the run stands before anything is read: the commits and the status it writes. */
export interface GateStart {
  readonly baseSha: string;
  /** The commit evaluated and reported on (the pull request head the checkout holds). */
  readonly headSha: string;
  readonly pr: PullRequestRef | undefined;
  readonly status: StatusTarget;
  readonly shard: Shard | undefined;
}

/** What the load step found. */
export type GateLoad =
  /** The config at the base cannot be read: fail closed, nothing replayed. */
  | { readonly kind: "config-unreadable"; readonly where: ConfigErrorContext; readonly problems: readonly Problem[] }
  /** The change touches no policy, window or approval path: pass without a replay. */
  | { readonly kind: "no-change"; readonly changed: number; readonly configChanged: boolean }
  /** A shard failed or was cancelled: the merge job fails closed. */
  | { readonly kind: "shards-incomplete"; readonly message: string }
  /** This job replays one shard's share; the merge job gates. */
  | { readonly kind: "shard"; readonly shard: Shard; readonly report: Report; readonly outDir: string; readonly configSha256: string | null }
  /** A replay to gate on, with every fact the decision needs. */
  | {
      readonly kind: "replayed";
      readonly report: Report;
      /** True when an earlier run's replay of the same base, head and config was reused. */
      readonly reused: boolean;
      /** Engine results for the evidence bundle (empty for a reused or merged replay). */
      readonly evidence: readonly WindowEvidence[];
      /** The pull request's newest earlier artifact (its decision log continues here). */
      readonly previous: PreviousArtifact | undefined;
      readonly facts: Omit<GateInput, "evaluation">;
      readonly prNumber: number | undefined;
      readonly configSha256: string | null;
      readonly outDir: string;
    };

const isPolicyPath = (specs: readonly string[], path: string) => (path.endsWith(".yaml") || path.endsWith(".yml")) && specs.some((s) => matchesAny([s, `${s.replace(/\/+$/, "")}/*`], path));

/** Resolves the commits, writes `pending` (a crash from here on turns it into `error`) and fetches the base. */
export async function startGate(ctx: RunContext, plan: GatePlan): Promise<GateStart> {
  const { env, settings, octokit, guard } = ctx;
  const expected = plan.kind === "merge_group" ? plan.headSha : plan.pr.headSha;
  const baseSha = plan.kind === "merge_group" ? plan.baseSha : plan.pr.baseSha;
  const { head, mergeRef } = await checkedOutHead(env.workspace, expected);
  if (head !== expected) log.notice(`The checkout holds ${head.slice(0, 7)}, not the event's head ${expected.slice(0, 7)} (the head moved); evaluating and reporting on ${head.slice(0, 7)}.`);
  if (mergeRef) log.info(`The checkout is GitHub's merge commit; its pull request head ${head.slice(0, 7)} is the evaluated commit.`);
  const status: StatusTarget = { octokit, owner: env.owner, repo: env.repo, sha: head, context: settings.statusContext, runUrl: env.runUrl };
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
  if (!(await ensureCommit(baseSha, env.workspace))) throw new Error(`the base commit ${baseSha} is not in the checkout and could not be fetched; use actions/checkout with fetch-depth: 0`);
  return { baseSha, headSha: head, pr: plan.kind === "merge_group" ? undefined : plan.pr, status, shard };
}

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
    ...replayInputs(ctx.settings, ctx.env),
    // Audit records and engine results for the evidence bundle, gathered on the same single pass.
    onEvidence: evidence ? (w) => evidence.push(w) : undefined,
  });
}

/** Reads everything the gate decides on. */
export async function loadGate(ctx: RunContext, plan: GatePlan, start: GateStart): Promise<GateLoad> {
  const { env, settings, octokit } = ctx;
  const repo = { owner: env.owner, repo: env.repo };
  const cwd = env.workspace;
  const { baseSha, headSha, pr, shard } = start;
  let config: LoadedConfig;
  try {
    config = await readConfigAtRef(baseSha, cwd, settings.config, settings.configExplicit);
  } catch (error) {
    // A shard's failure is the merge job's to report; the gating job reports it here, as a result.
    if (!(error instanceof InputError) || shard !== undefined) throw error;
    return { kind: "config-unreadable", where: { path: settings.config, baseSha, baseBranch: pr?.baseRef }, problems: error.problems };
  }
  const changed = pr !== undefined ? (await pullRequestFiles(octokit, repo, pr.number, { base: baseSha, head: headSha, cwd })).files : await changedFilesByGit(baseSha, headSha, cwd);
  const configChanged = changed.includes(settings.config);
  if (configChanged) log.notice(`This change edits ${settings.config}; the gate uses the base commit's version, so a pull request cannot relax its own gate.`);
  // The Alertmanager configuration rule files feed changes what pages as much as a policy does.
  const chained = config.config.prometheus_rules?.alertmanager?.replace(/^\.\//, "");
  const relevant = changed.filter((f) => isPolicyPath(config.config.policies, f) || f === chained || config.config.windows.some((w) => isUnderWindowSpec(w, f)));
  const pathRules = config.config.approvals.some((r) => r.paths !== undefined && changed.some((f) => matchesAny(r.paths!, f)));
  if (relevant.length === 0 && !pathRules && shard === undefined && !settings.merge) return { kind: "no-change", changed: changed.length, configChanged };
  const outDir = await outputDir(env.runnerTemp, shard ? shardArtifactName(shard.index, shard.total, env.runId, env.attempt) : artifactName(env.runId, env.attempt));

  // The replay: one shard's share, the merged shards, an earlier identical replay, or a fresh one.
  let report: Report | undefined;
  if (settings.merge) {
    try {
      report = await mergeShards(env.runnerTemp, cwd, config.config, config.sha256);
    } catch (error) {
      if (!(error instanceof ShardsIncompleteError)) throw error;
      return { kind: "shards-incomplete", message: error.message };
    }
  } else if (shard !== undefined) {
    return { kind: "shard", shard, report: await replay(ctx, config, baseSha, await shardWindows(config.config, cwd, shard)), outDir, configSha256: config.sha256 };
  }
  // The pull request's newest earlier artifact: its decision log continues here, and a review
  // run reuses its replay when base, head and config are the same.
  const previous = pr !== undefined ? await findPreviousArtifact(octokit, repo, settings.token, pr, env.runnerTemp) : undefined;
  let reused = false;
  if (report === undefined && plan.kind === "pull_request_review") {
    report = await reusableReport(previous, { base_sha: baseSha, head_sha: headSha, config_sha256: config.sha256 });
    reused = report !== undefined;
  }
  const evidence: WindowEvidence[] = [];
  report ??= await replay(ctx, config, baseSha, undefined, evidence);

  // Facts for the gate.
  const headDigest = (await evidenceDigestAt(headSha, config.config, cwd)) ?? report.inputs.evidence_digest;
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
  for (const c of sortedUnique((reviews ?? []).filter((r) => r.state === "APPROVED" && r.commit_id !== null && r.commit_id !== headSha).map((r) => r.commit_id!))) {
    reviewDigests[c] = await reviewedEvidenceDigest(c, baseSha, config.config, settings.config, cwd);
  }
  return {
    kind: "replayed",
    report,
    reused,
    evidence,
    previous,
    facts: {
      config: config.config,
      configOrigin: { file: config.file, sha256: config.sha256, changedInPullRequest: configChanged },
      changedFiles: changed,
      policies: await policyChanges(report, cwd),
      author,
      headSha,
      headDigest,
      reviews,
      reviewers,
      reviewDigests,
    },
    prNumber,
    configSha256: config.sha256,
    outDir,
  };
}
