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

/**
 * Timeline text is hashed in batches of about this many characters: one call into the hash per
 * step costs more than the hashing itself, and the digest of the concatenation is the same.
 */
const TIMELINE_BATCH = 1 << 15;

export class TraceRecorder {
  /** Every entry when kept; empty otherwise. */
  readonly entries: TraceEntry[] = [];
  private length = 0;
  private signature = "";
  /** The last step, as an entry when one was made for it, else as its fields ({@link last} makes the entry). */
  private lastEntry: TraceEntry | undefined;
  private lastAt = 0;
  private lastLabel: TraceLabel = "alert.fire";
  private lastEvent = 0;
  private lastRule = "";
  private lastRef = "";
  private readonly timeline = new Sha256Stream();
  private timelineText = "";
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
    this.timelineText += `${index} ${at} ${label}\n`;
    if (this.timelineText.length >= TIMELINE_BATCH) this.flushTimeline();
    if (this.keep || this.onStep !== undefined) {
      const entry: TraceEntry = { index, at_ms: at, label, event, rule, ref, state_signature: this.signature };
      this.lastEntry = entry;
      if (this.keep) this.entries.push(entry);
      this.onStep?.(entry);
    } else {
      // Most replays keep no trace: the step's entry is made only if someone asks for it.
      this.lastEntry = undefined;
      this.lastAt = at;
      this.lastLabel = label;
      this.lastEvent = event;
      this.lastRule = rule;
      this.lastRef = ref;
    }
    if (this.stopAfter !== undefined && index >= this.stopAfter) throw Halt;
  }

  private flushTimeline(): void {
    this.timeline.update(this.timelineText);
    this.timelineText = "";
  }

  /** Number of steps recorded, kept or not. */
  count(): number {
    return this.length;
  }

  last(): TraceEntry | undefined {
    if (this.lastEntry === undefined && this.length > 0) {
      this.lastEntry = { index: this.length - 1, at_ms: this.lastAt, label: this.lastLabel, event: this.lastEvent, rule: this.lastRule, ref: this.lastRef, state_signature: this.signature };
    }
    return this.lastEntry;
  }

  /** Hash of the whole trace, every field of every entry. */
  traceSignature(): string {
    return `sha256:${sha256Hex(`${this.length}\n${this.signature}`)}`;
  }

  /** Hash of `(index, at_ms, label)` only: equal when two runs took the same kinds of steps at the same times. */
  timelineSignature(): string {
    this.flushTimeline();
    return `sha256:${this.timeline.hex()}`;
  }
}
