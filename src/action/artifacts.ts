/**
 * The run's artifact (report, comment, gate, evidence and decision log as one upload through
 * @actions/artifact, named with the run attempt so re-runs do not collide), the shards' partial
 * reports, and finding an earlier replay of the same base and head to reuse on a review.
 */
import { mkdir, mkdtemp, readFile, readdir } from "node:fs/promises";
import { join, relative } from "node:path";
import { DefaultArtifactClient } from "@actions/artifact";
import { log } from "./log.js";
import { reportSchema, type Report } from "../core/report/report-schema.js";
import { readJsonStrict } from "../io/read-json.js";
import type { Octokit } from "./octokit.js";
import { appendAll } from "../core/arrays.js";

/** Artifact names. */
export const ARTIFACT_PREFIX = "replay-gate";

/** The run's own artifact. */
export function artifactName(runId: string, attempt: string): string {
  return `${ARTIFACT_PREFIX}-${runId}-${attempt}`;
}

/** A shard's partial report. */
export function shardArtifactName(index: number, total: number, runId: string, attempt: string): string {
  return `${ARTIFACT_PREFIX}-shard-${index}of${total}-${runId}-${attempt}`;
}

/** What a run writes next to report.json so that a later run can tell what it replayed. */
export interface RunContext {
  readonly schema: "replay-gate/run@1";
  readonly event: string;
  readonly base_sha: string | null;
  readonly head_sha: string;
  /** The pull request evaluated, for the fork commenter to check against the head commit. */
  readonly pr_number: number | null;
  readonly config_sha256: string | null;
  readonly shard: string | null;
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) appendAll(out, await filesUnder(path));
    else if (entry.isFile()) out.push(path);
  }
  return out.sort();
}

/** Uploads every file under `dir`; returns the artifact's id, or undefined when the upload failed (reported as a warning). */
export async function uploadDir(name: string, dir: string): Promise<number | undefined> {
  try {
    const files = await filesUnder(dir);
    const result = await new DefaultArtifactClient().uploadArtifact(name, files, dir, { retentionDays: 30 });
    log.info(`Uploaded artifact ${name} (${files.map((f) => relative(dir, f)).join(", ")})`);
    return result.id;
  } catch (error) {
    log.warning(`Could not upload the artifact ${name}: ${(error as Error).message}. The report is still at ${dir}.`);
    return undefined;
  }
}

/** The newest earlier artifact of this pull request, downloaded: its directory and run.json. */
export interface PreviousArtifact {
  readonly name: string;
  readonly dir: string;
  readonly run: RunContext;
}

/**
 * The newest earlier artifact of this pull request from a run of this repository — never a fork's
 * run, whose artifacts its author controls. Artifacts are matched by the run's head branch and
 * then by the pull request number recorded in run.json.
 */
export async function findPreviousArtifact(
  octokit: Octokit,
  repo: { owner: string; repo: string },
  token: string,
  pr: { number: number; headRef: string },
  runTemp: string,
): Promise<PreviousArtifact | undefined> {
  try {
    const { data } = await octokit.rest.actions.listArtifactsForRepo({ ...repo, per_page: 100 });
    const candidates = data.artifacts.filter(
      (a) => !a.expired && /^replay-gate-\d+-\d+$/.test(a.name) && a.workflow_run?.head_branch === pr.headRef && a.workflow_run.head_repository_id === a.workflow_run.repository_id,
    );
    const client = new DefaultArtifactClient();
    for (const a of candidates.slice(0, 3)) {
      const dir = await mkdtemp(join(runTemp, "previous-"));
      await client.downloadArtifact(a.id, { path: dir, findBy: { token, workflowRunId: a.workflow_run!.id!, repositoryOwner: repo.owner, repositoryName: repo.repo } });
      const run = JSON.parse(await readFile(join(dir, "run.json"), "utf8")) as RunContext;
      if (run.schema !== "replay-gate/run@1" || run.shard !== null || run.pr_number !== pr.number) continue;
      return { name: a.name, dir, run };
    }
  } catch (error) {
    log.info(`No earlier artifact of this pull request (${(error as Error).message.split("\n")[0]}).`);
  }
  return undefined;
}

/** The report of an earlier artifact when it replayed the same base, head and config. */
export async function reusableReport(previous: PreviousArtifact | undefined, want: Pick<RunContext, "base_sha" | "head_sha" | "config_sha256">): Promise<Report | undefined> {
  if (previous === undefined) return undefined;
  const { run } = previous;
  if (run.base_sha !== want.base_sha || run.head_sha !== want.head_sha || run.config_sha256 !== want.config_sha256) return undefined;
  try {
    const report = reportSchema.parse(await readJsonStrict(join(previous.dir, "report.json"), { missing: "no report.json in the earlier artifact" }));
    log.info(`Reusing the replay of artifact ${previous.name} (same base, head and config).`);
    const { gate: _gate, ...rest } = report;
    return { ...rest, verdict: report.evaluation.verdict };
  } catch {
    return undefined;
  }
}

/** Makes the run's output directory. */
export async function outputDir(runTemp: string, name: string): Promise<string> {
  const dir = join(runTemp, name);
  await mkdir(dir, { recursive: true });
  return dir;
}
