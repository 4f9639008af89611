/**
 * The first events of a window, kept from a replay pass for time travel (see replay-pass.ts).
 *
 * Events read from the events file are kept as their lines' bytes — the decompressed chunks
 * they sit in, and where each line starts — and read again when time travel asks for them.
 * Parsed events are many small objects, and objects that outlive the young generation are
 * copied by every scavenge until promoted: keeping 20,000 of them cost a diff more than
 * reading them twice. Bytes live outside the JS heap and cost the collector nothing. Events
 * that came from the window cache are kept as they are (they have no line).
 *
 * Bounded twice: at most `limit` events, and at most {@link MAX_PREFIX_BYTES} of chunks; past
 * either, keeping stops and time travel reads the rest from the window again.
 */
import { isEventIssue, normalizeEvent, type NormalizedEvent } from "../core/event.js";
import { EventLineParser } from "./event-line.js";
import { lineEnd, withoutCr } from "./lines.js";

/** Most bytes of decompressed chunks a prefix holds on to. */
export const MAX_PREFIX_BYTES = 64 * 1024 * 1024;

export class EventPrefix {
  /** Events kept so far; ids 0 … length-1. */
  length = 0;
  /** False once keeping stopped (limit reached, or {@link close}d): later events are not kept. */
  open: boolean;
  private readonly limit: number;
  private readonly chunks: Buffer[] = [];
  private chunkBytes = 0;
  /** Per kept event: the index of its chunk, or -1 when it is kept as an object. */
  private readonly chunkOf: number[] = [];
  /** Per kept event: where its line starts in its chunk. */
  private readonly starts: number[] = [];
  private objects: (NormalizedEvent | undefined)[] | undefined;
  private parser: EventLineParser | undefined;

  private readonly maxBytes: number;

  constructor(limit: number, maxBytes = MAX_PREFIX_BYTES) {
    this.limit = limit;
    this.maxBytes = maxBytes;
    this.open = limit > 0;
  }

  /** Keeps the next event as the line starting at `start` in `bytes` (a line already read and verified). */
  line(bytes: Buffer, start: number): void {
    let chunk = this.chunks.length - 1;
    if (chunk < 0 || this.chunks[chunk] !== bytes) {
      if (this.chunkBytes + bytes.length > this.maxBytes) return this.close();
      this.chunks.push(bytes);
      this.chunkBytes += bytes.length;
      chunk++;
    }
    this.chunkOf.push(chunk);
    this.starts.push(start);
    if (++this.length >= this.limit) this.open = false;
  }

  /** Keeps the next event as it is (an event from the window cache). */
  event(e: NormalizedEvent): void {
    (this.objects ??= [])[this.length] = e;
    this.chunkOf.push(-1);
    this.starts.push(0);
    if (++this.length >= this.limit) this.open = false;
  }

  /** Stops keeping: what is kept stays. */
  close(): void {
    this.open = false;
  }

  /** The kept event `id` (< length), read again from its line: a new object each call. */
  get(id: number): NormalizedEvent {
    const chunk = this.chunkOf[id]!;
    if (chunk < 0) return this.objects![id]!;
    const bytes = this.chunks[chunk]!;
    const start = this.starts[id]!;
    const fast = (this.parser ??= new EventLineParser()).parse(bytes, start);
    if (fast !== null) return fast;
    // The line passed every check when it was first read; only the full path can read it.
    const event = normalizeEvent(JSON.parse(bytes.toString("utf8", start, withoutCr(bytes, start, lineEnd(bytes, start)))));
    if (isEventIssue(event)) throw new Error(`kept event ${id} no longer reads as an event: ${event.path} ${event.message}`);
    return event;
  }

  *[Symbol.iterator](): IterableIterator<NormalizedEvent> {
    for (let id = 0; id < this.length; id++) yield this.get(id);
  }
}
