/**
 * Pinned windows from disk (docs/formats.md#pinned-window): read and validate the manifest, verify the pin (sha256
 * and size of the events file as stored), then stream the events — gunzip, split, parse, check
 * each line's schema, bounds and order — into any number of engines in one pass.
 *
 * Line-level checks can only finish at the end of the stream, so engines run while reading and
 * their results are handed out only when the whole window verified: a window that fails at
 * line 9,000 yields an error, never a partial result.
 *
 * Reading is bounded before anything grows (issue 10): the manifest and the events file must be
 * regular files resolving inside the window directory (see guarded-open.ts); a line may be at
 * most `maxLineBytes` long; the decompressed stream may not pass `events.uncompressed_bytes`
 * (or, for manifests without it, {@link MAX_EXPANSION_RATIO} times the stored size); and the
 * `count` pin stops the read at line count + 1, not at the end of the file.
 */
import { createHash, type Hash } from "node:crypto";
import { join } from "node:path";
import { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { InputError, fail, type Problem } from "../core/errors.js";
import { isEventIssue, normalizeEvent, type KeyCount, type NormalizedEvent } from "../core/event.js";
import { countKeyTokens, findDuplicateKey } from "../core/json-keys.js";
import { parseTimestamp, formatTimestamp } from "../core/time.js";
import { manifestSchema, type WindowManifest } from "../core/window/manifest.js";
import { MAX_YAML_BYTES, parseYaml, validateYaml } from "../core/yaml.js";
import { openGuarded, readGuardedText, type FileRoot } from "./guarded-open.js";
import { sharedEventLineParser } from "./event-line.js";
import type { EventPrefix } from "./event-prefix.js";
import { forEachLineBytes, LineError, lineEnd, withoutCr } from "./lines.js";
import { CacheWriter, isCorruptEntry, openCacheEntry } from "./window-cache.js";

/** Longest events line read by default (bytes, without the newline): 1 MiB. */
export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;
/**
 * For manifests without `events.uncompressed_bytes`: the most a gzip file may expand. Real
 * windows expand 25–40×; gzip's own ceiling is about 1030× (a file of zeros).
 */
export const MAX_EXPANSION_RATIO = 256;
/** …but a small file may always expand to this many bytes. */
export const MIN_EXPANSION_ALLOWANCE = 64 * 1024 * 1024;

/** Limits for reading a window, chosen by the caller (CLI flag, config). */
export interface WindowReadLimits {
  /** Longest events line in bytes; default {@link DEFAULT_MAX_LINE_BYTES}. */
  readonly maxLineBytes?: number | undefined;
  /** The verified window cache's directory (see window-cache.ts); none when undefined. */
  readonly cacheDir?: string | undefined;
  /** Told how far every read of these windows got (the CLI's progress line). */
  readonly progress?: ReadProgress | undefined;
}

/** Watches reads of windows: the windows to come, then each read's events so far. */
export interface ReadProgress {
  /** The windows about to be read (once, after their manifests loaded). */
  plan(sources: readonly WindowSource[]): void;
  /** `events` of `src` read so far; `done` once the read verified completely. */
  read(src: WindowSource, events: number, done: boolean): void;
}

/** A window whose manifest is valid; its events are not read yet. */
export interface WindowSource {
  /** The directory as the user named it. */
  readonly dir: string;
  readonly manifestPath: string;
  readonly manifest: WindowManifest;
  /** The manifest's text, for hashing into evidence. */
  readonly manifestText: string;
  readonly eventsPath: string;
  readonly startMs: number;
  readonly endMs: number;
  /** Line of `id:` in the manifest, for messages naming two windows. */
  readonly idLine: number | undefined;
  /** Longest events line accepted, in bytes. */
  readonly maxLineBytes: number;
  /** The verified window cache's directory, when caching is on. */
  readonly cacheDir?: string | undefined;
  readonly progress?: ReadProgress | undefined;
}

function windowRoot(dir: string): FileRoot {
  return { dir, name: "the window directory" };
}

/** Reads and validates `window.yaml` in `dir`. */
export async function readWindowManifest(dir: string, limits: WindowReadLimits = {}): Promise<WindowSource> {
  const manifestPath = join(dir, "window.yaml");
  const text = await readGuardedText(manifestPath, windowRoot(dir), {
    maxBytes: MAX_YAML_BYTES,
    missing: "no window.yaml here",
    hint: "a window is a directory holding window.yaml and its events file; pin one with `replay-gate capture`",
  });
  const doc = parseYaml(text, manifestPath);
  const manifest = validateYaml(doc, manifestSchema);
  return {
    dir,
    manifestPath,
    manifest,
    manifestText: text,
    eventsPath: join(dir, manifest.events.path),
    startMs: parseTimestamp(manifest.start)!,
    endMs: parseTimestamp(manifest.end)!,
    idLine: doc.locate(["id"])?.line,
    maxLineBytes: limits.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
    cacheDir: limits.cacheDir,
    progress: limits.progress,
  };
}

/** Opens the events file: a regular file inside the window directory, or a located error. */
async function openEventsFile(src: WindowSource) {
  return openGuarded(src.eventsPath, windowRoot(src.dir), "events file is missing", `window.yaml names events.path: ${src.manifest.events.path}`);
}

function checkSize(src: WindowSource, size: number): void {
  const { events } = src.manifest;
  if (size !== events.bytes) {
    fail({
      file: src.manifestPath,
      path: "events.bytes",
      message: `the events file has ${size} bytes, the manifest pins ${events.bytes}`,
      hint: "the file changed after it was pinned; restore it or re-capture the window",
    });
  }
}

function checkDigest(src: WindowSource, digest: string): void {
  const { events } = src.manifest;
  if (digest !== events.sha256) {
    fail({
      file: src.manifestPath,
      path: "events.sha256",
      message: `the events file hashes to ${digest}, the manifest pins ${events.sha256}`,
      hint: "the file changed after it was pinned; restore it or re-capture the window",
    });
  }
}

/** Checks that the events file is exactly the one the manifest pins: size and sha256 of its stored bytes. */
export async function verifyPin(src: WindowSource): Promise<void> {
  const { handle, size } = await openEventsFile(src);
  try {
    checkSize(src, size);
    const hash = createHash("sha256");
    // The size was checked first, so at most the pinned number of bytes is hashed.
    if (size > 0) for await (const chunk of handle.createReadStream({ autoClose: false, end: size - 1, highWaterMark: 256 * 1024 })) hash.update(chunk as Buffer);
    checkDigest(src, hash.digest("hex"));
  } finally {
    await handle.close();
  }
}

/** Receives each verified event with its id (0-based line position). */
export type EventSink = (event: NormalizedEvent, id: number) => void;

/** Options for {@link streamEvents}. */
export interface StreamOptions {
  /** Called every `progressEvery` events with the count so far. */
  readonly onProgress?: ((events: number) => void) | undefined;
  readonly progressEvery?: number | undefined;
  /** Keeps the first events (while it is open) for time travel, before they reach the sink. */
  readonly keep?: EventPrefix | undefined;
}

/** Most bytes the decompressed stream may hold, and what a breach means. */
function expansionLimit(src: WindowSource, gzip: boolean): { bytes: number; problem: Problem } {
  const { events } = src.manifest;
  if (events.uncompressed_bytes !== undefined) {
    return {
      bytes: events.uncompressed_bytes,
      problem: {
        file: src.manifestPath,
        path: "events.uncompressed_bytes",
        message: `the events decompress to more than the ${events.uncompressed_bytes} bytes the manifest pins; reading stopped there`,
        hint: "the file is not the one pinned, or the pin is wrong; re-capture the window",
      },
    };
  }
  const bytes = gzip ? Math.max(MIN_EXPANSION_ALLOWANCE, events.bytes * MAX_EXPANSION_RATIO) : events.bytes;
  return {
    bytes,
    problem: {
      file: src.eventsPath,
      message: `decompresses to more than ${bytes} bytes (${MAX_EXPANSION_RATIO}× its stored size); refused as a likely decompression bomb`,
      hint: "pin events.uncompressed_bytes in window.yaml (`replay-gate capture` writes it) to allow a larger expansion",
    },
  };
}

class ExpansionError extends Error {}

/** The decompressed events, cut off (with {@link ExpansionError}) as soon as they pass `limit`. */
async function* boundedChunks(source: AsyncIterable<Buffer>, limit: number, total: { bytes: number }): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    total.bytes += chunk.length;
    if (total.bytes > limit) throw new ExpansionError();
    yield chunk;
  }
}

