/**
 * `replay-gate diff --base <policies|ref[:path]> --head <policies|ref[:path]> --windows <dir|glob>...`
 * Replays every window under both versions and reports parity, diffs and the threshold verdict.
 */
import { writeFile } from "node:fs/promises";
import { DEFAULT_THRESHOLDS } from "../../core/config.js";
import { stableJson } from "../../core/report/json.js";
import { renderDiffMarkdown } from "../../core/report/markdown.js";
import { renderDiffText } from "../../core/report/diff-text.js";
import { readConfigFile, readDefaultConfigFile } from "../../io/config.js";
import { dirname, join } from "node:path";
import { fail } from "../../core/errors.js";
import { buildRunRecord, type RunRecord, type Stage } from "../../core/evidence/run-record.js";
import type { Report } from "../../core/report/report-schema.js";
import { formatTimestamp } from "../../core/time.js";
import { runDiff, type DiffTimings } from "../../io/diff-run.js";
import { DEFAULT_RUNS_DIR, writeRunRecord } from "../../io/evidence/run-store.js";
import { writeEvidenceBundle } from "../../io/evidence/bundle.js";
import type { WindowEvidence } from "../../core/evidence/bundle.js";
import { CACHE_FLAGS, cacheDirFrom } from "../cache.js";
import { JOBS_FLAG, parseCommandArgs, parseFormat, parseJobs, parseMaxLineBytes, usageError, type Format } from "../args.js";
import { progress, useColor, type CliIo, warner } from "../io.js";
import { forTerminal } from "../../core/neutralize.js";

export const DIFF_USAGE =
  "replay-gate diff --base <file|dir|glob|ref[:path]> --head <file|dir|glob|ref[:path]> [--windows <dir|glob>...] [--config <replay-gate.yml>] [--out <report.json>] [--evidence <dir>] [--record] [--runs-dir <dir>] [--format text|json|markdown] [--max-line-bytes <n>] [--progress] [--cache <dir> | --no-cache] [--jobs <n>]";

export async function diffCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    "diff",
    argv,
    {
      base: { type: "string", multiple: true },
      head: { type: "string", multiple: true },
      windows: { type: "string", multiple: true },
      window: { type: "string", multiple: true },
      config: { type: "string" },
      out: { type: "string" },
      evidence: { type: "string" },
      record: { type: "boolean" },
      "runs-dir": { type: "string" },
      format: { type: "string" },
      "max-line-bytes": { type: "string" },
      progress: { type: "boolean" },
      ...CACHE_FLAGS,
      ...JOBS_FLAG,
    },
    DIFF_USAGE,
    true,
  );
  const maxLineBytes = parseMaxLineBytes("diff", values["max-line-bytes"], DIFF_USAGE);
  const format = parseFormat("diff", values.format, ["text", "json", "markdown"], DIFF_USAGE);
  // Like check: the repository's config applies when present; a config the user names must exist.
  const loaded = values.config ? await readConfigFile(values.config) : await readDefaultConfigFile(io.cwd);
  if (!values.config && loaded !== null)
    io.stderr(
      `diff: gate config from ${loaded.file} (thresholds${values.head ? "" : ", policies"}${values.windows || values.window || positionals.length > 0 ? "" : ", windows"}); --config <file> names another\n`,
    );
  const base = values.base ?? [];
  if (base.length === 0) throw usageError("diff", "--base is required", DIFF_USAGE);
  const head = values.head ?? loaded?.config.policies ?? [];
  if (head.length === 0) throw usageError("diff", "--head is required (or --config naming policies)", DIFF_USAGE);
  const windows = [...(values.windows ?? []), ...(values.window ?? []), ...positionals];
  const windowArgs = windows.length > 0 ? windows : (loaded?.config.windows ?? []);
  if (windowArgs.length === 0) throw usageError("diff", "give at least one --windows (or --config naming windows)", DIFF_USAGE);

  const bar = progress(io, { force: values.progress });
  const evidence: WindowEvidence[] = [];
  const record = values.record === true || values["runs-dir"] !== undefined;
  const timings: DiffTimings = { ingest: 0, correlation: 0, aggregation: 0, report: 0 };
  const startedAt = Date.now();
  const report = await runDiff({
    base,
    head,
    windows: windowArgs,
    thresholds: loaded?.config.thresholds ?? DEFAULT_THRESHOLDS,
    kindSettings: loaded?.config,
    config: loaded && loaded.file && loaded.sha256 ? { file: loaded.file, sha256: loaded.sha256 } : null,
    cwd: io.cwd,
    limits: { maxLineBytes: maxLineBytes ?? loaded?.config.limits?.max_line_bytes },
    warn: warner(io),
    cacheDir: cacheDirFrom("diff", values, io, DIFF_USAGE),
    jobs: parseJobs("diff", values.jobs, DIFF_USAGE),
    readProgress: bar.meter,
    onEvidence: values.evidence ? (w) => evidence.push(w) : undefined,
    timings: record ? timings : undefined,
  });
  bar.done();
  const json = await writeDiffReport(report, values.out);
  if (values.evidence) {
    const bundle = await writeEvidenceBundle(values.evidence, { windows: evidence, report: { name: "report.json", text: json } });
    io.stderr(`evidence: ${forTerminal(bundle.dir)} and ${forTerminal(bundle.archive)} (${bundle.files} files, tar ${bundle.tar_sha256})\n`);
  }
  printDiffReport(report, json, format, io);
  if (record) {
    const finishedAt = Date.now();
    const path = await writeRunRecord(values["runs-dir"] ?? join(io.cwd, DEFAULT_RUNS_DIR), diffRunRecord(report, timings, startedAt, finishedAt, io));
    io.stderr(`recorded run ${forTerminal(path)}\n`);
  }
  return report.verdict === "pass" ? 0 : 1;
}

