/**
 * The engine's step log. Every step's text goes into one incremental sha256; a step's
 * `state_signature` is the digest of that stream up to and including the step, so two runs with
 * equal signatures at index i took equal steps up to i, and the first index where base and head
 * signatures differ is where their behaviour diverged (the same index a chain of per-step
 * hashes would give, for about a fifth of the hashing: see docs/engine.md).
 *
 * The entries are kept only when asked (`--trace`, evidence, time travel): only then is a digest
 * taken per step. Otherwise each step's text is written to a byte batch that is hashed when full
 * ({@link HashedText}) and only the last step's fields stay, so memory does not grow with the
 * number of steps. The signatures are the same either way. A watcher (`onStep`, the divergence
 * watch) is given each step's fields ({@link TraceStep}), not its signature.
 */
import { sha256Hex } from "../hash.js";
import { HashedText } from "./hash-text.js";
import type { TraceEntry, TraceLabel } from "./types.js";

/** A step without its signature: what reports and explanations show of it. */
export type StepFields = Omit<TraceEntry, "state_signature">;

/**
 * A step as a watcher ({@link TraceRecorder}'s `onStep`) sees it: every field of its text,
 * `total` included, and no signature. Two runs whose steps before index i were equal have equal
 * signatures at i exactly when their steps at i have equal fields, so a watcher comparing runs
 * step by step compares fields and no digest is taken per step.
 */
export interface TraceStep extends StepFields {
  /** The size of what the step grew (alerts, groups, incidents, decisions). */
  readonly total: number;
}

/** Thrown inside the engine to stop right after the requested trace index (time travel). */
export const Halt: unique symbol = Symbol("replay-gate.halt");

const NEWLINE = 0x0a;
const SPACE = 0x20;

export class TraceRecorder {
  /** Every entry when kept; empty otherwise. */
  readonly entries: TraceEntry[] = [];
  private length = 0;
  /** Every step's text, `\n{index} {at} {label} {event} {rule} {ref} {total}`, in order. */
  private readonly steps = new HashedText();
  /** The last step, as an entry when one was made for it, else as its fields ({@link last} makes the entry). */
  private lastEntry: TraceEntry | undefined;
  private lastAt = 0;
  private lastLabel: TraceLabel = "alert.fire";
  private lastEvent = 0;
  private lastRule = "";
  private lastRef = "";
  /**
   * The text of the last `at` seen: the steps of one event share its time (an alert, its group,
   * the incident it grows), and a millisecond timestamp is no small integer, so its text is made
   * once per time rather than twice per step.
   */
  private atValue = Number.NaN;
  private atText = "";
  /** Every step's `{index} {at} {label}\n`, in order. */
  private readonly timeline = new HashedText();
  private readonly keep: boolean;
  private readonly stopAfter: number | undefined;
  private readonly onStep: ((step: TraceStep) => void) | undefined;

  constructor(keep: boolean, stopAfter: number | undefined, onStep?: (step: TraceStep) => void) {
    this.keep = keep;
    this.stopAfter = stopAfter;
    this.onStep = onStep;
  }

  /** Appends a step; `total` is the size of what the step grew (alerts, groups, incidents, decisions). */
  record(at: number, label: TraceLabel, event: number, rule: string, ref: string, total: number): void {
    const index = this.length++;
    if (at !== this.atValue) {
      this.atValue = at;
      this.atText = String(at);
    }
    const atText = this.atText;
    const steps = this.steps;
    steps.char(NEWLINE);
    steps.number(index);
    steps.char(SPACE);
    steps.text(atText);
    steps.char(SPACE);
    steps.text(label);
    steps.char(SPACE);
    steps.number(event);
    steps.char(SPACE);
    steps.text(rule);
    steps.char(SPACE);
    steps.text(ref);
    steps.char(SPACE);
    steps.number(total);
    const timeline = this.timeline;
    timeline.number(index);
    timeline.char(SPACE);
    timeline.text(atText);
    timeline.char(SPACE);
    timeline.text(label);
    timeline.char(NEWLINE);
    if (this.keep) {
      const entry: TraceEntry = { index, at_ms: at, label, event, rule, ref, state_signature: this.signatureNow() };
      this.lastEntry = entry;
      this.entries.push(entry);
    } else {
      // Most replays keep no trace: the step's entry (and its digest) is made only if asked for.
      this.lastEntry = undefined;
      this.lastAt = at;
      this.lastLabel = label;
      this.lastEvent = event;
      this.lastRule = rule;
      this.lastRef = ref;
    }
    // A digest per step would cost more than the step: watchers compare fields (see TraceStep).
    if (this.onStep !== undefined) this.onStep({ index, at_ms: at, label, event, rule, ref, total });
    if (this.stopAfter !== undefined && index >= this.stopAfter) throw Halt;
  }

  /** The state signature of the last step recorded: the digest of every step's text so far. */
  private signatureNow(): string {
    return this.steps.hex();
  }

  /** Number of steps recorded, kept or not. */
  count(): number {
    return this.length;
  }

  last(): TraceEntry | undefined {
    if (this.lastEntry === undefined && this.length > 0) {
      this.lastEntry = { index: this.length - 1, at_ms: this.lastAt, label: this.lastLabel, event: this.lastEvent, rule: this.lastRule, ref: this.lastRef, state_signature: this.signatureNow() };
    }
    return this.lastEntry;
  }

  /** Hash of the whole trace, every field of every entry: the step count and the last state signature. */
  traceSignature(): string {
    const last = this.last()?.state_signature ?? "";
    return `sha256:${sha256Hex(`${this.length}\n${last}`)}`;
  }

  /** Hash of `(index, at_ms, label)` only: equal when two runs took the same kinds of steps at the same times. */
  timelineSignature(): string {
    return `sha256:${this.timeline.hex()}`;
  }
}
