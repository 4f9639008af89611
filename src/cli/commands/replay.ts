/**
 * `replay-gate replay --policy <file> --window <dir>... [--format text|json] [--trace]
 *   [--mode dry-run|enforce] [--environment <name>] [--config <file>] [--approvals <file>]
 *   [--history <path>]... [--evidence <dir>] [--record] [--runs-dir <dir>]`
 *
 * Without the evidence flags it is the plain replay. `--mode enforce` first checks, before
 * anything runs, that every window's `policy_spec_hash` resolves in the policy history, that no
 * environment is locked and that the approval rules are covered; it always writes a run record.
 * `--evidence` writes the evidence bundle; `--record` a run record for dry-run too. Stdout is the
 * same replay report either way.
 */
import { join } from "node:path";
import { readPolicyFile } from "../../io/policies.js";
import { expandWindowArgs, loadWindowSources, replayWindow } from "../../io/windows.js";
import { checkExpectations } from "../../core/engine/expectations.js";
import { formatProblem, InputError } from "../../core/errors.js";
import { unreachableThresholds } from "../../core/policy/reachability.js";
import { RUN_MODES, type RunMode } from "../../core/evidence/audit-record.js";
import { buildRunRecord, type RunOutcome, type Stage } from "../../core/evidence/run-record.js";
import { buildReplayReport, buildWindowReplay, policyRef, windowRef, type WindowReplay } from "../../core/report/replay.js";
import { renderReplayText } from "../../core/report/replay-text.js";
import { stableJson } from "../../core/report/json.js";
import { scopeContradictions, scopeCovers } from "../../core/policy/scope.js";
import { formatTimestamp } from "../../core/time.js";
import { readConfigFile } from "../../io/config.js";
import { writeEvidenceBundle } from "../../io/evidence/bundle.js";
import { systemClock, type Clock } from "../../io/evidence/clock.js";
import { checkEnforceRun, defaultHistoryPaths, policyInMode, readApprovalsFile, replayWithEvidence, runEnvironments } from "../../io/evidence/replay-evidence.js";
import { DEFAULT_RUNS_DIR, writeRunRecord } from "../../io/evidence/run-store.js";
import type { WindowSource } from "../../io/window.js";
import { CACHE_FLAGS, cacheDirFrom } from "../cache.js";
import { JOBS_FLAG, parseCommandArgs, parseFormat, parseJobs, parseMaxLineBytes, usageError } from "../args.js";
import { replayWindows } from "../../io/parallel-replay.js";
import type { Jobs } from "../../io/worker-pool.js";
import { progress, useColor, warner, type CliIo, type ProgressBar } from "../io.js";
import { forTerminal } from "../../core/neutralize.js";
import { readOtherKindPolicy, replayOtherKind } from "./replay-kind.js";
import { isRulesFile } from "../../io/rules-replay.js";
import { rulesReplay } from "./replay-rules.js";

export const REPLAY_USAGE =
  "replay-gate replay --policy <file> --window <dir|glob>... [--format text|json] [--trace] [--mode dry-run|enforce] [--environment <name>] [--config <file>] [--approvals <file>] [--history <path>]... [--evidence <dir>] [--record] [--runs-dir <dir>] [--max-line-bytes <n>] [--evaluation-interval <duration>] [--prometheus-semantics 2|3] [--progress] [--cache <dir> | --no-cache] [--jobs <n>]";

/** Who started the run: GitHub's actor and event when in Actions, else the local user and `cli`. */
function triggeredBy(io: CliIo): { actor: string; event: string } {
  return { actor: io.env.GITHUB_ACTOR || io.env.USER || "unknown", event: io.env.GITHUB_EVENT_NAME || "cli" };
}