/** Writes report.json to `out` when asked; returns its text. A missing directory is the user's to fix (exit 2). */
export async function writeDiffReport(report: Report, out: string | undefined): Promise<string> {
  const json = stableJson(report);
  if (out) {
    try {
      await writeFile(out, json);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "ENOENT")
        fail({
          file: out,
          path: "--out",
          message: `cannot write the report: the directory ${dirname(out)} does not exist`,
          hint: `create it first (mkdir -p ${dirname(out)}) or name a file in an existing directory`,
        });
      if (code === "EISDIR" || code === "EACCES" || code === "ENOTDIR" || code === "EROFS")
        fail({
          file: out,
          path: "--out",
          message: `cannot write the report: ${code === "EISDIR" ? "it is a directory" : (err as Error).message}`,
          hint: "name a writable file, e.g. --out report.json",
        });
      throw err;
    }
  }
  return json;
}

/** Prints the report on stdout in the chosen format (Markdown is exactly the PR comment body). */
export function printDiffReport(report: Report, json: string, format: Format, io: CliIo): void {
  io.stdout(format === "json" ? json : format === "markdown" ? renderDiffMarkdown(report) : renderDiffText(report, useColor(io)));
}

/** The run record of one diff: inputs from the report, stage times from the run. */
function diffRunRecord(report: Report, t: DiffTimings, startedAt: number, finishedAt: number, io: CliIo): RunRecord {
  const ms = (x: number) => Math.max(0, Math.round(x));
  const stages: Stage[] = [
    { name: "ingest & normalize", status: "ok", duration_ms: ms(t.ingest) },
    { name: "correlation", status: "ok", duration_ms: ms(t.correlation) },
    { name: "incident aggregation", status: "ok", duration_ms: ms(t.aggregation) },
    { name: "parity report", status: "ok", duration_ms: ms(t.report) },
  ];
  return buildRunRecord(
    {
      command: "diff",
      mode: "dry-run",
      environment: null,
      policies: report.inputs.head.policies.map((p) => ({ name: p.name, version: p.version, spec_hash: p.spec_hash, file: p.file })),
      windows: report.inputs.windows.map((w) => ({ id: w.id, dir: w.dir, events_sha256: w.events.sha256 })),
    },
    {
      incidents: report.windows.reduce((n, w) => n + (w.head?.incidents ?? 0), 0),
      stages,
      triggered_by: { actor: io.env.GITHUB_ACTOR || io.env.USER || "unknown", event: io.env.GITHUB_EVENT_NAME || "cli" },
      started_at: formatTimestamp(startedAt),
      finished_at: formatTimestamp(finishedAt),
      duration_ms: ms(finishedAt - startedAt),
      outcome: report.verdict === "pass" ? "pass" : "fail",
      reasons: report.evaluation.reasons.map((r) => r.message),
    },
  );
}
