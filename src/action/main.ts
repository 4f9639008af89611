/**
 * The Action: read inputs and the event, run the gate (or the regression replay), set outputs
 * and the exit code. Errors are caught once here and classified: a bad input or a bad policy is
 * the user's to fix; anything else is reported with its stack at debug level. A crash after the
 * `pending` status turns it into `error`, never `success`.
 */
import * as core from "@actions/core";
import { log } from "./log.js";
import { InputError } from "../core/errors.js";
import { readRunEnv, type RunContext, type RunResult } from "./context.js";
import { planRun } from "./events.js";
import { runGate } from "./gate-run.js";
import { ActionInputError, OUTPUTS, readInputs, type ActionSettings } from "./inputs.js";
import { setupOctokit } from "./octokit.js";
import { runForkComment } from "./fork-comment.js";
import { runRegression } from "./regression-run.js";
import { TooManyFilesError } from "./changed-files.js";
import { WriteGuard } from "./writes.js";

function setOutputs(result: RunResult): void {
  core.setOutput(OUTPUTS.verdict, result.verdict);
  core.setOutput(OUTPUTS.parity, result.parity === null ? "" : String(result.parity));
  core.setOutput(OUTPUTS.changedWindows, JSON.stringify(result.changedWindows));
  core.setOutput(OUTPUTS.reportPath, result.reportPath);
  core.setOutput(OUTPUTS.evidenceDigest, result.evidenceDigest);
}

function exitFor(result: RunResult, failOn: ActionSettings["failOn"]): void {
  if (!result.gates || failOn === "never") return;
  if (result.verdict === "fail" || (failOn === "pending" && result.verdict === "pending")) {
    log.setFailed(`replay-gate: ${result.verdict} (fail-on: ${failOn}); see the job summary`);
  }
}

/** The Action's entry point (index.ts calls it; tests may too). */
export async function run(): Promise<void> {
  let ctx: RunContext | undefined;
  try {
    const settings = readInputs();
    const env = readRunEnv();
    const plan = await planRun(env.eventName, env.eventPath, env.sha);
    const fork = plan.kind === "pull_request" || plan.kind === "pull_request_review" ? plan.pr.fork : false;
    const octokit = setupOctokit(settings.token);
    ctx = {
      settings,
      env,
      octokit,
      approvalsOctokit: settings.approvalsToken === undefined ? octokit : setupOctokit(settings.approvalsToken),
      guard: new WriteGuard(fork),
      started: new Date().toISOString(),
      onCrash: undefined,
    };
    const result = plan.kind === "regression" ? await runRegression(ctx, plan) : plan.kind === "fork_comment" ? await runForkComment(ctx, plan) : await runGate(ctx, plan);
    setOutputs(result);
    exitFor(result, settings.failOn);
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    if (ctx?.onCrash !== undefined) {
      try {
        await ctx.onCrash(message.split("\n")[0]!.slice(0, 100));
      } catch {
        // The status stays pending, which still blocks the merge.
      }
    }
    core.setOutput(OUTPUTS.verdict, "fail");
    if (error instanceof ActionInputError || error instanceof InputError || error instanceof TooManyFilesError) {
      log.setFailed(message);
    } else {
      log.debug((error as Error).stack ?? message);
      log.setFailed(`replay-gate failed unexpectedly: ${message}`);
    }
  }
}
