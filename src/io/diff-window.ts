/**
 * One window of a `diff`: replayed once under every covering policy version — base, head and
 * head again for the determinism check, all fed by one parse of the events — with the
 * divergence of a changed pair captured by time travel. The in-process loop of diff-run.ts and
 * the replay workers (replay-worker.ts) both call {@link replayDiffWindow}; a worker rebuilds the
 * same {@link DiffPlan} from the policies' texts ({@link diffPlanFromTexts}).
 */
import { withKindSettings, type ChainedConfig, type KindSettings } from "../core/kinds/settings.js";
import { isCorrelation, loadAnyPolicy, pairKindPolicies, windowFeedsKind, type KindPair, type OtherPolicy } from "../core/kinds/any-policy.js";
import type { KindRun } from "../core/kinds/kind.js";
import type { KindComparisonInput } from "../core/parity/kind-window.js";
import { scopeCovers } from "../core/policy/scope.js";
import type { Signal } from "../core/event.js";
import type { WindowManifest } from "../core/window/manifest.js";
import { Engine } from "../core/engine/engine.js";
import type { EngineResult, TraceStep } from "../core/engine/types.js";
import type { NormalizedEvent } from "../core/event.js";
import { buildAuditRecord } from "../core/evidence/audit-record.js";
import type { PolicyEvidence, WindowEvidence } from "../core/evidence/bundle.js";
import { AuditScanner, type ScanResult } from "../core/evidence/sample.js";
import { sha256Hex } from "../core/hash.js";
import { DivergenceWatch, planAt, type DivergenceCapture, type DivergencePoint } from "../core/parity/divergence.js";
import { coverage, pairPolicies, type PolicyPair } from "../core/parity/policies.js";
import type { CompiledPolicy } from "../core/policy/compile.js";
import type { LoadedPolicy } from "../core/policy/load.js";
import type { ComparisonInput } from "../core/report/diff-report.js";
import type { EventPrefix } from "./event-prefix.js";
import { replayPass, timeTravel } from "./replay-pass.js";
import type { WindowSource } from "./window.js";

/** A progress line (`replaying <id>: <n> events`), or nothing. */
type Say = ((message: string) => void) | undefined;

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

/** What every window of one diff is replayed under. */
export interface DiffPlan {
  readonly pairs: readonly PolicyPair[];
  readonly kindPairs: readonly KindPair[];
  /** Replay head twice and compare (thresholds.determinism). */
  readonly determinism: boolean;
  /** Events kept from the first pass for time travel. */
  readonly keep: number;
  /** Collect the evidence bundle's audit records on the pass. */
  readonly evidence: boolean;
  /** Measure the run record's stages. */
  readonly timings: boolean;
}

/** A policy as it crosses to a worker: its text and the name the report gives its file. */
export interface PolicyText {
  readonly text: string;
  readonly file: string;
}

/** What a diff worker is started with: the plan, with policies as texts (compiled policies hold functions). */
export interface DiffPlanTexts extends Omit<DiffPlan, "pairs" | "kindPairs"> {
  readonly base: readonly PolicyText[];
  readonly head: readonly PolicyText[];
  readonly kindSettings: KindSettings | undefined;
  /** The Alertmanager configuration each side's rule files feed (`prometheus_rules.alertmanager`). */
  readonly chained: SideChain | undefined;
}

/** Per side, the Alertmanager configuration its rule files feed. */
export type SideChain = { readonly base: ChainedConfig; readonly head: ChainedConfig };

/** Pairs the policies of both sides (the kinds' settings applied), as runDiff does. */
export function pairSides(
  base: readonly ReturnType<typeof loadAnyPolicy>[],
  head: readonly ReturnType<typeof loadAnyPolicy>[],
  kindSettings: KindSettings | undefined,
  chained?: SideChain,
): { pairs: PolicyPair[]; kindPairs: KindPair[] } {
  const correlation = (side: typeof base) => side.filter(isCorrelation);
  const others = (side: typeof base, which: "base" | "head") =>
    side.filter((p): p is OtherPolicy => !isCorrelation(p)).map((p) => ({ ...p, seam: withKindSettings(p.seam, kindSettings, chained?.[which]) }));
  const pairs = pairPolicies(correlation(base), correlation(head));
  return { pairs, kindPairs: pairKindPolicies(others(base, "base"), others(head, "head"), new Set(pairs.map((p) => p.name))) };
}

/** The plan a worker replays under, rebuilt from the texts the main thread loaded and paired. */
export function diffPlanFromTexts(t: DiffPlanTexts): DiffPlan {
  const load = (side: readonly PolicyText[]) => side.map((p) => loadAnyPolicy(p.text, p.file));
  return { ...pairSides(load(t.base), load(t.head), t.kindSettings, t.chained), determinism: t.determinism, keep: t.keep, evidence: t.evidence, timings: t.timings };
}

/** What one window contributes to the report (and to the evidence bundle and run record). */
export interface WindowOutcome {
  readonly comparisons: ComparisonInput[];
  readonly kindComparisons: KindComparisonInput[];
  /** The window's audit records and engine results, when the plan collects evidence. */
  readonly evidence: WindowEvidence | null;
  /** This window's stage times, when the plan measures them. */
  readonly timings: DiffTimings | null;
}

/** Which policy pairs (and other-kind pairs) cover a window; empty when none does. */
export function planWindow(plan: DiffPlan, src: WindowSource): { planned: Planned[]; kindPlanned: KindPlanned[] } {
  const planned = plan.pairs.map((pair) => ({ pair, ...coverage(pair, src.manifest.scope) })).filter((p) => p.base || p.head);
  const kindPlanned = plan.kindPairs.map((pair) => ({ pair, ...kindCoverage(pair, src.manifest.scope, src.manifest.signals) })).filter((p) => p.base || p.head);
  return { planned, kindPlanned };
}