/**
 * Streams every event through `sink`, verifying the pin (size first, sha256 of the stored bytes
 * as they are read) and each line: UTF-8, length, JSON without duplicate keys, schema,
 * `start <= ts <= end`, order by ts, and the manifest's count (a line past it stops the read).
 * Throws InputError at the first problem; a changed file is reported as a pin mismatch rather
 * than as the line error it may have caused.
 */
export async function streamEvents(src: WindowSource, sink: EventSink, options: StreamOptions = {}): Promise<number> {
  const meter = src.progress;
  if (meter === undefined) return streamCachedOrSource(src, sink, options);
  const n = await streamCachedOrSource(src, sink, {
    ...options,
    onProgress: (k) => {
      options.onProgress?.(k);
      meter.read(src, k, false);
    },
  });
  meter.read(src, n, true);
  return n;
}

/** {@link streamEvents} from the cache when a valid entry exists, else from the events file. */
async function streamCachedOrSource(src: WindowSource, sink: EventSink, options: StreamOptions): Promise<number> {
  if (src.cacheDir === undefined) return streamSource(src, sink, options, 0, undefined);
  const { events } = src.manifest;
  // Only the entry's table is read here; no event of it is used before the pin verifies below.
  const reader = await openCacheEntry(src.cacheDir, {
    eventsSha256: events.sha256,
    count: events.count,
    uncompressedBytes: events.uncompressed_bytes,
    maxUncompressedBytes: expansionLimit(src, src.eventsPath.endsWith(".gz")).bytes,
    maxLineBytes: src.maxLineBytes,
    startMs: src.startMs,
    endMs: src.endMs,
  });
  // Without an entry, the read of the file verifies the pin on the way (and builds the entry).
  if (reader === undefined) return streamSource(src, sink, options, 0, CacheWriter.open(src.cacheDir, events.sha256, src.maxLineBytes));
  // The pin is verified before the entry is used: an entry never stands in for a file that changed.
  try {
    await verifyPin(src);
  } catch (err) {
    await reader.close();
    throw err;
  }
  const every = options.progressEvery ?? 100_000;
  const onProgress = options.onProgress;
  let id = 0;
  const keep = options.keep;
  // A kept event counts its share of the chunk it was read from (its strings and objects are the
  // chunk's), so the prefix's byte bound holds for events from the cache as for lines.
  let share = 0;
  const deliver = (e: NormalizedEvent) => {
    if (keep !== undefined && keep.open && keep.length === id) keep.add(e, share);
    sink(e, id++);
    if (onProgress && id % every === 0) onProgress(id);
  };
  try {
    // Each chunk is checked completely (bounds and order included) before any of it reaches the sink, so a bad chunk falls back cleanly.
    for (let chunk = await reader.next(); chunk !== null; chunk = await reader.next()) {
      share = Math.ceil(chunk.byteLength / Math.max(1, chunk.events));
      chunk.forEach(deliver);
    }
  } catch (err) {
    await reader.close();
    if (!isCorruptEntry(err)) throw err;
    // The events already delivered came from verified chunks; the rest comes from the file, which also rebuilds the entry.
    return streamSource(src, sink, options, id, CacheWriter.open(src.cacheDir, events.sha256, src.maxLineBytes));
  }
  await reader.close();
  return id;
}

