/**
 * One pass over a window for everything evidence needs: the engines (timed, for the run
 * record's stages), the audit scanner (records selected, canonical bytes, sampled hashes) and
 * the timeline binner, on the one replay pass; results are handed out only once the whole window
 * verified.
 */
import { Engine } from "../../core/engine/engine.js";
import type { EngineResult } from "../../core/engine/types.js";
import { AuditScanner, type ScanResult } from "../../core/evidence/sample.js";
import { TimelineBinner, type BinnedEvents } from "../../core/evidence/timeline.js";
import type { CompiledPolicy } from "../../core/policy/compile.js";
import { replayPass } from "../replay-pass.js";
import type { StreamOptions, WindowSource } from "../window.js";
import type { Clock } from "./clock.js";

/** Milliseconds per stage of one window's pass. */
export interface PassTimings {
  /** Reading, gunzip, pin check, parsing and validation, scanning and binning. */
  readonly ingest: number;
  /** Time inside the engines' per-event step: suppress, detect, group, correlate. */
  readonly correlation: number;
  /** The engines' finish: incidents and decisions assembled. */
  readonly aggregation: number;
}

export interface EvidencePass {
  readonly results: EngineResult[];
  readonly scan: ScanResult;
  readonly binned: BinnedEvents;
  readonly timings: PassTimings;
}

/** Replays `policies` over the window in one pass, with scanning, binning and stage timing. */
export async function runEvidencePass(src: WindowSource, policies: readonly CompiledPolicy[], clock: Clock, options: StreamOptions = {}): Promise<EvidencePass> {
  // The evidence bundle carries each trace (trace.jsonl): an evidence run asks for it.
  const engines = policies.map((p) => new Engine(p, { trace: true, windowEvents: src.manifest.events.count }));
  const scanner = new AuditScanner(src.manifest.events.count, policies);
  const binner = new TimelineBinner(src.startMs, src.endMs, policies);
  const pass = await replayPass(src, { ...options, engines, observers: [scanner, binner], clock: () => clock.monotonic() });
  const t1 = clock.monotonic();
  const results = engines.map((e) => e.finish());
  const t2 = clock.monotonic();
  return {
    results,
    scan: scanner.finish(),
    binned: binner.finish(),
    timings: { ingest: pass.ingestMs, correlation: pass.enginesMs, aggregation: t2 - t1 },
  };
}
