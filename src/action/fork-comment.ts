/**
 * The fork commenter's shell (`workflow_run` after a fork pull request's gate run): download that
 * run's artifact, check with GitHub — not the artifact — that the pull request it names has the
 * run's head commit from the run's head repository, verify and re-render (pure:
 * src/core/comment/fork-comment.ts), and upsert one comment. Never a status: a fork's run is not
 * evidence this repository produced.
 */
import { mkdtemp, readFile } from "node:fs/promises";
import { join } from "node:path";
import { DefaultArtifactClient } from "@actions/artifact";
import { log } from "./log.js";
import { buildForkComment, FORK_COMMENT_MARKER } from "../core/comment/fork-comment.js";
import type { RunContext, RunResult } from "./context.js";
import type { RunPlan } from "./events.js";
import { writeSummary } from "./summary.js";

type ForkPlan = Extract<RunPlan, { kind: "fork_comment" }>;

/** Largest artifact file read (comment and report); anything bigger is not ours. */
const MAX_FILE_BYTES = 32 * 1024 * 1024;

async function readSmall(path: string): Promise<string> {
  const buf = await readFile(path);
  if (buf.length > MAX_FILE_BYTES) throw new Error(`${path} is larger than ${MAX_FILE_BYTES} bytes`);
  return buf.toString("utf8");
}

/** Posts the verified result of a fork's gate run on its pull request. */
export async function runForkComment(ctx: RunContext, plan: ForkPlan): Promise<RunResult> {
  const { env, settings, octokit, guard } = ctx;
  const repo = { owner: env.owner, repo: env.repo };
  const none: RunResult = { verdict: "fail", parity: null, changedWindows: [], reportPath: "", evidenceDigest: "", gates: false };
  const { data } = await octokit.rest.actions.listWorkflowRunArtifacts({ ...repo, run_id: plan.runId, per_page: 100 });
  const artifact = data.artifacts
    .filter((a) => !a.expired && new RegExp(`^replay-gate-${plan.runId}-\\d+$`).test(a.name))
    .sort((a, b) => Number(b.name.slice(b.name.lastIndexOf("-") + 1)) - Number(a.name.slice(a.name.lastIndexOf("-") + 1)))[0];
  if (artifact === undefined) {
    log.warning(`The fork's run ${plan.runId} left no replay-gate artifact; nothing to post.`);
    return none;
  }
  const dir = await mkdtemp(join(env.runnerTemp, "fork-artifact-"));
  await new DefaultArtifactClient().downloadArtifact(artifact.id, { path: dir, findBy: { token: settings.token, workflowRunId: plan.runId, repositoryOwner: repo.owner, repositoryName: repo.repo } });
  const runJson = JSON.parse(await readSmall(join(dir, "run.json"))) as { pr_number?: unknown };
  const number = runJson.pr_number;
  if (typeof number !== "number" || !Number.isInteger(number) || number <= 0) throw new Error("the fork's run.json names no pull request");
  // Trust only what GitHub says about that number.
  const { data: pull } = await octokit.rest.pulls.get({ ...repo, pull_number: number });
  if (pull.head.sha !== plan.headSha || pull.head.repo?.full_name?.toLowerCase() !== plan.headRepo.toLowerCase()) {
    throw new Error(`pull request #${number} does not have head ${plan.headSha} from ${plan.headRepo}; refusing to comment`);
  }
  const result = buildForkComment(
    { runUrl: plan.runUrl, headRepo: plan.headRepo, headSha: plan.headSha },
    await readSmall(join(dir, "report.json")).catch(() => ""),
    await readSmall(join(dir, "comment.md")).catch(() => ""),
  );
  if (!result.ok) log.warning(`The fork's artifact was rejected: ${result.reason}`);
  const comments = await octokit.paginate(octokit.rest.issues.listComments, { ...repo, issue_number: number, per_page: 100 });
  const mine = comments.find((c) => c.user?.type === "Bot" && (c.body ?? "").startsWith(FORK_COMMENT_MARKER));
  if (mine !== undefined) await guard.attempt("fork PR comment", () => octokit.rest.issues.updateComment({ ...repo, comment_id: mine.id, body: result.body }));
  else await guard.attempt("fork PR comment", () => octokit.rest.issues.createComment({ ...repo, issue_number: number, body: result.body }));
  await writeSummary(`${result.body}\n`);
  return { ...none, verdict: result.ok ? result.verdict : "fail" };
}
