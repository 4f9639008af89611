/**
 * Pinned windows from disk (DESIGN §3): read and validate the manifest, verify the pin (sha256
 * and size of the events file as stored), then stream the events — gunzip, split, parse, check
 * each line's schema, bounds and order — into any number of engines in one pass.
 *
 * Line-level checks can only finish at the end of the stream, so engines run while reading and
 * their results are handed out only when the whole window verified: a window that fails at
 * line 9,000 yields an error, never a partial result.
 */
import { createHash, type Hash } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { createGunzip } from "node:zlib";
import { InputError, fail } from "../core/errors.js";
import { isEventIssue, normalizeEvent, type NormalizedEvent } from "../core/event.js";
import { parseTimestamp, formatTimestamp } from "../core/time.js";
import { manifestSchema, type WindowManifest } from "../core/window/manifest.js";
import { parseYaml, validateYaml } from "../core/yaml.js";
import { forEachLine } from "./lines.js";
import { readInputText } from "./read-input.js";

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
}

/** Reads and validates `window.yaml` in `dir`. */
export async function readWindowManifest(dir: string): Promise<WindowSource> {
  const manifestPath = join(dir, "window.yaml");
  const text = await readInputText(manifestPath, "no window.yaml here", "a window is a directory holding window.yaml and its events file; pin one with `replay-gate capture`");
  const manifest = validateYaml(parseYaml(text, manifestPath), manifestSchema);
  return {
    dir,
    manifestPath,
    manifest,
    manifestText: text,
    eventsPath: join(dir, manifest.events.path),
    startMs: parseTimestamp(manifest.start)!,
    endMs: parseTimestamp(manifest.end)!,
  };
}

async function statSize(src: WindowSource): Promise<number> {
  try {
    return (await stat(src.eventsPath)).size;
  } catch {
    fail({ file: src.eventsPath, message: "events file is missing", hint: `window.yaml names events.path: ${src.manifest.events.path}` });
  }
}

function checkSize(src: WindowSource, size: number): void {
  const { events } = src.manifest;
  if (size !== events.bytes) {
    fail({ file: src.manifestPath, path: "events.bytes", message: `the events file has ${size} bytes, the manifest pins ${events.bytes}`, hint: "the file changed after it was pinned; restore it or re-capture the window" });
  }
}

function checkDigest(src: WindowSource, digest: string): void {
  const { events } = src.manifest;
  if (digest !== events.sha256) {
    fail({ file: src.manifestPath, path: "events.sha256", message: `the events file hashes to ${digest}, the manifest pins ${events.sha256}`, hint: "the file changed after it was pinned; restore it or re-capture the window" });
  }
}

/** Checks that the events file is exactly the one the manifest pins: size and sha256 of its stored bytes. */
export async function verifyPin(src: WindowSource): Promise<void> {
  checkSize(src, await statSize(src));
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(src.eventsPath)) hash.update(chunk as Buffer);
  checkDigest(src, hash.digest("hex"));
}

/** Receives each verified event with its id (0-based line position). */
export type EventSink = (event: NormalizedEvent, id: number) => void;

/** Options for {@link streamEvents}. */
export interface StreamOptions {
  /** Called every `progressEvery` events with the count so far. */
  readonly onProgress?: ((events: number) => void) | undefined;
  readonly progressEvery?: number | undefined;
}

function openEvents(src: WindowSource, hash: Hash): AsyncIterable<Buffer> {
  const raw = createReadStream(src.eventsPath, { highWaterMark: 256 * 1024 });
  // The pin is hashed from the same read that feeds gunzip: one pass over the file.
  raw.on("data", (chunk) => hash.update(chunk as Buffer));
  if (!src.eventsPath.endsWith(".gz")) return raw;
  const gunzip = createGunzip({ chunkSize: 256 * 1024 });
  raw.on("error", (err) => gunzip.destroy(err));
  return raw.pipe(gunzip);
}

/**
 * Streams every event through `sink`, verifying the pin (size first, sha256 of the stored bytes
 * as they are read) and each line: JSON, schema, `start <= ts <= end`, order by ts, and at the
 * end the manifest's count. Throws InputError at the first problem; a changed file is reported
 * as a pin mismatch rather than as the line error it may have caused.
 */
export async function streamEvents(src: WindowSource, sink: EventSink, options: StreamOptions = {}): Promise<number> {
  const file = src.eventsPath;
  const { startMs, endMs } = src;
  let last = -Infinity;
  let id = 0;
  let problem: InputError | undefined;
  const every = options.progressEvery ?? 100_000;
  const stop = (line: number, path: string | undefined, message: string, hint?: string) => {
    problem = new InputError([{ file, line, path, message, hint }]);
    return false as const;
  };
  checkSize(src, await statSize(src));
  const hash = createHash("sha256");
  let lines: number;
  try {
    lines = await forEachLine(openEvents(src, hash), (line, lineNo) => {
      if (line.length === 0) return stop(lineNo, undefined, "empty line", "an events file holds one JSON object per line, with no blank lines");
      let raw: unknown;
      try {
        raw = JSON.parse(line);
      } catch (err) {
        return stop(lineNo, undefined, `not valid JSON: ${(err as Error).message}`);
      }
      const event = normalizeEvent(raw);
      if (isEventIssue(event)) return stop(lineNo, event.path || undefined, event.message);
      if (event.ts < startMs || event.ts > endMs) {
        return stop(lineNo, "ts", `${formatTimestamp(event.ts)} is outside the window ${src.manifest.start} … ${src.manifest.end}`, "widen start/end in window.yaml or drop the event");
      }
      if (event.ts < last) return stop(lineNo, "ts", `${formatTimestamp(event.ts)} is earlier than the line before (${formatTimestamp(last)})`, "events must be ordered by ts; `replay-gate capture` sorts them");
      last = event.ts;
      sink(event, id++);
      if (options.onProgress && id % every === 0) options.onProgress(id);
    });
  } catch (err) {
    await verifyPin(src);
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "Z_BUF_ERROR" || code === "Z_DATA_ERROR" || (err as Error).message?.includes("unexpected end of file")) {
      fail({ file, message: `not a complete gzip stream (${(err as Error).message})`, hint: "the file is truncated or corrupt; restore it or re-capture the window" });
    }
    throw err;
  }
  if (problem) {
    await verifyPin(src);
    throw problem;
  }
  checkDigest(src, hash.digest("hex"));
  if (lines !== src.manifest.events.count) {
    fail({ file: src.manifestPath, path: "events.count", message: `the events file has ${lines} events, the manifest pins ${src.manifest.events.count}` });
  }
  return lines;
}

/** Resolves a window dir for display and dedupe. */
export function windowKey(src: WindowSource): string {
  return resolve(src.dir);
}