/** Replays one window under the plan (see the module comment); `dir` is the window's directory as the report shows it. */
export async function replayDiffWindow(plan: DiffPlan, src: WindowSource, dir: string, onProgress?: Say): Promise<WindowOutcome> {
  const { planned, kindPlanned } = planWindow(plan, src);
  if (planned.length === 0 && kindPlanned.length === 0) return { comparisons: [], kindComparisons: [], evidence: null, timings: null };
  const timings: DiffTimings | undefined = plan.timings ? { ingest: 0, correlation: 0, aggregation: 0, report: 0 } : undefined;
  const out = await replayComparisons(src, dir, planned, kindPlanned, plan.determinism, plan.keep, onProgress, plan.evidence, timings);
  return { ...out, timings: timings ?? null };
}

/**
 * Events of a window's head kept from the first pass: a divergence is usually early (the first
 * alert a change treats differently), so its time travel replays from memory instead of
 * parsing the window again. Bounded, so memory stays flat for windows of any size.
 */
export const PREFIX_BUFFER_EVENTS = 20_000;

/** Time travel to the divergence: both engine states at that trace index, and the event there. */
async function captureDivergence(src: WindowSource, prefix: EventPrefix, base: CompiledPolicy | null, head: CompiledPolicy | null, point: DivergencePoint | null): Promise<DivergenceCapture | null> {
  if (point === null) return null;
  const index = point.index;
  const plan = planAt(point);
  const engineFor = (policy: CompiledPolicy | null, step: unknown) => (policy === null ? null : new Engine(policy, { stopAfterTrace: step === null ? undefined : index }));
  const be = engineFor(base, plan.baseStep),
    he = engineFor(head, plan.headStep);
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
async function replayOnce(
  src: WindowSource,
  policies: readonly CompiledPolicy[],
  keep: number,
  onProgress: Say,
  scan: boolean,
  timings: DiffTimings | undefined,
  watching: Watching,
  kindRuns: readonly KindRun<unknown>[],
): Promise<{ results: EngineResult[]; prefix: EventPrefix; scan: ScanResult | null }> {
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
    // Time travel only ever goes to a divergence: once every pair's is known with both sides'
    // steps (or there is no pair to watch), the events kept so far are all it will replay.
    prefixComplete: () => watches.every((w) => w.settled()),
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

export interface Planned {
  readonly pair: PolicyPair;
  readonly base: boolean;
  readonly head: boolean;
}
export interface KindPlanned {
  readonly pair: KindPair;
  readonly base: boolean;
  readonly head: boolean;
}

/** Which side of an other-kind pair a window is evidence for: scope not contradicted, and a signal the kind reads. */
function kindCoverage(pair: KindPair, scope: WindowManifest["scope"], signals: readonly Signal[]): { base: boolean; head: boolean } {
  const covers = (p: OtherPolicy | null) => p !== null && scopeCovers(p.scope, scope) && windowFeedsKind(p, signals);
  return { base: covers(pair.base), head: covers(pair.head) };
}

/** Per engine, the hook its steps go to; and the watches to tell when an event ends. */
interface Watching {
  readonly hooks: (((step: TraceStep) => void) | undefined)[];
  readonly watches: DivergenceWatch[];
}

/** Replays one window under every covering policy in one pass; then captures divergences. */
async function replayComparisons(
  src: WindowSource,
  dir: string,
  planned: readonly Planned[],
  kindPlanned: readonly KindPlanned[],
  determinism: boolean,
  keep: number,
  onProgress: Say,
  scanEvidence: boolean,
  timings: DiffTimings | undefined,
): Promise<Omit<WindowOutcome, "timings">> {
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
  const { results, prefix, scan } = await replayOnce(src, compiled, keep, onProgress, scanEvidence, timings, { hooks, watches: watches.filter((w): w is DivergenceWatch => w !== null) }, feeding);
  const kindComparisons = kindPlanned.map((k, i) => {
    const r = kindRuns[i]!;
    return { policy: k.pair.name, base: r.base?.finish() ?? null, head: r.head?.finish() ?? null, headRerun: r.rerun?.finish() ?? null };
  });
  const afterReplay = performance.now();
  const evidence = scan ? windowEvidence(src, dir, planned, slots, loaded, results, scan) : null;
  const out: ComparisonInput[] = [];
  for (let i = 0; i < planned.length; i++) {
    const p = planned[i]!,
      s = slots[i]!;
    const base = s.base < 0 ? null : results[s.base]!;
    const head = s.head < 0 ? null : results[s.head]!;
    const rerun = s.rerun < 0 ? null : results[s.rerun]!;
    const differs = base !== null && head !== null && base.trace_signature !== head.trace_signature;
    const divergence = differs ? await captureDivergence(src, prefix, p.pair.base!.compiled, p.pair.head!.compiled, watches[i]!.result()) : null;
    out.push({ policy: p.pair.name, base, head, headRerun: rerun, divergence });
  }
  if (timings) timings.report += performance.now() - afterReplay;
  return { comparisons: out, kindComparisons, evidence };
}

/** The evidence of one window: an audit record and the engine result per policy side (`<policy>/base`, `<policy>/head`). */
function windowEvidence(
  src: WindowSource,
  dir: string,
  planned: readonly Planned[],
  slots: readonly { base: number; head: number }[],
  loaded: readonly LoadedPolicy[],
  results: readonly EngineResult[],
  scan: ScanResult,
): WindowEvidence {
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