/**
 * Reads the events file itself. Events before id `skip` are verified but not handed to `sink`
 * (a cache entry delivered them); `writer`, when given, receives every event and is committed
 * only when the whole window verified.
 */
async function streamSource(src: WindowSource, sink: EventSink, options: StreamOptions, skip: number, writer: CacheWriter | undefined): Promise<number> {
  try {
    const read = await streamVerified(
      src,
      writer === undefined
        ? sink
        : (e, id) => {
            writer.add(e);
            if (id >= skip) sink(e, id);
          },
      options,
      writer === undefined ? skip : 0,
    );
    writer?.commit(src.manifest.events.sha256, read.lines, read.uncompressedBytes);
    return read.lines;
  } catch (err) {
    writer?.abort();
    throw err;
  }
}

async function streamVerified(src: WindowSource, sink: EventSink, options: StreamOptions, skip: number): Promise<{ lines: number; uncompressedBytes: number }> {
  const file = src.eventsPath;
  const { startMs, endMs } = src;
  const pinnedCount = src.manifest.events.count;
  let last = -Infinity;
  let id = 0;
  let problem: InputError | undefined;
  const every = options.progressEvery ?? 100_000;
  const keep = options.keep;
  const stop = (line: number, path: string | undefined, message: string, hint?: string) => {
    problem = new InputError([{ file, line, path, message, hint }]);
    return false as const;
  };
  const { handle, size } = await openEventsFile(src);
  let raw: Readable | undefined;
  let gunzip: Readable | undefined;
  const gzip = file.endsWith(".gz");
  const limit = expansionLimit(src, gzip);
  const total = { bytes: 0 };
  const hash = createHash("sha256");
  const keys: KeyCount = { n: 0 };
  let lines: number;
  try {
    checkSize(src, size);
    // Never past the size checked against the pin, even if the file grows while it is read.
    raw = size === 0 ? Readable.from([]) : handle.createReadStream({ autoClose: false, end: size - 1, highWaterMark: 256 * 1024 });
    const stored = openStream(raw, hash, gzip);
    gunzip = stored === raw ? undefined : stored;
    // The fast parser reads most lines straight from their bytes; a line it does not take is
    // decoded and read the full way (JSON.parse, the event checks, the duplicate-key scan), which
    // also words every error.
    const parser = sharedEventLineParser();
    const full = (line: string, lineNo: number): NormalizedEvent | undefined => {
      if (line.length === 0) return void stop(lineNo, undefined, "empty line", "an events file holds one JSON object per line, with no blank lines");
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch (err) {
        return void stop(lineNo, undefined, `not valid JSON: ${(err as Error).message.slice(0, 200)}`);
      }
      const event = normalizeEvent(parsed, keys);
      if (isEventIssue(event)) return void stop(lineNo, event.path || undefined, event.message);
      // Exact: the token count bounds the keys in the text and a valid event's values are
      // scalars besides scope and attrs, so equal counts prove no key repeats.
      if (countKeyTokens(line) > keys.n) {
        const dup = findDuplicateKey(line);
        if (dup !== undefined) return void stop(lineNo, dup.path, `duplicate key "${dup.key}"`, "each key may appear once per object");
      }
      return event;
    };
    lines = await forEachLineBytes(
      boundedChunks(stored, limit.bytes, total),
      (bytes, start, lineNo) => {
        if (lineNo > pinnedCount) {
          problem = new InputError([
            { file: src.manifestPath, path: "events.count", message: `the events file has more than the ${pinnedCount} events the manifest pins; reading stopped at line ${lineNo}` },
          ]);
          return false;
        }
        let event: NormalizedEvent | null | undefined = parser.parse(bytes, start);
        let end: number;
        if (event !== null) end = parser.end;
        else {
          end = lineEnd(bytes, start);
          event = full(bytes.toString("utf8", start, withoutCr(bytes, start, end)), lineNo);
          if (event === undefined) return false;
        }
        if (event.ts < startMs || event.ts > endMs) {
          return stop(lineNo, "ts", `${formatTimestamp(event.ts)} is outside the window ${src.manifest.start} … ${src.manifest.end}`, "widen start/end in window.yaml or drop the event");
        }
        if (event.ts < last)
          return stop(lineNo, "ts", `${formatTimestamp(event.ts)} is earlier than the line before (${formatTimestamp(last)})`, "events must be ordered by ts; `replay-gate capture` sorts them");
        last = event.ts;
        if (id >= skip) {
          if (keep !== undefined && keep.open && keep.length === id) keep.add(event, end - start);
          sink(event, id);
        }
        id++;
        if (options.onProgress && id % every === 0) options.onProgress(id);
        return end;
      },
      { maxLineBytes: src.maxLineBytes, strictUtf8: true },
    );
  } catch (err) {
    raw?.destroy();
    gunzip?.destroy();
    await handle.close();
    if (err instanceof InputError) throw err;
    await verifyPin(src);
    if (err instanceof ExpansionError) throw new InputError([limit.problem]);
    if (err instanceof LineError) {
      const hint =
        err.kind === "too-long"
          ? `an event line is at most ${src.maxLineBytes} bytes; raise the limit with --max-line-bytes (or limits.max_line_bytes in the config) if this line is genuine`
          : "events files are UTF-8";
      fail({ file, line: err.lineNo, column: err.column, message: err.message, hint });
    }
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "Z_BUF_ERROR" || code === "Z_DATA_ERROR" || (err as Error).message?.includes("unexpected end of file")) {
      fail({ file, message: `not a complete gzip stream (${(err as Error).message})`, hint: "the file is truncated or corrupt; restore it or re-capture the window" });
    }
    throw err;
  }
  raw.destroy();
  gunzip?.destroy();
  await handle.close();
  if (problem) {
    await verifyPin(src);
    throw problem;
  }
  checkDigest(src, hash.digest("hex"));
  if (src.manifest.events.uncompressed_bytes !== undefined && total.bytes !== src.manifest.events.uncompressed_bytes) {
    fail({ file: src.manifestPath, path: "events.uncompressed_bytes", message: `the events decompress to ${total.bytes} bytes, the manifest pins ${src.manifest.events.uncompressed_bytes}` });
  }
  if (lines !== pinnedCount) {
    fail({ file: src.manifestPath, path: "events.count", message: `the events file has ${lines} events, the manifest pins ${pinnedCount}` });
  }
  return { lines, uncompressedBytes: total.bytes };
}

function openStream(raw: Readable, hash: Hash, gzip: boolean): Readable {
  // The pin is hashed from the same read that feeds gunzip: one pass over the file.
  raw.on("data", (chunk) => hash.update(chunk as Buffer));
  if (!gzip) return raw;
  const gunzip = createGunzip({ chunkSize: 256 * 1024 });
  raw.on("error", (err) => gunzip.destroy(err));
  return raw.pipe(gunzip);
}
