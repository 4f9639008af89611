/**
 * The verified window cache (issue 11): after a window's events were read, verified and parsed
 * once, a compact derived form of its normalized events is stored under a cache directory, so
 * that a later replay of the same pinned file skips gunzip and `JSON.parse`.
 *
 * An entry is keyed by the events file's pinned sha256 and {@link CACHE_FORMAT_VERSION}. It is a
 * derived copy, never evidence: `streamEvents` verifies the window's pin (size and sha256 of the
 * stored bytes) before it opens an entry, and an entry is used only when its own checksums hold
 * (a CRC-32 per chunk and a sha256 over its table), its header matches the pin (events sha256, count,
 * decompressed bytes, the line limit it was built under), and every chunk passes the checks of
 * window-cache-decode.ts: each event one the events file could have held, within the window's
 * start and end, in order. Anything else — flipped byte, truncation, another version, a failed
 * check — means the entry is ignored and the window is read from its events file (and the entry
 * rebuilt).
 *
 * Layout (little-endian): chunks (window-cache-layout.ts), each decodable alone so memory stays
 * bounded by a chunk, then the table and a footer:
 *
 *   chunk*  table  sha256(table):32  tableBytes:u32  version:u32  magic:8
 *   table = eventsSha256:32 count:f64 uncompressedBytes:f64 maxLineBytes:f64 chunkCount:u32
 *           (chunkBytes:u32 chunkEvents:u32 chunkCrc32:u32) × chunkCount
 *
 * The checksums detect corruption (a flipped bit, a torn write), not forgery: whoever can write
 * an entry can recompute any checksum, sha256 as well. So a chunk carries the CRC-32 gzip itself
 * relies on, about three times cheaper than a sha256 over the same bytes, and what keeps a
 * written-by-something-else entry harmless is the checks every chunk passes before use.
 */
import { createHash } from "node:crypto";
import { crc32 } from "node:zlib";
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { threadId } from "node:worker_threads";
import type { NormalizedEvent } from "../core/event.js";
import { DecodedChunk } from "./window-cache-decode.js";
import { ChunkEncoder } from "./window-cache-encode.js";
import { CHUNK_EVENTS, CorruptEntry, SOFT_CHUNK_BYTES } from "./window-cache-layout.js";

export { CHUNK_EVENTS } from "./window-cache-layout.js";

/**
 * Bump when the layout or the meaning of a normalized event changes (normalizeEvent, the event
 * schema): entries of another version are ignored.
 */
export const CACHE_FORMAT_VERSION = 3;
/** Where the CLI keeps the cache unless told otherwise (relative to the working directory). */
export const DEFAULT_CACHE_DIR = ".replay-gate/cache";
/**
 * A chunk larger than this is refused as corrupt before it is read into memory. The encoder closes
 * a chunk at 64 MiB, so only an event of more than 64 MiB (under a raised line limit) comes near:
 * such a window is not cached.
 */
const MAX_CHUNK_BYTES = 2 * SOFT_CHUNK_BYTES;
const MAGIC = Buffer.from("RGWCACHE", "latin1");
const FOOTER_BYTES = 32 + 4 + 4 + 8;
const TABLE_FIXED_BYTES = 32 + 8 + 8 + 8 + 4;
const TABLE_ROW_BYTES = 4 + 4 + 4;

/** The file of the entry for an events sha256, or undefined when the hash is not plain hex. */
export function cacheEntryPath(cacheDir: string, eventsSha256: string): string | undefined {
  if (!/^[0-9a-f]{64}$/.test(eventsSha256)) return undefined;
  return join(cacheDir, `${eventsSha256}.v${CACHE_FORMAT_VERSION}.rgwc`);
}

/** What the entry must match: the window's pin and the reader's line limit. */
export interface CacheExpectation {
  readonly eventsSha256: string;
  readonly count: number;
  /** The pinned decompressed size, when the manifest has one. */
  readonly uncompressedBytes: number | undefined;
  /** Without a pinned size: the most the events may decompress to. */
  readonly maxUncompressedBytes: number;
  readonly maxLineBytes: number;
  /** The window's start and end: every event's ts must lie within them. */
  readonly startMs: number;
  readonly endMs: number;
}

