/**
 * `diff` composed: resolve base and head policy sets (files, directories, globs, or git refs),
 * find the windows, replay each window once under every covering policy version — base, head
 * and head again for the determinism check, all fed by one parse of the events — capture the
 * divergence of changed windows by time travel, and build the report. Shared by the CLI and
 * the Action.
 */
import { withKindSettings, type KindSettings } from "../core/kinds/settings.js";
import { isCorrelation, loadAnyPolicy, pairKindPolicies, windowFeedsKind, type AnyPolicy, type KindPair, type OtherPolicy } from "../core/kinds/any-policy.js";
import type { KindRun } from "../core/kinds/kind.js";
import type { KindComparisonInput } from "../core/parity/kind-window.js";
import { scopeCovers } from "../core/policy/scope.js";
import type { Signal } from "../core/event.js";
import type { WindowManifest } from "../core/window/manifest.js";
import { readdir, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { Thresholds } from "../core/config.js";
import { compareStrings } from "../core/compare.js";
import { Engine } from "../core/engine/engine.js";
import type { EngineResult, TraceEntry } from "../core/engine/types.js";
import { InputError, fail, formatProblem, type Problem } from "../core/errors.js";
import type { NormalizedEvent } from "../core/event.js";
import { buildAuditRecord } from "../core/evidence/audit-record.js";
import type { PolicyEvidence, WindowEvidence } from "../core/evidence/bundle.js";
import { AuditScanner, type ScanResult } from "../core/evidence/sample.js";
import { sha256Hex } from "../core/hash.js";
import { unreachableThresholds } from "../core/policy/reachability.js";
import { DivergenceWatch, planAt, type DivergenceCapture, type DivergencePoint } from "../core/parity/divergence.js";
import { coverage, pairPolicies, type PolicyPair } from "../core/parity/policies.js";
import { isGlob, matchSegmentGlob } from "../core/path-glob.js";
import type { CompiledPolicy } from "../core/policy/compile.js";
import { type LoadedPolicy } from "../core/policy/load.js";
import { buildDiffReport, type ComparisonInput, type SourceInput, type WindowInput } from "../core/report/diff-report.js";
import type { Report } from "../core/report/report-schema.js";
import { resolveCommit, showFile } from "./git.js";
import { readAnyPolicyFile } from "./policies.js";
import { replayPass, timeTravel } from "./replay-pass.js";
import { isPolicyFileName, specPathsAtCommit } from "./spec-files.js";
import type { ReadProgress, WindowReadLimits, WindowSource } from "./window.js";
import { expandWindowArgs, loadWindowSources } from "./windows.js";
import { appendAll } from "../core/arrays.js";

/** Everything `diff` needs. */
export interface DiffRunOptions {
  /** Base policy specs: files, directories, `*` globs, `<ref>:<path>`, or a bare ref (then head's paths at that ref). */
  readonly base: readonly string[];
  /** Head policy specs, the same forms. */
  readonly head: readonly string[];
  /** Window dirs, dirs of windows or `*` globs. */
  readonly windows: readonly string[];
  readonly thresholds: Thresholds;
  readonly config: { readonly file: string; readonly sha256: string } | null;
  /** The gate config's switches for policy kinds (`alertmanager.emulate`). */
  readonly kindSettings?: KindSettings | undefined;
  /** Working directory: relative paths and git run here. */
  readonly cwd: string;
  readonly warn: (message: string) => void;
  readonly onProgress?: ((message: string) => void) | undefined;
  /** The verified window cache's directory (window-cache.ts); none when undefined. */
  readonly cacheDir?: string | undefined;
  /** Watches the windows' reads (windows done, events/s, ETA). */
  readonly readProgress?: ReadProgress | undefined;
  /** Events kept from the first pass for time travel (default {@link PREFIX_BUFFER_EVENTS}); beyond, a second pass. */
  readonly prefixBuffer?: number | undefined;
  /**
   * Receives, per replayed window, what the evidence bundle needs (audit records, engine results),
   * collected on the same single pass. Off by default: scanning costs a little per event.
   */
  readonly onEvidence?: ((evidence: WindowEvidence) => void) | undefined;
  /** When given, milliseconds per run-record stage are added to it (timing costs a little per event). */
  readonly timings?: DiffTimings | undefined;
  /** Read limits for the windows' events (`--max-line-bytes`, config `limits`). */
  readonly limits?: WindowReadLimits | undefined;
}

/** Milliseconds spent per stage of a diff, summed over windows (the run record's stages). */
export interface DiffTimings {
  /** Reading, gunzip, pin check, parsing and validation. */
  ingest: number;
  /** Inside the engines' per-event step. */
  correlation: number;
  /** The engines' finish: incidents and decisions assembled. */
  aggregation: number;
  /** Divergence time travel, matching, parity, highlights and the report. */
  report: number;
}

async function kindOf(path: string): Promise<"file" | "dir" | null> {
  try {
    const s = await stat(path);
    return s.isDirectory() ? "dir" : s.isFile() ? "file" : null;
  } catch {
    return null;
  }
}

/** Local policy files named by one spec, sorted. */
async function localPolicyFiles(spec: string, cwd: string): Promise<string[]> {
  const abs = (p: string) => (p.startsWith("/") ? p : join(cwd, p));
  const name = basename(spec);
  if (isGlob(name)) {
    const parent = dirname(spec);
    const glob = (entry: string) => matchSegmentGlob(name, entry);
    let entries: string[];
    try {
      entries = await readdir(abs(parent));
    } catch {
      fail({ file: spec, message: `no such directory ${parent}` });
    }
    const files: string[] = [];
    for (const e of entries.filter(glob).sort(compareStrings)) if ((await kindOf(abs(join(parent, e)))) === "file") files.push(join(parent, e));
    if (files.length === 0) fail({ file: spec, message: "matches no policy file" });
    return files;
  }
  const kind = await kindOf(abs(spec));
  if (kind === "file") return [spec];
  if (kind === "dir") {
    const files = (await readdir(abs(spec))).filter(isPolicyFileName).sort(compareStrings).map((e) => join(spec, e));
    if (files.length === 0) fail({ file: spec, message: "directory holds no .yaml policy file" });
    return files;
  }
  fail({ file: spec, message: "no such policy file, directory or git ref" });
}

/** Files named by a path spec at a commit, sorted. */
async function gitPolicyFiles(commit: string, ref: string, spec: string, cwd: string): Promise<readonly string[]> {
  const { paths, form } = await specPathsAtCommit(commit, spec, cwd, "policies");
  if (paths.length === 0) fail({ file: `${ref}:${spec}`, message: form === "glob" ? `matches no file at ${ref}` : `directory holds no .yaml policy file at ${ref}` });
  return paths;
}

/** One side's policies and where they came from. */
interface ResolvedSide {
  readonly source: SourceInput;
  readonly policies: LoadedPolicy[];
  /** Policies of other kinds (Alertmanager configurations, Prometheus rules). */
  readonly others: OtherPolicy[];
  /** The path specs used, so a bare ref on the other side can read the same paths. */
  readonly paths: readonly string[];
}

async function resolveSide(specs: readonly string[], otherPaths: readonly string[] | null, cwd: string): Promise<ResolvedSide> {
  const policies: LoadedPolicy[] = [];
  const others: OtherPolicy[] = [];
  const add = (p: AnyPolicy) => (isCorrelation(p) ? policies.push(p) : others.push(p));
  const paths: string[] = [];
  const problems: Problem[] = [];
  let git: SourceInput["git"] = null;
  for (const spec of specs) {
    try {
      if ((await kindOf(spec.startsWith("/") ? spec : join(cwd, spec))) !== null || (isGlob(basename(spec)) && !spec.includes(":"))) {
        for (const file of await localPolicyFiles(spec, cwd)) add(await readAnyPolicyFile(file.startsWith("/") ? file : join(cwd, file), cwd).then((p) => ({ ...p, file })));
        paths.push(spec);
        continue;
      }
      const colon = spec.indexOf(":");
      const ref = colon === -1 ? spec : spec.slice(0, colon);
      const commit = await resolveCommit(ref, cwd);
      if (commit === null) fail({ file: spec, message: colon === -1 ? "no such policy file, directory or git ref" : `"${ref}" is not a git ref in this repository` });
      if (git !== null && git.commit !== commit) fail({ file: spec, message: "one side can read from one git ref only" });
      git = { ref, commit };
      const pathSpecs = colon === -1 ? otherPaths : [spec.slice(colon + 1)];
      if (pathSpecs === null || pathSpecs.length === 0) fail({ file: spec, message: "a bare git ref needs the other side (or --config) to name the policy paths", hint: "write <ref>:<path>, e.g. origin/main:policies/edge-gw.yaml" });
      for (const p of pathSpecs) {
        for (const file of await gitPolicyFiles(commit, ref, p, cwd)) add(loadAnyPolicy(await showFile(commit, ref, file, cwd), `${ref}:${file}`));
        paths.push(p);
      }
    } catch (err) {
      if (err instanceof InputError) appendAll(problems, err.problems);
      else throw err;
    }
  }
  if (problems.length > 0) throw new InputError(problems);
  return { source: { spec: specs.join(" "), git }, policies, others, paths };
}

const isBareRef = async (spec: string, cwd: string) => !spec.includes(":") && !isGlob(basename(spec)) && (await kindOf(spec.startsWith("/") ? spec : join(cwd, spec))) === null;

/** Resolves both sides; a side given as a bare ref reads the other side's paths at that ref. */
export async function resolvePolicies(base: readonly string[], head: readonly string[], cwd: string): Promise<{ base: ResolvedSide; head: ResolvedSide }> {
  const headBare = (await Promise.all(head.map((s) => isBareRef(s, cwd)))).every(Boolean);
  if (headBare) {
    const b = await resolveSide(base, null, cwd);
    return { base: b, head: await resolveSide(head, b.paths, cwd) };
  }
  const h = await resolveSide(head, null, cwd);
  return { base: await resolveSide(base, h.paths, cwd), head: h };
}

/**
 * Events of a window's head kept from the first pass: a divergence is usually early (the first
 * alert a change treats differently), so its time travel replays from memory instead of
 * parsing the window again. Bounded, so memory stays flat for windows of any size.
 */
export const PREFIX_BUFFER_EVENTS = 20_000;

/** Time travel to the divergence: both engine states at that trace index, and the event there. */
async function captureDivergence(src: WindowSource, prefix: readonly NormalizedEvent[], base: CompiledPolicy | null, head: CompiledPolicy | null, point: DivergencePoint | null): Promise<DivergenceCapture | null> {
  if (point === null) return null;
  const index = point.index;
  const plan = planAt(point);
  const engineFor = (policy: CompiledPolicy | null, step: unknown) => (policy === null ? null : new Engine(policy, { stopAfterTrace: step === null ? undefined : index }));
  const be = engineFor(base, plan.baseStep), he = engineFor(head, plan.headStep);
  const travellers = [];
  if (be) travellers.push({ engine: be, lastEvent: plan.baseStep ? plan.baseStep.event : plan.event });
  if (he) travellers.push({ engine: he, lastEvent: plan.headStep ? plan.headStep.event : plan.event });
  const event = await timeTravel(src, travellers, { prefix, watch: plan.event });
  return {
    index,
    baseStep: plan.baseStep,
    headStep: plan.headStep,
    eventId: plan.event,
    event,
    baseSnapshot: be ? be.snapshot() : null,
    headSnapshot: he ? he.snapshot() : null,
  };
}

/**
 * One pass: parse each event once and feed every engine, keeping the first events for time
 * travel. `streamEvents` verifies the pin on the same read; results count only once it returns.
 */
async function replayOnce(src: WindowSource, policies: readonly CompiledPolicy[], keep: number, onProgress: DiffRunOptions["onProgress"], scan: boolean, timings: DiffTimings | undefined, watching: Watching, kindRuns: readonly KindRun<unknown>[]): Promise<{ results: EngineResult[]; prefix: readonly NormalizedEvent[]; scan: ScanResult | null }> {
  // Traces are kept only for the evidence bundle (trace.jsonl); divergences are found while the
  // engines run, by watching their steps.
  const engines = policies.map((p, i) => new Engine(p, { trace: scan, onStep: watching.hooks[i], windowEvents: src.manifest.events.count }));
  const watches = watching.watches;
  const scanner = scan ? new AuditScanner(src.manifest.events.count, policies) : null;
  const stepAll = {
    push(e: NormalizedEvent, id: number) {
      for (const engine of engines) engine.push(e, id);
      for (const w of watches) w.endOfEvent();
    },
  };
  const pass = await replayPass(src, {
    engines: [stepAll, ...kindRuns],
    observers: scanner ? [scanner] : [],
    keepPrefix: keep,
    clock: timings ? () => performance.now() : undefined,
    onProgress: onProgress ? (n) => onProgress(`replaying ${src.manifest.id}: ${n} events`) : undefined,
  });
  const streamed = performance.now();
  const results = engines.map((e) => e.finish());
  if (timings) {
    timings.correlation += pass.enginesMs;
    timings.ingest += pass.ingestMs;
    timings.aggregation += performance.now() - streamed;
  }
  return { results, prefix: pass.prefix, scan: scanner?.finish() ?? null };
}

interface Planned { readonly pair: PolicyPair; readonly base: boolean; readonly head: boolean }
interface KindPlanned { readonly pair: KindPair; readonly base: boolean; readonly head: boolean }

/** Which side of an other-kind pair a window is evidence for: scope not contradicted, and a signal the kind reads. */
function kindCoverage(pair: KindPair, scope: WindowManifest["scope"], signals: readonly Signal[]): { base: boolean; head: boolean } {
  const covers = (p: OtherPolicy | null) => p !== null && scopeCovers(p.scope, scope) && windowFeedsKind(p, signals);
  return { base: covers(pair.base), head: covers(pair.head) };
}

/** Per engine, the hook its steps go to; and the watches to tell when an event ends. */
interface Watching { readonly hooks: (((entry: TraceEntry) => void) | undefined)[]; readonly watches: DivergenceWatch[] }

/** Replays one window under every covering policy in one pass; then captures divergences. */
async function replayComparisons(src: WindowSource, dir: string, planned: readonly Planned[], kindPlanned: readonly KindPlanned[], determinism: boolean, keep: number, onProgress: DiffRunOptions["onProgress"], onEvidence: DiffRunOptions["onEvidence"], timings: DiffTimings | undefined): Promise<{ comparisons: ComparisonInput[]; kindComparisons: KindComparisonInput[] }> {
  const compiled: CompiledPolicy[] = [];
  const loaded: LoadedPolicy[] = [];
  const slots = planned.map((p) => {
    const slot = { base: -1, head: -1, rerun: -1 };
    const add = (policy: LoadedPolicy) => {
      loaded.push(policy);
      return compiled.push(policy.compiled) - 1;
    };
    if (p.base) slot.base = add(p.pair.base!);
    if (p.head) slot.head = add(p.pair.head!);
    if (p.head && determinism) slot.rerun = add(p.pair.head!);
    return slot;
  });
  const hooks: Watching["hooks"] = compiled.map(() => undefined);
  const watches = slots.map((slot) => {
    if (slot.base < 0 || slot.head < 0) return null;
    const w = new DivergenceWatch();
    hooks[slot.base] = w.onBase;
    hooks[slot.head] = w.onHead;
    return w;
  });
  // Other kinds ride the same pass through the seam: base, head and the determinism re-run.
  const frame = { id: src.manifest.id, start: src.startMs, end: src.endMs, scope: src.manifest.scope };
  const startRun = (p: OtherPolicy | null, on: boolean) => (p !== null && on ? p.seam.kind.start(p.seam.compiled, frame) : null);
  const kindRuns = kindPlanned.map((k) => ({ base: startRun(k.pair.base, k.base), head: startRun(k.pair.head, k.head), rerun: startRun(k.pair.head, k.head && determinism) }));
  const feeding = kindRuns.flatMap((r) => [r.base, r.head, r.rerun].filter((x): x is KindRun<unknown> => x !== null));
  const { results, prefix, scan } = await replayOnce(src, compiled, keep, onProgress, onEvidence !== undefined, timings, { hooks, watches: watches.filter((w): w is DivergenceWatch => w !== null) }, feeding);
  const kindComparisons = kindPlanned.map((k, i) => {
    const r = kindRuns[i]!;
    return { policy: k.pair.name, base: r.base?.finish() ?? null, head: r.head?.finish() ?? null, headRerun: r.rerun?.finish() ?? null };
  });
  const afterReplay = performance.now();
  if (onEvidence && scan) onEvidence(windowEvidence(src, dir, planned, slots, loaded, results, scan));
  const out: ComparisonInput[] = [];
  for (let i = 0; i < planned.length; i++) {
    const p = planned[i]!, s = slots[i]!;
    const base = s.base < 0 ? null : results[s.base]!;
    const head = s.head < 0 ? null : results[s.head]!;
    const rerun = s.rerun < 0 ? null : results[s.rerun]!;
    const differs = base !== null && head !== null && base.trace_signature !== head.trace_signature;
    const divergence = differs ? await captureDivergence(src, prefix, p.pair.base!.compiled, p.pair.head!.compiled, watches[i]!.result()) : null;
    out.push({ policy: p.pair.name, base, head, headRerun: rerun, divergence });
  }
  if (timings) timings.report += performance.now() - afterReplay;
  return { comparisons: out, kindComparisons };
}

/** Runs the whole diff and returns the report (pure data; render it with any renderer). */
export async function runDiff(options: DiffRunOptions): Promise<Report> {
  const { base, head } = await resolvePolicies(options.base, options.head, options.cwd);
  if (base.policies.length + base.others.length === 0 && head.policies.length + head.others.length === 0) fail({ file: "replay-gate diff", message: "no policies on either side" });
  const pairs = pairPolicies(base.policies, head.policies);
  const settle = (p: OtherPolicy): OtherPolicy => ({ ...p, seam: withKindSettings(p.seam, options.kindSettings) });
  const kindPairs = pairKindPolicies(base.others.map(settle), head.others.map(settle), new Set(pairs.map((p) => p.name)));
  // Fail closed: a kind whose comparison the report cannot yet carry is refused, never passed.
  const notYet = kindPairs.find((p) => (p.head ?? p.base)!.seam.kind.compare === undefined);
  if (notYet) fail({ file: (notYet.head ?? notYet.base)!.file, message: `diff, check and the gate cannot compare ${(notYet.head ?? notYet.base)!.seam.kind.label} files yet`, hint: "replay-gate replay --policy <file> shows what each version fires; leave the file out of policies: until the gate supports its kind" });
  const dirs = await expandWindowArgs(options.windows.map((w) => (w.startsWith("/") ? w : join(options.cwd, w))));
  const sources = await loadWindowSources(dirs, options.warn, { ...options.limits, cacheDir: options.cacheDir, progress: options.readProgress });
  const windows: WindowInput[] = [];
  for (const src of sources) {
    const planned = pairs.map((pair) => ({ pair, ...coverage(pair, src.manifest.scope) })).filter((p) => p.base || p.head);
    const kindPlanned = kindPairs.map((pair) => ({ pair, ...kindCoverage(pair, src.manifest.scope, src.manifest.signals) })).filter((p) => p.base || p.head);
    const dir = displayDir(src.dir, options.cwd);
    if (planned.length === 0 && kindPlanned.length === 0) options.warn(`${dir}: no policy covers this window's scope (or reads its signals); it is reported, not replayed`);
    const capacity = { id: src.manifest.id, events: src.manifest.events.count, spanMs: src.endMs - src.startMs };
    for (const p of planned) {
      const sides = [p.base ? p.pair.base : null, p.head ? p.pair.head : null];
      for (const policy of sides) if (policy) for (const problem of unreachableThresholds(policy, capacity)) options.warn(formatProblem(problem));
    }
    const { comparisons, kindComparisons } = planned.length === 0 && kindPlanned.length === 0
      ? { comparisons: [], kindComparisons: [] }
      : await replayComparisons(src, dir, planned, kindPlanned, options.thresholds.determinism, options.prefixBuffer ?? PREFIX_BUFFER_EVENTS, options.onProgress, options.onEvidence, options.timings);
    const m = src.manifest;
    windows.push({
      info: { id: m.id, title: m.title, dir, scope: m.scope, expect: m.expect },
      manifestSha256: `sha256:${sha256Hex(src.manifestText)}`,
      events: m.events,
      comparisons,
      kindComparisons,
    });
  }
  const t = performance.now();
  const report = buildDiffReport({ base: base.source, head: head.source, pairs, kindPairs, windows, config: options.config, thresholds: options.thresholds });
  if (options.timings) options.timings.report += performance.now() - t;
  return report;
}

/** The evidence of one window: an audit record and the engine result per policy side (`<policy>/base`, `<policy>/head`). */
function windowEvidence(src: WindowSource, dir: string, planned: readonly Planned[], slots: readonly { base: number; head: number }[], loaded: readonly LoadedPolicy[], results: readonly EngineResult[], scan: ScanResult): WindowEvidence {
  const m = src.manifest;
  const policies: PolicyEvidence[] = [];
  planned.forEach((p, i) => {
    for (const side of ["base", "head"] as const) {
      const at = slots[i]![side];
      if (at < 0) continue;
      const policy = loaded[at]!;
      const audit = buildAuditRecord({
        window: { id: m.id, dir, manifestSha256: `sha256:${sha256Hex(src.manifestText)}`, capturedSpecHash: m.policy_spec_hash ?? null },
        events: { path: m.events.path, sha256: m.events.sha256, bytes: m.events.bytes },
        policy,
        scan,
        selection: scan.selected[at]!,
        result: results[at]!,
        environment: null,
        posture: "open",
        approvalStatus: "not-required",
        mode: policy.doc.mode,
      });
      policies.push({ slot: `${p.pair.name}/${side}`, audit, result: results[at]! });
    }
  });
  return { id: m.id, manifestText: src.manifestText, policies };
}

/** Window dirs in the report are relative to the working directory, so reports agree across machines. */
function displayDir(dir: string, cwd: string): string {
  const prefix = cwd.endsWith("/") ? cwd : `${cwd}/`;
  return dir.startsWith(prefix) ? dir.slice(prefix.length) : dir;
}
