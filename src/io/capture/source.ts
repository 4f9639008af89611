/**
 * Opening a capture source safely: everything that can be refused is refused before reading —
 * a missing file, a path outside the workspace, a file over the size limit, binary content (MRT,
 * pcap, archives), an unknown or mismatched format. Reading then streams (gunzip when the file
 * starts with the gzip magic), hashes the bytes as stored, and stops at the size limit again
 * after decompression, which is where a gzip bomb would show.
 */
import { createHash, type Hash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, realpath, stat } from "node:fs/promises";
import { isAbsolute, relative, resolve } from "node:path";
import { pipeline, Transform } from "node:stream";
import { constants as zlibConstants, createGunzip, gunzipSync } from "node:zlib";
import { fail } from "../../core/errors.js";
import { ADAPTERS, detectAdapters, findAdapter, type Adapter } from "./adapters/index.js";
import type { SourceArg } from "./options.js";

const HEAD_BYTES = 64 * 1024;

/** A source that passed every check. */
export interface InspectedSource {
  /** Position in `--from` order: the tie-break for equal timestamps. */
  readonly index: number;
  /** The path as the user named it, with `/` separators: what window.yaml records. */
  readonly display: string;
  readonly absPath: string;
  readonly adapter: Adapter;
  readonly gzip: boolean;
  /** Size as stored. */
  readonly bytes: number;
}

/** True when `child` is `root` or inside it (both already resolved through symlinks). */
export function isInside(root: string, child: string): boolean {
  const rel = relative(root, child);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

/** Resolves a user path inside the workspace, following symlinks of what exists; refuses escapes. */
export async function resolveInWorkspace(workspace: string, cwd: string, userPath: string, what: string): Promise<string> {
  const abs = resolve(cwd, userPath);
  let real = abs;
  // Resolve the longest existing ancestor, so a symlinked parent cannot smuggle --out outside.
  let probe = abs;
  const rest: string[] = [];
  for (;;) {
    try {
      real = resolve(await realpath(probe), ...rest.reverse());
      break;
    } catch {
      const parent = resolve(probe, "..");
      if (parent === probe) break;
      rest.push(probe.slice(parent.length).replace(/^[\\/]/, ""));
      probe = parent;
    }
  }
  if (!isInside(workspace, real)) {
    fail({ file: userPath, message: `${what} is outside the workspace ${workspace}`, hint: "move it into the workspace or pass --workspace <dir> that contains it" });
  }
  return abs;
}

function looksLikeMrt(b: Buffer): boolean {
  if (b.length < 12) return false;
  const type = b.readUInt16BE(4);
  const length = b.readUInt32BE(8);
  return [11, 12, 13, 16, 17, 32, 33, 48, 49].includes(type) && length > 0 && length < 1 << 20;
}

/** Why a head of bytes is not text, or undefined when it is text. */
export function binaryReason(head: Buffer): string | undefined {
  if (head.length === 0) return undefined;
  if (looksLikeMrt(head)) return "this is MRT binary (a RIS/RouteViews dump); convert it with `bgpdump -m <file> > updates.txt` and capture that";
  if (head.includes(0)) return "the file holds NUL bytes: it is binary, not a text export";
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(head, { stream: true });
  } catch {
    return "the file is not UTF-8 text";
  }
  return undefined;
}

async function readHead(absPath: string): Promise<{ raw: Buffer; gzip: boolean }> {
  const fh = await open(absPath, "r");
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await fh.read(buf, 0, HEAD_BYTES, 0);
    return { raw: buf.subarray(0, bytesRead), gzip: bytesRead >= 2 && buf[0] === 0x1f && buf[1] === 0x8b };
  } finally {
    await fh.close();
  }
}

/** Checks one `--from` before anything is read. Throws InputError naming the file and a fix. */
export async function inspectSource(arg: SourceArg, index: number, opts: { workspace: string; cwd: string; maxBytes: number }): Promise<InspectedSource> {
  const display = arg.path.replace(/\\/g, "/");
  const absPath = await resolveInWorkspace(opts.workspace, opts.cwd, arg.path, "the source");
  let info;
  try {
    info = await stat(absPath);
  } catch {
    fail({ file: arg.path, message: "no such file", hint: "check the path after --from" });
  }
  if (!info.isFile()) fail({ file: arg.path, message: "not a regular file", hint: "--from takes one file; give several --from for several files" });
  if (info.size > opts.maxBytes) {
    fail({ file: arg.path, message: `the file has ${info.size} bytes, over --max-bytes ${opts.maxBytes}`, hint: "split the export by time, or raise --max-bytes" });
  }
  const { raw, gzip } = await readHead(absPath);
  let head = raw;
  if (gzip) {
    try {
      head = gunzipSync(raw, { finishFlush: zlibConstants.Z_SYNC_FLUSH }).subarray(0, HEAD_BYTES);
    } catch (err) {
      fail({ file: arg.path, message: `starts like gzip but does not decompress (${(err as Error).message})`, hint: "check the file is a complete .gz" });
    }
  }
  const why = binaryReason(head);
  if (why) fail({ file: arg.path, message: why, hint: "capture reads text exports; see docs/capture.md for the formats" });
  const text = head.toString("utf8");
  const detected = detectAdapters(text);
  const named = arg.adapter === undefined ? undefined : findAdapter(arg.adapter);
  if (named === undefined) {
    if (text.trim().length === 0) fail({ file: arg.path, message: "the file is empty, so its format cannot be detected", hint: `name it: --from <adapter>:${arg.path}` });
    if (detected.length === 0) {
      fail({ file: arg.path, message: "unknown format: it matches none of the adapters", hint: `name the adapter (--from <adapter>:${arg.path}); known: ${ADAPTERS.map((a) => a.name).join(", ")}` });
    }
    return { index, display, absPath, adapter: detected[0]!, gzip, bytes: info.size };
  }
  if (text.trim().length > 0 && !named.detect(text)) {
    const other = detected.length > 0 ? `; it looks like ${detected.map((a) => a.name).join(" or ")}` : "";
    fail({ file: arg.path, message: `does not look like ${named.name} input${other}`, hint: `check the file, or the adapter before the colon in --from ${arg.adapter}:${arg.path}` });
  }
  return { index, display, absPath, adapter: named, gzip, bytes: info.size };
}

/**
 * Streams a source's text bytes. `hash` receives the bytes as stored; `onBytes` the count read so
 * far after gunzip (for progress); the stream fails with an InputError past `maxBytes` unzipped.
 */
export async function* readSource(src: InspectedSource, hash: Hash, maxBytes: number, onBytes: (n: number) => void): AsyncGenerator<Buffer> {
  const file = createReadStream(src.absPath, { highWaterMark: 1 << 20 });
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  const stream = src.gzip ? pipeline(file, tap, createGunzip({ chunkSize: 1 << 20 }), () => {}) : pipeline(file, tap, () => {});
  let total = 0;
  try {
    for await (const chunk of stream) {
      total += (chunk as Buffer).length;
      if (total > maxBytes) {
        fail({ file: src.display, message: `more than --max-bytes ${maxBytes} after decompression`, hint: "split the export by time, or raise --max-bytes" });
      }
      onBytes(total);
      yield chunk as Buffer;
    }
  } catch (err) {
    if ((err as Error).name === "InputError") throw err;
    fail({ file: src.display, message: `cannot read: ${(err as Error).message}`, hint: src.gzip ? "the gzip stream may be truncated or corrupt" : undefined });
  } finally {
    file.destroy();
  }
}

export function newSourceHash(): Hash {
  return createHash("sha256");
}
