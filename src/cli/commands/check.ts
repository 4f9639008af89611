/**
 * `replay-gate check [--base <git ref>] [--config <path>] [--format text|json|markdown] [--out <report.json>]`
 *
 * The gate, locally, the way the Action runs it on a pull request: the config (thresholds,
 * policies, windows) is read from the base ref — a change cannot relax its own gate — the
 * base policies with `git show` at the merge base of the base ref and HEAD (what the branch
 * would merge into: a commit made on the base branch after the branch point is not this
 * branch's change), the head policies and windows from the working tree. Approvals live on
 * GitHub, so the exit code is the thresholds' verdict. `--format markdown` runs the Action's own
 * decision and renderer (load → decide → render) and prints, byte for byte, the content of the
 * comment the Action would post on a pull request with no reviews yet: which approvals the change
 * still needs, and the parity report.
 */
import { CONFIG_PATH } from "../../core/config.js";
import { fail } from "../../core/errors.js";
import { readConfigAtRef } from "../../io/config.js";
import { runDiff } from "../../io/diff-run.js";
import { mergeBase, resolveCommit } from "../../io/git.js";
import { CACHE_FLAGS, cacheDirFrom } from "../cache.js";
import { JOBS_FLAG, parseCommandArgs, parseFormat, parseJobs } from "../args.js";
import { progress, type CliIo, warner } from "../io.js";
import { printDiffReport, writeDiffReport } from "./diff.js";
import { forTerminal } from "../../core/neutralize.js";
import { decideGateOutcome } from "../../core/approvals/outcome.js";
import { renderCommentContent } from "../../core/comment/content.js";
import type { Report } from "../../core/report/report-schema.js";
import type { LoadedConfig } from "../../io/config.js";
import { changedFilesSince, policyChanges } from "../../io/gate-facts.js";

/** What the gate decides on for `check`, read the way the Action reads it on a pull request with no reviews yet. */
async function renderCheckComment(report: Report, loaded: LoadedConfig, configPath: string, commits: { tip: string; fork: string; head: string }, cwd: string): Promise<string> {
  const changed = await changedFilesSince(commits.fork, cwd);
  const outcome = decideGateOutcome(
    report,
    {
      config: loaded.config,
      // The Action names the config by the base commit it read it at, never by a branch name.
      configOrigin: { file: loaded.file === null ? null : `${commits.tip}:${configPath}`, sha256: loaded.sha256, changedInPullRequest: changed.includes(configPath) },
      changedFiles: changed,
      policies: await policyChanges(report, cwd),
      author: undefined,
      headSha: commits.head,
      headDigest: report.inputs.evidence_digest,
      reviews: [],
      reviewers: {},
      reviewDigests: {},
    },
    commits.tip,
  );
  return renderCommentContent({ verdict: outcome.gate.verdict, headline: outcome.headline, gateMarkdown: outcome.gateMarkdown, report: outcome.report });
}

export const CHECK_USAGE =
  "replay-gate check [--base <git ref, default origin/main>] [--config <path, default .github/replay-gate.yml>] [--out <report.json>] [--format text|json|markdown] [--progress] [--cache <dir> | --no-cache] [--jobs <n>]";

export async function checkCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(
    "check",
    argv,
    {
      base: { type: "string" },
      config: { type: "string" },
      out: { type: "string" },
      format: { type: "string" },
      progress: { type: "boolean" },
      ...CACHE_FLAGS,
      ...JOBS_FLAG,
    },
    CHECK_USAGE,
  );
  const format = parseFormat("check", values.format, ["text", "json", "markdown"], CHECK_USAGE);
  const baseRef = values.base ?? "origin/main";
  const configPath = values.config ?? CONFIG_PATH;
  const loaded = await readConfigAtRef(baseRef, io.cwd, configPath, values.config !== undefined);
  const tip = await resolveCommit(baseRef, io.cwd);
  const head = await resolveCommit("HEAD", io.cwd);
  if (tip === null || head === null)
    fail({
      file: "replay-gate check",
      message: `${tip === null ? `"${baseRef}"` : "HEAD"} is not a commit in this repository`,
      hint: "run check inside a clone, with --base naming the branch the change merges into",
    });
  const fork = await mergeBase(tip, head, io.cwd);
  if (fork === null)
    fail({
      file: "replay-gate check",
      message: `${baseRef} and HEAD share no history`,
      hint: "fetch the base branch's full history (git fetch --unshallow) or pass --base <ref> of the branch this one was made from",
    });
  io.stderr(
    loaded.file === null
      ? `check: no ${forTerminal(configPath)} at ${forTerminal(baseRef)}; the default thresholds apply and no approval is required\n`
      : `check: gate config from ${forTerminal(loaded.file)} (the base ref: edits to it in this change apply once merged)\n`,
  );
  if (fork !== tip)
    io.stderr(
      `check: comparing with the merge base ${fork.slice(0, 12)} of ${forTerminal(baseRef)} and HEAD (what this branch changes; later commits on ${forTerminal(baseRef)} are not counted as its own)\n`,
    );
  const bar = progress(io, { force: values.progress });
  const report = await runDiff({
    base: loaded.config.policies.map((spec) => `${fork}:${spec}`),
    head: loaded.config.policies,
    windows: loaded.config.windows,
    thresholds: loaded.config.thresholds,
    kindSettings: loaded.config,
    config: loaded.file !== null && loaded.sha256 !== null ? { file: loaded.file, sha256: loaded.sha256 } : null,
    cwd: io.cwd,
    limits: { maxLineBytes: loaded.config.limits?.max_line_bytes },
    warn: warner(io),
    cacheDir: cacheDirFrom("check", values, io, CHECK_USAGE),
    jobs: parseJobs("check", values.jobs, CHECK_USAGE),
    readProgress: bar.meter,
  });
  bar.done();
  const json = await writeDiffReport(report, values.out);
  if (format === "markdown") io.stdout(await renderCheckComment(report, loaded, configPath, { tip, fork, head }, io.cwd));
  else printDiffReport(report, json, format, io);
  const approvals = loaded.config.approvals.length;
  if (approvals > 0) io.stderr(`check: ${approvals} approval rule(s) in the config are evaluated by the Action on the pull request, not here\n`);
  return report.verdict === "pass" ? 0 : 1;
}
