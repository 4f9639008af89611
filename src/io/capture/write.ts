/**
 * Writing `events.ndjson.gz` so that equal events give equal bytes. zlib's output is a function
 * of its input bytes and settings alone (not of how the input is chunked); Node writes a gzip
 * header with mtime 0 and no name, and the one platform-dependent header byte (OS) is pinned here.
 */
import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";

/** Fixed compression settings: part of the format, since they decide the bytes and the hash. */
export const GZIP_SETTINGS = { level: 9, memLevel: 8, windowBits: 15 } as const;
/** RFC 1952 OS byte: 3 = Unix, whatever the writing platform. */
const GZIP_OS_UNIX = 3;
const GZIP_OS_OFFSET = 9;
const WRITE_CHUNK = 256 * 1024;

/** What was written. */
export interface WrittenEvents {
  /** Lowercase hex sha256 of the file as stored. */
  readonly sha256: string;
  readonly bytes: number;
  readonly count: number;
  /** Bytes of the NDJSON before compression: pinned as `events.uncompressed_bytes`. */
  readonly uncompressedBytes: number;
}

/** Writes batches of event lines (no newlines inside) as gzip NDJSON, each line ended by `\n`. */
export async function writeEventsGz(batches: AsyncIterable<readonly string[]>, path: string): Promise<WrittenEvents> {
  let count = 0;
  let uncompressedBytes = 0;
  async function* chunks(): AsyncGenerator<Buffer> {
    let buf = "";
    for await (const batch of batches) {
      for (const line of batch) {
        buf += line + "\n";
        count++;
        if (buf.length >= WRITE_CHUNK) {
          const bytes = Buffer.from(buf, "utf8");
          uncompressedBytes += bytes.length;
          yield bytes;
          buf = "";
        }
      }
    }
    if (buf.length > 0) {
      const bytes = Buffer.from(buf, "utf8");
      uncompressedBytes += bytes.length;
      yield bytes;
    }
  }
  const hash = createHash("sha256");
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (bytes <= GZIP_OS_OFFSET && bytes + chunk.length > GZIP_OS_OFFSET) {
        chunk = Buffer.from(chunk);
        chunk[GZIP_OS_OFFSET - bytes] = GZIP_OS_UNIX;
      }
      bytes += chunk.length;
      hash.update(chunk);
      done(null, chunk);
    },
  });
  await pipeline(Readable.from(chunks()), createGzip(GZIP_SETTINGS), tap, createWriteStream(path, { flags: "wx" }));
  return { sha256: hash.digest("hex"), bytes, count, uncompressedBytes };
}