/** Builds an entry while the events file is read; {@link commit} makes it visible. */
export class CacheWriter {
  private fd: number | undefined;
  private readonly tmp: string;
  private chunk = new ChunkEncoder();
  private readonly rows: Buffer[] = [];

  private constructor(
    private readonly final: string,
    private readonly maxLineBytes: number,
  ) {
    // Workers of one process (worker-pool.ts) share the pid: the thread id keeps their temporaries apart.
    this.tmp = `${final}.tmp-${process.pid}-${threadId}-${CacheWriter.serial++}`;
    this.fd = openSync(this.tmp, "wx");
  }

  private static serial = 0;

  /** A writer for the entry of `eventsSha256`, or undefined when the cache cannot be written. */
  static open(cacheDir: string, eventsSha256: string, maxLineBytes: number): CacheWriter | undefined {
    const final = cacheEntryPath(cacheDir, eventsSha256);
    if (final === undefined) return undefined;
    try {
      mkdirSync(cacheDir, { recursive: true });
      return new CacheWriter(final, maxLineBytes);
    } catch {
      return undefined;
    }
  }

  add(event: NormalizedEvent): void {
    if (this.fd === undefined) return;
    this.chunk.add(event);
    if (!this.chunk.ok) this.abort();
    else if (this.chunk.full) this.flush();
  }

  private flush(): void {
    if (this.fd === undefined || this.chunk.events === 0) return;
    const bytes = this.chunk.finish();
    // The reader refuses a chunk this large, so writing it would only waste the disk.
    if (bytes.length > MAX_CHUNK_BYTES) return this.abort();
    const row = Buffer.alloc(TABLE_ROW_BYTES);
    row.writeUInt32LE(bytes.length, 0);
    row.writeUInt32LE(this.chunk.events, 4);
    row.writeUInt32LE(crc32(bytes), 8);
    this.rows.push(row);
    this.chunk = new ChunkEncoder();
    this.write(bytes);
  }

  private write(bytes: Buffer): void {
    if (this.fd === undefined) return;
    try {
      let off = 0;
      while (off < bytes.length) off += writeSync(this.fd, bytes, off);
    } catch {
      this.abort();
    }
  }

  /** Finishes the entry for a window whose read verified: `count` events, `uncompressedBytes` read. */
  commit(eventsSha256: string, count: number, uncompressedBytes: number): void {
    this.flush();
    if (this.fd === undefined) return;
    const fixed = Buffer.alloc(TABLE_FIXED_BYTES);
    Buffer.from(eventsSha256, "hex").copy(fixed, 0);
    fixed.writeDoubleLE(count, 32);
    fixed.writeDoubleLE(uncompressedBytes, 40);
    fixed.writeDoubleLE(this.maxLineBytes, 48);
    fixed.writeUInt32LE(this.rows.length, 56);
    const table = Buffer.concat([fixed, ...this.rows]);
    const footer = Buffer.alloc(FOOTER_BYTES);
    createHash("sha256").update(table).digest().copy(footer, 0);
    footer.writeUInt32LE(table.length, 32);
    footer.writeUInt32LE(CACHE_FORMAT_VERSION, 36);
    MAGIC.copy(footer, 40);
    this.write(Buffer.concat([table, footer]));
    if (this.fd === undefined) return;
    try {
      fsyncSync(this.fd);
      closeSync(this.fd);
      this.fd = undefined;
      renameSync(this.tmp, this.final);
    } catch {
      this.abort();
    }
  }

  /** Drops the unfinished entry (the read failed, or writing did). */
  abort(): void {
    if (this.fd !== undefined) {
      try {
        closeSync(this.fd);
      } catch {
        // already closed
      }
      this.fd = undefined;
    }
    try {
      unlinkSync(this.tmp);
    } catch {
      // nothing to remove
    }
  }
}

/** An opened entry whose table verified and matches the expectation. */
export interface CacheReader {
  /** Reads and checks the next chunk completely; null at the end; throws CorruptEntry when a chunk is bad. */
  next(): Promise<DecodedChunk | null>;
  close(): Promise<void>;
}

