/**
 * The engine's step log. Each entry's `state_signature` chains the previous signature with the
 * step, so two runs with equal signatures at index i went through equal histories up to i;
 * the first index where base and head signatures differ is where their behaviour diverged.
 *
 * The entries are kept only when asked (`--trace`, evidence, time travel): otherwise each step
 * is folded into the two signatures as it happens and only the last entry stays, so memory does
 * not grow with the number of steps. The signatures are the same either way.
 */
import { Sha256Stream, sha256Hex } from "../hash.js";
import type { TraceEntry, TraceLabel } from "./types.js";

/** Thrown inside the engine to stop right after the requested trace index (time travel). */
export const Halt: unique symbol = Symbol("replay-gate.halt");

export class TraceRecorder {
  /** Every entry when kept; empty otherwise. */
  readonly entries: TraceEntry[] = [];
  private length = 0;
  private signature = "";
  private lastEntry: TraceEntry | undefined;
  private readonly timeline = new Sha256Stream();
  private readonly keep: boolean;
  private readonly stopAfter: number | undefined;
  private readonly onStep: ((entry: TraceEntry) => void) | undefined;

  constructor(keep: boolean, stopAfter: number | undefined, onStep?: (entry: TraceEntry) => void) {
    this.keep = keep;
    this.stopAfter = stopAfter;
    this.onStep = onStep;
  }

  /** Appends a step; `total` is the size of what the step grew (alerts, groups, incidents, decisions). */
  record(at: number, label: TraceLabel, event: number, rule: string, ref: string, total: number): void {
    const index = this.length++;
    this.signature = sha256Hex(`${this.signature}\n${index} ${at} ${label} ${event} ${rule} ${ref} ${total}`);
    this.timeline.update(`${index} ${at} ${label}\n`);
    const entry: TraceEntry = { index, at_ms: at, label, event, rule, ref, state_signature: this.signature };
    this.lastEntry = entry;
    if (this.keep) this.entries.push(entry);
    this.onStep?.(entry);
    if (this.stopAfter !== undefined && index >= this.stopAfter) throw Halt;
  }

  /** Number of steps recorded, kept or not. */
  count(): number {
    return this.length;
  }

  last(): TraceEntry | undefined {
    return this.lastEntry;
  }

  /** Hash of the whole trace, every field of every entry. */
  traceSignature(): string {
    return `sha256:${sha256Hex(`${this.length}\n${this.signature}`)}`;
  }

  /** Hash of `(index, at_ms, label)` only: equal when two runs took the same kinds of steps at the same times. */
  timelineSignature(): string {
    return `sha256:${this.timeline.hex()}`;
  }
}