export async function replayCommand(argv: string[], io: CliIo, clock: Clock = systemClock): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    "replay",
    argv,
    {
      policy: { type: "string" },
      window: { type: "string", multiple: true },
      format: { type: "string" },
      trace: { type: "boolean" },
      mode: { type: "string" },
      environment: { type: "string" },
      config: { type: "string" },
      approvals: { type: "string" },
      history: { type: "string", multiple: true },
      evidence: { type: "string" },
      record: { type: "boolean" },
      "runs-dir": { type: "string" },
      "max-line-bytes": { type: "string" },
      "evaluation-interval": { type: "string" },
      "prometheus-semantics": { type: "string" },
      progress: { type: "boolean" },
      ...CACHE_FLAGS,
      ...JOBS_FLAG,
    },
    REPLAY_USAGE,
    true,
  );
  const jobs = parseJobs("replay", values.jobs, REPLAY_USAGE);
  const maxLineBytes = parseMaxLineBytes("replay", values["max-line-bytes"], REPLAY_USAGE);
  const format = parseFormat("replay", values.format, ["text", "json"], REPLAY_USAGE);
  if (!values.policy) throw usageError("replay", "--policy is required", REPLAY_USAGE);
  const windowArgs = [...(values.window ?? []), ...positionals];
  if (windowArgs.length === 0) throw usageError("replay", "give at least one --window", REPLAY_USAGE);
  const mode = (values.mode ?? "dry-run") as RunMode;
  if (!RUN_MODES.includes(mode)) throw usageError("replay", `--mode must be dry-run or enforce, not "${values.mode}"`, REPLAY_USAGE);
  if (await isRulesFile(values.policy)) return rulesReplay(values.policy, windowArgs, values["evaluation-interval"], values["prometheus-semantics"], format, io);
  const evidencePath = mode === "enforce" || values.evidence !== undefined || values.record === true || values["runs-dir"] !== undefined;
  const other = await readOtherKindPolicy(values.policy);
  if (other !== undefined) {
    if (evidencePath) throw usageError("replay", `--mode enforce, --evidence and --record are for correlation policies; ${values.policy} is an ${other.kind.label}`, REPLAY_USAGE);
    const config = values.config ? (await readConfigFile(values.config)).config : undefined;
    return replayOtherKind(other, await loadWindowSources(await expandWindowArgs(windowArgs), (m) => io.stderr(`warning: ${m}\n`)), format, io, config);
  }
  const policy = await readPolicyFile(values.policy);
  const cacheDir = cacheDirFrom("replay", values, io, REPLAY_USAGE);
  const bar = progress(io, { force: values.progress });
  const all = await loadWindowSources(await expandWindowArgs(windowArgs), warner(io), { maxLineBytes, cacheDir, progress: bar.meter });
  // A window whose scope contradicts the policy's is not evidence about it: say so, and do not
  // hold its expectations (written for another policy) against this one.
  const sources = all.filter((src) => scopeCovers(policy.doc.scope, src.manifest.scope));
  for (const src of all.filter((s) => !sources.includes(s))) {
    const keys = scopeContradictions(policy.doc.scope, src.manifest.scope);
    const show = (scope: Partial<Record<string, string | undefined>>) => keys.map((k) => `${k}: ${scope[k] ?? ""}`).join(", ");
    io.stderr(
      forTerminal(`not covered: ${src.dir}: the window's scope {${show(src.manifest.scope)}} contradicts the policy's {${show(policy.doc.scope)}}; not replayed, its expectations not checked`) + "\n",
    );
  }
  for (const src of sources) {
    for (const p of unreachableThresholds(policy, { id: src.manifest.id, events: src.manifest.events.count, spanMs: src.endMs - src.startMs })) warner(io)(formatProblem(p));
  }
  if (sources.length === 0) {
    io.stderr(forTerminal(`replay: no window is covered by ${policy.doc.metadata.name}'s scope; nothing was replayed`) + "\n");
    return 1;
  }
  bar.meter?.plan(sources);
  if (!evidencePath) return plainReplay(policy, sources, values.trace === true, format, io, bar, jobs);
  return evidenceReplay({
    policy,
    sources,
    mode,
    format,
    includeTrace: values.trace === true,
    environment: values.environment,
    configFile: values.config,
    approvalsFile: values.approvals,
    history: values.history,
    evidenceDir: values.evidence,
    runsDir: values["runs-dir"] ?? join(io.cwd, DEFAULT_RUNS_DIR),
    record: mode === "enforce" || values.record === true || values["runs-dir"] !== undefined,
    io,
    clock,
    bar,
  });
}

async function plainReplay(
  policy: Awaited<ReturnType<typeof readPolicyFile>>,
  sources: readonly WindowSource[],
  includeTrace: boolean,
  format: string,
  io: CliIo,
  bar: ProgressBar,
  jobs: Jobs,
): Promise<number> {
  const results = await replayWindows(
    sources.map((src) => ({ src, dir: src.dir })),
    jobs,
    bar.meter,
    {
      inProcess: async ({ src }) => (await replayWindow(src, [policy.compiled], { trace: includeTrace }))[0]!,
      worker: { kind: "replay", policy: { text: policy.text, file: policy.file }, trace: includeTrace },
    },
  );
  const windows: WindowReplay[] = sources.map((src, i) => {
    const result = results[i]!;
    return buildWindowReplay(windowRef(src.dir, src.manifest), policyRef(policy), result, checkExpectations(src.manifest.expect, result), includeTrace);
  });
  bar.done();
  const report = buildReplayReport(windows);
  io.stdout(format === "json" ? stableJson(report) : renderReplayText(report, useColor(io)));
  return report.status === "pass" ? 0 : 1;
}

interface EvidenceArgs {
  readonly policy: Awaited<ReturnType<typeof readPolicyFile>>;
  readonly sources: readonly WindowSource[];
  readonly mode: RunMode;
  readonly format: string;
  readonly includeTrace: boolean;
  readonly environment: string | undefined;
  readonly configFile: string | undefined;
  readonly approvalsFile: string | undefined;
  readonly history: string[] | undefined;
  readonly evidenceDir: string | undefined;
  readonly runsDir: string;
  /** Write a run record: always in enforce, with --record or --runs-dir otherwise. */
  readonly record: boolean;
  readonly io: CliIo;
  readonly clock: Clock;
  readonly bar: ProgressBar;
}

