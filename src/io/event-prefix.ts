/**
 * The first events of a window, kept from a replay pass for time travel (see replay-pass.ts).
 *
 * Bounded twice: at most `limit` events, and at most {@link MAX_PREFIX_BYTES} of the lines they
 * were read from (a line of the window may be up to the line limit, 1 MiB by default, so a count
 * alone would not bound memory); past either, keeping stops and time travel reads the rest from
 * the window again. Events read from a window share their interned strings and scope objects
 * (src/io/event-line.ts), so a kept event costs little more than its own object and attributes.
 */
import type { NormalizedEvent } from "../core/event.js";

/** Most bytes of event lines a prefix holds on to. */
export const MAX_PREFIX_BYTES = 64 * 1024 * 1024;

export class EventPrefix {
  /** Events kept so far; ids 0 … length-1. */
  length = 0;
  /** False once keeping stopped (a bound reached, or {@link close}d): later events are not kept. */
  open: boolean;
  private readonly limit: number;
  private readonly maxBytes: number;
  private bytes = 0;
  private readonly events: NormalizedEvent[] = [];

  constructor(limit: number, maxBytes = MAX_PREFIX_BYTES) {
    this.limit = limit;
    this.maxBytes = maxBytes;
    this.open = limit > 0;
  }

  /** Keeps the next event, read from a line of `lineBytes` bytes (for an event from the window cache, its share of its chunk). */
  add(e: NormalizedEvent, lineBytes: number): void {
    if (this.bytes + lineBytes > this.maxBytes) return this.close();
    this.bytes += lineBytes;
    this.events.push(e);
    if (++this.length >= this.limit) this.open = false;
  }

  /** Stops keeping: what is kept stays. */
  close(): void {
    this.open = false;
  }

  /** The kept event `id` (< length). */
  get(id: number): NormalizedEvent {
    return this.events[id]!;
  }

  [Symbol.iterator](): IterableIterator<NormalizedEvent> {
    return this.events[Symbol.iterator]();
  }
}
