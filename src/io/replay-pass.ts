/**
 * One read of a window feeds everything that needs its events: the engines of every policy
 * version (base, head, the determinism re-run), the audit scanner, the timeline binner, the
 * stage timer, and a bounded buffer of the first events for time travel. `replay`, `diff`,
 * `check`, the Action, evidence and the HTML timeline all replay through {@link replayPass};
 * `explain` and the divergence finder rebuild engine states through {@link timeTravel}.
 *
 * `streamEvents` verifies the window's pin on the same read and throws on any problem, so a
 * pass that returns has seen a verified window: consumers' results count only then.
 */
import type { Engine } from "../core/engine/engine.js";
import type { NormalizedEvent } from "../core/event.js";
import { EventPrefix } from "./event-prefix.js";
import { streamEvents, type StreamOptions, type WindowSource } from "./window.js";

/** Anything that takes a window's events in file order. */
export interface EventConsumer {
  /** `id` is the event's 0-based line position in the events file. */
  push(e: NormalizedEvent, id: number): void;
}

/** What one pass feeds and measures. */
export interface PassOptions extends StreamOptions {
  /** The engines: fed first, and timed apart when `clock` is given. */
  readonly engines: readonly EventConsumer[];
  /** Other consumers (scanner, binner), fed after the engines. */
  readonly observers?: readonly EventConsumer[] | undefined;
  /** Keep this many first events for time travel (default 0). */
  readonly keepPrefix?: number | undefined;
  /** Most bytes the kept prefix may hold (default: event-prefix.ts MAX_PREFIX_BYTES, 64 MiB); past it, keeping stops. */
  readonly maxPrefixBytes?: number | undefined;
  /**
   * Asked after each event is kept (once every consumer has taken it): true when the prefix
   * already holds every event time travel will need, so keeping stops there. Kept events
   * outlive the young generation, so each one not kept saves the collector a copy.
   */
  readonly prefixComplete?: (() => boolean) | undefined;
  /** A monotonic clock in ms: when given, the pass measures time inside the engines apart from ingest. */
  readonly clock?: (() => number) | undefined;
}

/** What a pass returns besides what its consumers hold. */
export interface PassResult {
  readonly events: number;
  /** The first `keepPrefix` events (fewer when `prefixComplete` said so, or the prefix's byte bound was reached). */
  readonly prefix: EventPrefix;
  /** With a clock: ms reading, decompressing, verifying and parsing (and in observers). */
  readonly ingestMs: number;
  /** With a clock: ms inside the engines' per-event step. */
  readonly enginesMs: number;
}

/** Reads, verifies and parses the window once, feeding every consumer each event. */
export async function replayPass(src: WindowSource, options: PassOptions): Promise<PassResult> {
  const engines = options.engines;
  const observers = options.observers ?? [];
  const prefix = new EventPrefix(options.keepPrefix ?? 0, options.maxPrefixBytes);
  const complete = options.prefixComplete;
  const clock = options.clock;
  let inEngines = 0;
  const started = clock ? clock() : 0;
  const events = await streamEvents(
    src,
    (e, id) => {
      if (clock) {
        const t = clock();
        for (let i = 0; i < engines.length; i++) engines[i]!.push(e, id);
        inEngines += clock() - t;
      } else {
        for (let i = 0; i < engines.length; i++) engines[i]!.push(e, id);
      }
      for (let i = 0; i < observers.length; i++) observers[i]!.push(e, id);
      // The stream kept this event (while the prefix is open) before handing it over.
      if (prefix.open && complete !== undefined && complete()) prefix.close();
    },
    { ...options, keep: prefix },
  );
  const total = clock ? clock() - started : 0;
  return { events, prefix, ingestMs: Math.max(0, total - inEngines), enginesMs: inEngines };
}

/** Thrown from the event sink to end a time-travel pass early; never escapes {@link timeTravel}. */
const STOP = Symbol("replay-gate.stop-stream");

/** An engine to bring to a past state: built with `stopAfterTrace`, and/or fed only up to a bound. */
export interface Traveller {
  readonly engine: Engine;
  /** Feed events up to this id, inclusive. */
  readonly lastEvent?: number | undefined;
  /** Feed events whose time is at most this (ms UTC); events are in time order, so later ones stop it. */
  readonly untilTs?: number | undefined;
}

/**
 * Time travel (docs/engine.md#the-pipeline), for a window that a {@link replayPass} already verified: replays the
 * window's head into each traveller's engine until it halts at its trace index or reaches its
 * bound, from `prefix` (events that pass kept) when that covers the way, else with an
 * early-ending second read. Returns the event at id `watch`, when it was reached.
 */
export async function timeTravel(src: WindowSource, travellers: readonly Traveller[], options: { prefix?: EventPrefix; watch?: number } = {}): Promise<NormalizedEvent | null> {
  const prefix = options.prefix ?? new EventPrefix(0);
  let watched: NormalizedEvent | null = null;
  const done = (t: Traveller, e: NormalizedEvent | null, id: number) =>
    t.engine.halted || (t.lastEvent !== undefined && id >= t.lastEvent) || (t.untilTs !== undefined && e !== null && e.ts > t.untilTs);
  /** Feeds one event; true once every traveller is done with it. */
  const feed = (e: NormalizedEvent, id: number): boolean => {
    if (id === options.watch) watched = e;
    let all = true;
    for (const t of travellers) {
      if (t.engine.halted || (t.lastEvent !== undefined && id > t.lastEvent) || (t.untilTs !== undefined && e.ts > t.untilTs)) continue;
      t.engine.push(e, id);
      if (!done(t, e, id)) all = false;
    }
    return all && (options.watch === undefined || id >= options.watch);
  };
  for (let id = 0; id < prefix.length; id++) if (feed(prefix.get(id), id)) return watched;
  try {
    await streamEvents(src, (e, id) => {
      if (id < prefix.length) return;
      if (feed(e, id)) throw STOP;
    });
  } catch (err) {
    if (err !== STOP) throw err;
  }
  return watched;
}
