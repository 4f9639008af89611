/**
 * The `replay` command's evidence path (`--mode enforce`, `--evidence`, `--record`): the enforce
 * pre-checks (policy history, posture, approvals) before anything runs, then one timed pass per
 * window producing the same replay results as the plain path plus audit records.
 */
import { readFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import type { ReplayGateConfig } from "../../core/config.js";
import { checkExpectations } from "../../core/engine/expectations.js";
import { fail } from "../../core/errors.js";
import { buildAuditRecord, type ApprovalStatus, type Posture, type RunMode } from "../../core/evidence/audit-record.js";
import type { WindowEvidence } from "../../core/evidence/bundle.js";
import { checkEnforce, givenApprovalsSchema, type EnforceCheck, type GivenApproval } from "../../core/evidence/enforce.js";
import { sha256Hex } from "../../core/hash.js";
import { compilePolicy } from "../../core/policy/compile.js";
import type { LoadedPolicy } from "../../core/policy/load.js";
import { buildWindowReplay, policyRef, windowRef, type WindowReplay } from "../../core/report/replay.js";
import type { StreamOptions, WindowSource } from "../window.js";
import type { Clock } from "./clock.js";
import { runEvidencePass } from "./evidence-pass.js";
import { scanPolicyHistory } from "./spec-history.js";

/** The environments a run stands for: the flag, else each window's `source.environment` (null when absent). */
export function runEnvironments(flag: string | undefined, sources: readonly WindowSource[]): (string | null)[] {
  if (flag !== undefined) return [flag];
  return [...new Set(sources.map((s) => s.manifest.source?.environment ?? null))];
}

/** Reads `--approvals <file>`: `{"approvals":[{"reviewer":"alice","as":["user:alice","team:neteng-leads"]}]}`. */
export async function readApprovalsFile(path: string): Promise<GivenApproval[]> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, "utf8"));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    fail({ file: path, message: code === "ENOENT" ? "no such approvals file" : `not valid JSON: ${(err as Error).message}` });
  }
  const parsed = givenApprovalsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    fail({ file: path, path: issue.path.join("."), message: issue.message, hint: '{"approvals":[{"reviewer":"alice","as":["user:alice","team:neteng-leads"]}]}' });
  }
  return parsed.data.approvals;
}

export interface EnforceContext {
  readonly policy: LoadedPolicy;
  readonly sources: readonly WindowSource[];
  readonly environments: readonly (string | null)[];
  readonly config: ReplayGateConfig | null;
  readonly approvals: readonly GivenApproval[];
  /** Paths whose git history holds the policy's versions (default: the policy file's directory). */
  readonly historyPaths: readonly string[];
  readonly cwd: string;
}

/** The enforce pre-checks; nothing is replayed. */
export async function checkEnforceRun(ctx: EnforceContext): Promise<EnforceCheck> {
  const history = await scanPolicyHistory(ctx.historyPaths, ctx.cwd);
  const abs = ctx.policy.file.startsWith("/") ? ctx.policy.file : join(ctx.cwd, ctx.policy.file);
  return checkEnforce({
    windows: ctx.sources.map((s) => ({ id: s.manifest.id, policySpecHash: s.manifest.policy_spec_hash ?? null })),
    history,
    environments: ctx.environments,
    config: ctx.config,
    policyPaths: [relative(ctx.cwd, abs)],
    promotion: ctx.policy.doc.mode === "dry-run",
    approvals: ctx.approvals,
  });
}

/** Default history paths: the policy file's directory. */
export function defaultHistoryPaths(policyFile: string): string[] {
  return [dirname(policyFile)];
}

/** The policy as it runs in `mode`: enforce recompiles it with `mode: enforce` (its spec hash stays the file's). */
export function policyInMode(policy: LoadedPolicy, mode: RunMode): LoadedPolicy {
  if (policy.doc.mode === mode) return policy;
  const doc = { ...policy.doc, mode };
  return { ...policy, doc, compiled: compilePolicy(doc) };
}

export interface EvidenceReplay {
  readonly windows: WindowReplay[];
  readonly evidence: WindowEvidence[];
  readonly incidents: number;
  /** Summed over windows, ms. */
  readonly timings: { readonly ingest: number; readonly correlation: number; readonly aggregation: number };
}

export interface EvidenceReplayOptions {
  readonly policy: LoadedPolicy;
  readonly sources: readonly WindowSource[];
  readonly mode: RunMode;
  readonly environmentFlag: string | undefined;
  readonly posture: Posture;
  readonly approvalStatus: ApprovalStatus;
  readonly includeTrace: boolean;
  readonly cwd: string;
  readonly clock: Clock;
  readonly onProgress?: StreamOptions["onProgress"];
}

function displayDir(dir: string, cwd: string): string {
  const prefix = cwd.endsWith("/") ? cwd : `${cwd}/`;
  return dir.startsWith(prefix) ? dir.slice(prefix.length) : dir;
}

/** Replays every window once, timed, with audit records. */
export async function replayWithEvidence(o: EvidenceReplayOptions): Promise<EvidenceReplay> {
  const windows: WindowReplay[] = [];
  const evidence: WindowEvidence[] = [];
  const timings = { ingest: 0, correlation: 0, aggregation: 0 };
  let incidents = 0;
  for (const src of o.sources) {
    const pass = await runEvidencePass(src, [o.policy.compiled], o.clock, { onProgress: o.onProgress });
    const result = pass.results[0]!;
    const t = o.clock.monotonic();
    const expectations = checkExpectations(src.manifest.expect, result);
    windows.push(buildWindowReplay(windowRef(src.dir, src.manifest), policyRef(o.policy), result, expectations, o.includeTrace));
    timings.ingest += pass.timings.ingest;
    timings.correlation += pass.timings.correlation;
    timings.aggregation += pass.timings.aggregation + (o.clock.monotonic() - t);
    incidents += result.incidents.length;
    const m = src.manifest;
    const audit = buildAuditRecord({
      window: { id: m.id, dir: displayDir(src.dir, o.cwd), manifestSha256: `sha256:${sha256Hex(src.manifestText)}`, capturedSpecHash: m.policy_spec_hash ?? null },
      events: { path: m.events.path, sha256: m.events.sha256, bytes: m.events.bytes },
      policy: o.policy,
      scan: pass.scan,
      selection: pass.scan.selected[0]!,
      result,
      environment: o.environmentFlag ?? m.source?.environment ?? null,
      posture: o.posture,
      approvalStatus: o.approvalStatus,
      mode: o.mode,
    });
    evidence.push({ id: m.id, manifestText: src.manifestText, policies: [{ slot: `${o.policy.doc.metadata.name}@${o.policy.doc.metadata.version}`, audit, result }] });
  }
  return { windows, evidence, incidents, timings };
}
