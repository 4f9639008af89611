/**
 * `schedule` / `workflow_dispatch`: load (the config, every window under the current policies) →
 * the replay's own threshold verdict → render (src/core/surfaces/regression.ts) → publish (the
 * artifact, one regression issue opened, updated or closed, the job summary).
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parityOutput } from "../core/report/diff-report.js";
import { log } from "./log.js";
import { replayInputs } from "./inputs.js";
import { stableJson } from "../core/report/json.js";
import { renderDiffMarkdown } from "../core/report/markdown.js";
import { readConfigAtRef } from "../io/config.js";
import { runDiff } from "../io/diff-run.js";
import { artifactName, outputDir, uploadDir } from "./artifacts.js";
import type { RunContext, RunResult } from "./context.js";
import type { RunPlan } from "./events.js";
import { regressionMarker, syncRegressionIssue } from "./regression-issue.js";
import { logUntrusted, writeHtml, writeSummary } from "./summary.js";
import { renderRegression } from "../core/surfaces/regression.js";

/** Runs the regression replay. */
export async function runRegression(ctx: RunContext, plan: Extract<RunPlan, { kind: "regression" }>): Promise<RunResult> {
  const { env, settings } = ctx;
  const config = await readConfigAtRef(plan.sha, env.workspace, settings.config, settings.configExplicit);
  const report = await runDiff({
    base: config.config.policies,
    head: config.config.policies,
    windows: config.config.windows,
    // Base and head are one version here: only expectations (as the config requires them) and determinism can fail.
    thresholds: config.config.thresholds,
    config: config.file !== null && config.sha256 !== null ? { file: config.file, sha256: config.sha256 } : null,
    cwd: env.workspace,
    warn: (m) => log.warning(m),
    ...replayInputs(settings, env),
  });
  const name = artifactName(env.runId, env.attempt);
  const outDir = await outputDir(env.runnerTemp, name);
  const reportPath = join(outDir, "report.json");
  await writeFile(reportPath, stableJson(report));
  await writeHtml(outDir, report);
  const pointer = `the full report is in the artifact ${name} of [this run](${env.runUrl})`;
  const md = renderDiffMarkdown(report, { fullReport: pointer });
  logUntrusted("replay-gate regression report (Markdown)", md);
  const surfaces = renderRegression(report, { sha: plan.sha, runUrl: env.runUrl, pointer, reportMarkdown: md });
  const issue = await syncRegressionIssue(
    { octokit: ctx.octokit, owner: env.owner, repo: env.repo, marker: regressionMarker(settings.config) },
    ctx.guard,
    surfaces.failing,
    surfaces.issueTitle,
    surfaces.issueBody,
    env.runUrl,
  );
  log.info(`Regression issue: ${issue}`);
  await writeFile(join(outDir, "summary.md"), md);
  await writeSummary(surfaces.summary(issue));
  await uploadDir(name, outDir);
  return {
    verdict: report.evaluation.verdict,
    parity: parityOutput(report.summary),
    changedWindows: [],
    reportPath,
    evidenceDigest: report.inputs.evidence_digest,
    gates: true,
  };
}
