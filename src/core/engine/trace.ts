/**
 * The engine's step log. Each entry's `state_signature` chains the previous signature with the
 * step, so two runs with equal signatures at index i went through equal histories up to i;
 * the first index where base and head signatures differ is where their behaviour diverged.
 */
import { sha256Hex } from "../hash.js";
import type { TraceEntry, TraceLabel } from "./types.js";

/** Thrown inside the engine to stop right after the requested trace index (time travel). */
export const Halt: unique symbol = Symbol("replay-gate.halt");

export class TraceRecorder {
  readonly entries: TraceEntry[] = [];
  private signature = "";
  private readonly stopAfter: number | undefined;

  constructor(stopAfter: number | undefined) {
    this.stopAfter = stopAfter;
  }

  /** Appends a step; `total` is the size of what the step grew (alerts, groups, incidents, decisions). */
  record(at: number, label: TraceLabel, event: number, rule: string, ref: string, total: number): void {
    const index = this.entries.length;
    this.signature = sha256Hex(`${this.signature}\n${index} ${at} ${label} ${event} ${rule} ${ref} ${total}`);
    this.entries.push({ index, at_ms: at, label, event, rule, ref, state_signature: this.signature });
    if (this.stopAfter !== undefined && index >= this.stopAfter) throw Halt;
  }

  last(): TraceEntry | undefined {
    return this.entries[this.entries.length - 1];
  }

  /** Hash of the whole trace, every field of every entry. */
  traceSignature(): string {
    return `sha256:${sha256Hex(`${this.entries.length}\n${this.signature}`)}`;
  }

  /** Hash of `(index, at_ms, label)` only: equal when two runs took the same kinds of steps at the same times. */
  timelineSignature(): string {
    let text = "";
    for (const e of this.entries) text += `${e.index} ${e.at_ms} ${e.label}\n`;
    return `sha256:${sha256Hex(text)}`;
  }
}