async function evidenceReplay(a: EvidenceArgs): Promise<number> {
  const { io, clock } = a;
  const started = clock.now();
  const t0 = clock.monotonic();
  const environments = runEnvironments(a.environment, a.sources);
  const runInputs = {
    command: "replay" as const,
    mode: a.mode,
    environment: a.environment ?? (environments.length === 1 ? environments[0]! : null),
    policies: [{ name: a.policy.doc.metadata.name, version: a.policy.doc.metadata.version, spec_hash: a.policy.specHash, file: a.policy.file }],
    windows: a.sources.map((s) => ({ id: s.manifest.id, dir: s.dir, events_sha256: s.manifest.events.sha256 })),
  };
  const record = async (outcome: RunOutcome, reasons: string[], stages: Stage[], incidents: number) => {
    if (!a.record) return;
    const finished = clock.now();
    const path = await writeRunRecord(
      a.runsDir,
      buildRunRecord(runInputs, {
        incidents,
        stages,
        triggered_by: triggeredBy(io),
        started_at: formatTimestamp(started),
        finished_at: formatTimestamp(finished),
        duration_ms: Math.max(0, Math.round(finished - started)),
        outcome,
        reasons,
      }),
    );
    io.stderr(`recorded run ${forTerminal(path)}\n`);
  };
  const skipped = (names: readonly Stage["name"][]): Stage[] => names.map((name) => ({ name, status: "skipped", duration_ms: 0 }));
  let posture: "locked" | "governed" | "open" = "open";
  let approvalStatus: "not-required" | "approved" | "missing" = "not-required";
  if (a.mode === "enforce") {
    const config = a.configFile ? (await readConfigFile(a.configFile)).config : null;
    const approvals = a.approvalsFile ? await readApprovalsFile(a.approvalsFile) : [];
    const check = await checkEnforceRun({ policy: a.policy, sources: a.sources, environments, config, approvals, historyPaths: a.history ?? defaultHistoryPaths(a.policy.file), cwd: io.cwd });
    for (const r of check.resolved)
      io.stderr(`${forTerminal(`${r.window}: captured under ${r.version.name} ${r.version.version} (${r.version.commit ? r.version.commit.slice(0, 12) : "working tree"} ${r.version.path})`)}\n`);
    if (check.refusals.length > 0) {
      for (const r of check.refusals) io.stderr(`refused: ${r.code}: ${forTerminal(r.message)}\n`);
      await record(
        "refused",
        check.refusals.map((r) => `${r.code}: ${r.message}`),
        skipped(["ingest & normalize", "correlation", "incident aggregation", "parity report"]),
        0,
      );
      return 1;
    }
    posture = check.posture;
    approvalStatus = check.approvalStatus;
  }
  const bar = a.bar;
  let replayed;
  try {
    replayed = await replayWithEvidence({
      policy: policyInMode(a.policy, a.mode),
      sources: a.sources,
      mode: a.mode,
      environmentFlag: a.environment,
      posture,
      approvalStatus,
      includeTrace: a.includeTrace,
      cwd: io.cwd,
      clock,
    });
  } catch (err) {
    bar.done();
    const stage: Stage = { name: "ingest & normalize", status: "failed", duration_ms: Math.round(clock.monotonic() - t0) };
    await record("error", [err instanceof InputError ? err.message : `internal error: ${(err as Error).message}`], [stage, ...skipped(["correlation", "incident aggregation", "parity report"])], 0);
    throw err;
  }
  bar.done();
  const report = buildReplayReport(replayed.windows);
  const json = stableJson(report);
  io.stdout(a.format === "json" ? json : renderReplayText(report, useColor(io)));
  if (a.evidenceDir) {
    const written = await writeEvidenceBundle(a.evidenceDir, { windows: replayed.evidence, report: { name: "replay.json", text: json } });
    io.stderr(`wrote evidence ${forTerminal(written.dir)} and ${forTerminal(written.archive)} (${written.files} files, tar ${written.tar_sha256})\n`);
  }
  const t = replayed.timings;
  const stages: Stage[] = [
    { name: "ingest & normalize", status: "ok", duration_ms: Math.round(t.ingest) },
    { name: "correlation", status: "ok", duration_ms: Math.round(t.correlation) },
    { name: "incident aggregation", status: "ok", duration_ms: Math.round(t.aggregation) },
    { name: "parity report", status: "skipped", duration_ms: 0 },
  ];
  const failing = report.windows.filter((w) => w.expectations.status === "fail").map((w) => `${w.window.id}: expectations failed`);
  await record(report.status === "pass" ? "pass" : "fail", failing, stages, replayed.incidents);
  return report.status === "pass" ? 0 : 1;
}