/** True for the error a {@link CacheReader} throws on a chunk that fails its checks. */
export function isCorruptEntry(err: unknown): boolean {
  return err instanceof CorruptEntry;
}

async function readExact(handle: FileHandle, length: number, position: number): Promise<Uint8Array> {
  // A fresh ArrayBuffer: offset 0, so the typed-array views over it are aligned.
  const buf = new Uint8Array(new ArrayBuffer(length));
  let got = 0;
  while (got < length) {
    const { bytesRead } = await handle.read(buf, got, length - got, position + got);
    if (bytesRead === 0) throw new CorruptEntry();
    got += bytesRead;
  }
  return buf;
}

/**
 * Opens the entry for `expect.eventsSha256` when one exists and its table verifies and matches;
 * otherwise undefined (missing, unreadable, another version, corrupt, stale).
 */
export async function openCacheEntry(cacheDir: string, expect: CacheExpectation): Promise<CacheReader | undefined> {
  const path = cacheEntryPath(cacheDir, expect.eventsSha256);
  if (path === undefined) return undefined;
  let handle: FileHandle;
  try {
    handle = await open(path, "r");
  } catch {
    return undefined;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile() || stat.size < FOOTER_BYTES + TABLE_FIXED_BYTES) throw new CorruptEntry();
    const footer = Buffer.from(await readExact(handle, FOOTER_BYTES, stat.size - FOOTER_BYTES));
    if (!footer.subarray(40).equals(MAGIC) || footer.readUInt32LE(36) !== CACHE_FORMAT_VERSION) throw new CorruptEntry();
    const tableBytes = footer.readUInt32LE(32);
    if (tableBytes < TABLE_FIXED_BYTES || tableBytes > stat.size - FOOTER_BYTES) throw new CorruptEntry();
    const tableAt = stat.size - FOOTER_BYTES - tableBytes;
    const table = Buffer.from(await readExact(handle, tableBytes, tableAt));
    if (!createHash("sha256").update(table).digest().equals(footer.subarray(0, 32))) throw new CorruptEntry();
    if (table.subarray(0, 32).toString("hex") !== expect.eventsSha256) throw new CorruptEntry();
    const count = table.readDoubleLE(32);
    const uncompressed = table.readDoubleLE(40);
    const builtUnder = table.readDoubleLE(48);
    const chunks = table.readUInt32LE(56);
    if (tableBytes !== TABLE_FIXED_BYTES + chunks * TABLE_ROW_BYTES) throw new CorruptEntry();
    if (count !== expect.count) throw new CorruptEntry();
    if (expect.uncompressedBytes !== undefined ? uncompressed !== expect.uncompressedBytes : uncompressed > expect.maxUncompressedBytes) throw new CorruptEntry();
    // Built under a longer line limit than this read allows: a line may be too long now.
    if (builtUnder > expect.maxLineBytes) throw new CorruptEntry();
    const rows: { bytes: number; events: number; crc: number; at: number }[] = [];
    let at = 0,
      events = 0;
    for (let i = 0; i < chunks; i++) {
      const o = TABLE_FIXED_BYTES + i * TABLE_ROW_BYTES;
      const row = { bytes: table.readUInt32LE(o), events: table.readUInt32LE(o + 4), crc: table.readUInt32LE(o + 8), at };
      if (row.bytes > MAX_CHUNK_BYTES || row.events === 0 || row.events > CHUNK_EVENTS) throw new CorruptEntry();
      rows.push(row);
      at += row.bytes;
      events += row.events;
    }
    if (at !== tableAt || events !== count) throw new CorruptEntry();
    let i = 0;
    let lastTs = -Infinity;
    return {
      next: async () => {
        const row = rows[i++];
        if (row === undefined) return null;
        const bytes = await readExact(handle, row.bytes, row.at);
        if (crc32(bytes) !== row.crc) throw new CorruptEntry();
        const chunk = new DecodedChunk(bytes, { startMs: expect.startMs, endMs: expect.endMs, lastTs, maxLineBytes: expect.maxLineBytes }, row.events);
        lastTs = chunk.lastTs;
        return chunk;
      },
      close: () => handle.close(),
    };
  } catch {
    await handle.close();
    return undefined;
  }
}
