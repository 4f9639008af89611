/**
 * `replay-gate diff --base <policies|ref[:path]> --head <policies|ref[:path]> --windows <dir|glob>...`
 * Replays every window under both versions and reports parity, diffs and the threshold verdict.
 */
import { writeFile } from "node:fs/promises";
import { DEFAULT_THRESHOLDS } from "../../core/config.js";
import { stableJson } from "../../core/report/json.js";
import { renderDiffMarkdown } from "../../core/report/markdown.js";
import { renderDiffText } from "../../core/report/diff-text.js";
import { readConfigFile } from "../../io/config.js";
import { join } from "node:path";
import { buildRunRecord, type RunRecord, type Stage } from "../../core/evidence/run-record.js";
import type { Report } from "../../core/report/report-schema.js";
import { formatTimestamp } from "../../core/time.js";
import { runDiff, type DiffTimings } from "../../io/diff-run.js";
import { DEFAULT_RUNS_DIR, writeRunRecord } from "../../io/evidence/run-store.js";
import { writeEvidenceBundle } from "../../io/evidence/bundle.js";
import type { WindowEvidence } from "../../core/evidence/bundle.js";
import { parseCommandArgs, parseFormat, usageError, type Format } from "../args.js";
import { progress, useColor, type CliIo } from "../io.js";
import { amThresholds, diffAlertmanagerCommand } from "./diff-kind.js";
import { readOtherKindPolicy, withKindOptions } from "./replay-kind.js";
import { existsSync, statSync } from "node:fs";

export const DIFF_USAGE = "replay-gate diff --base <file|dir|glob|ref[:path]> --head <file|dir|glob|ref[:path]> [--windows <dir|glob>...] [--config <replay-gate.yml>] [--out <report.json>] [--evidence <dir>] [--record] [--runs-dir <dir>] [--format text|json|markdown]";

export async function diffCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs("diff", argv, {
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
  }, DIFF_USAGE, true);
  const format = parseFormat("diff", values.format, ["text", "json", "markdown"], DIFF_USAGE);
  const loaded = values.config ? await readConfigFile(values.config) : null;
  const base = values.base ?? [];
  if (base.length === 0) throw usageError("diff", "--base is required", DIFF_USAGE);
  const head = values.head ?? loaded?.config.policies ?? [];
  if (head.length === 0) throw usageError("diff", "--head is required (or --config naming policies)", DIFF_USAGE);
  const windows = [...(values.windows ?? []), ...(values.window ?? []), ...positionals];
  const windowArgs = windows.length > 0 ? windows : loaded?.config.windows ?? [];
  if (windowArgs.length === 0) throw usageError("diff", "give at least one --windows (or --config naming windows)", DIFF_USAGE);
  const isFile = (p: string) => existsSync(p) && statSync(p).isFile();
  if (base.length === 1 && head.length === 1 && isFile(base[0]!) && isFile(head[0]!)) {
    const [b, h] = [await readOtherKindPolicy(base[0]!), await readOtherKindPolicy(head[0]!)];
    if (b?.kind.id === "alertmanager" && h?.kind.id === "alertmanager") {
      return diffAlertmanagerCommand(withKindOptions(b, loaded?.config), withKindOptions(h, loaded?.config), windowArgs, amThresholds(loaded?.config.thresholds), format, io);
    }
  }
  const bar = progress(io);
  const evidence: WindowEvidence[] = [];
  const record = values.record === true || values["runs-dir"] !== undefined;
  const timings: DiffTimings = { ingest: 0, correlation: 0, aggregation: 0, report: 0 };
  const startedAt = Date.now();
  const report = await runDiff({
    base,
    head,
    windows: windowArgs,
    thresholds: loaded?.config.thresholds ?? DEFAULT_THRESHOLDS,
    config: loaded && loaded.file && loaded.sha256 ? { file: loaded.file, sha256: loaded.sha256 } : null,
    cwd: io.cwd,
    warn: (m) => io.stderr(`warning: ${m}\n`),
    onProgress: (m) => bar.update(m),
    onEvidence: values.evidence ? (w) => evidence.push(w) : undefined,
    timings: record ? timings : undefined,
  });
  bar.done();
  const json = await writeDiffReport(report, values.out);
  if (values.evidence) {
    const bundle = await writeEvidenceBundle(values.evidence, { windows: evidence, report: { name: "report.json", text: json } });
    io.stderr(`evidence: ${bundle.dir} and ${bundle.archive} (${bundle.files} files, tar ${bundle.tar_sha256})\n`);
  }
  printDiffReport(report, json, format, io);
  if (record) {
    const finishedAt = Date.now();
    const path = await writeRunRecord(values["runs-dir"] ?? join(io.cwd, DEFAULT_RUNS_DIR), diffRunRecord(report, timings, startedAt, finishedAt, io));
    io.stderr(`recorded run ${path}\n`);
  }
  return report.verdict === "pass" ? 0 : 1;
}

/** Writes report.json to `out` when asked; returns its text. */
export async function writeDiffReport(report: Report, out: string | undefined): Promise<string> {
  const json = stableJson(report);
  if (out) await writeFile(out, json);
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
  return buildRunRecord({
    command: "diff",
    mode: "dry-run",
    environment: null,
    policies: report.inputs.head.policies.map((p) => ({ name: p.name, version: p.version, spec_hash: p.spec_hash, file: p.file })),
    windows: report.inputs.windows.map((w) => ({ id: w.id, dir: w.dir, events_sha256: w.events.sha256 })),
  }, {
    incidents: report.windows.reduce((n, w) => n + (w.head?.incidents ?? 0), 0),
    stages,
    triggered_by: { actor: io.env.GITHUB_ACTOR || io.env.USER || "unknown", event: io.env.GITHUB_EVENT_NAME || "cli" },
    started_at: formatTimestamp(startedAt),
    finished_at: formatTimestamp(finishedAt),
    duration_ms: ms(finishedAt - startedAt),
    outcome: report.verdict === "pass" ? "pass" : "fail",
    reasons: report.evaluation.reasons.map((r) => r.message),
  });
}
