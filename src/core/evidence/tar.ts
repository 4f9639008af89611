/**
 * A deterministic ustar writer: the same files give the same bytes on every machine and run.
 * Entries are sorted by path (code-unit order), every directory on the way is written once,
 * mtime is 0, uid/gid 0 with empty owner names, modes fixed (0755 directories, 0644 files).
 * Written here rather than taken from a tar package because none of the well-kept ones promise
 * byte-stable output (they read mtimes, owners and modes from the file system).
 */

const BLOCK = 512;
/** GNU and BSD tar read archives in 20-block records; padding to one keeps old tools happy. */
const RECORD = BLOCK * 20;

/** One regular file of the archive. */
export interface TarFile {
  /** Relative POSIX path, no `.`/`..` segments. */
  readonly path: string;
  readonly data: Uint8Array;
}

const encoder = new TextEncoder();

function writeString(buf: Uint8Array, offset: number, length: number, value: string): void {
  const bytes = encoder.encode(value);
  if (bytes.length > length) throw new RangeError(`tar: "${value}" does not fit in ${length} bytes`);
  buf.set(bytes, offset);
}

function writeOctal(buf: Uint8Array, offset: number, length: number, value: number): void {
  // length-1 octal digits, then NUL.
  const digits = value.toString(8).padStart(length - 1, "0");
  if (digits.length > length - 1) throw new RangeError(`tar: ${value} does not fit in a ${length}-byte field`);
  writeString(buf, offset, length - 1, digits);
}

/** Splits a path into ustar's `prefix` (≤ 155 bytes) and `name` (≤ 100 bytes) at a slash. */
function splitPath(path: string): [string, string] {
  if (encoder.encode(path).length <= 100) return ["", path];
  for (let i = path.length - 1; i > 0; i--) {
    if (path[i] !== "/") continue;
    const prefix = path.slice(0, i),
      name = path.slice(i + 1);
    if (encoder.encode(prefix).length <= 155 && encoder.encode(name).length <= 100 && name.length > 0) return [prefix, name];
  }
  throw new RangeError(`tar: path too long for ustar: ${path}`);
}

function header(path: string, size: number, type: "0" | "5"): Uint8Array {
  const h = new Uint8Array(BLOCK);
  const [prefix, name] = splitPath(path);
  writeString(h, 0, 100, name);
  writeOctal(h, 100, 8, type === "5" ? 0o755 : 0o644);
  writeOctal(h, 108, 8, 0);
  writeOctal(h, 116, 8, 0);
  writeOctal(h, 124, 12, size);
  writeOctal(h, 136, 12, 0);
  h.fill(0x20, 148, 156);
  writeString(h, 156, 1, type);
  writeString(h, 257, 6, "ustar\0");
  writeString(h, 263, 2, "00");
  writeString(h, 345, 155, prefix);
  let sum = 0;
  for (const b of h) sum += b;
  writeString(h, 148, 8, `${sum.toString(8).padStart(6, "0")}\0 `);
  return h;
}

function checkPath(path: string): void {
  if (path.length === 0 || path.startsWith("/") || path.split("/").some((s) => s === "" || s === "." || s === "..")) {
    throw new RangeError(`tar: not a clean relative path: "${path}"`);
  }
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The archive's bytes: directories and files sorted by path, then two zero blocks, padded to a record. */
export function writeTar(files: readonly TarFile[]): Uint8Array {
  const dirs = new Set<string>();
  const seen = new Set<string>();
  for (const f of files) {
    checkPath(f.path);
    if (seen.has(f.path)) throw new RangeError(`tar: duplicate path ${f.path}`);
    seen.add(f.path);
    const parts = f.path.split("/");
    for (let i = 1; i < parts.length; i++) dirs.add(`${parts.slice(0, i).join("/")}/`);
  }
  const entries: { path: string; data: Uint8Array | null }[] = [...[...dirs].map((path) => ({ path, data: null })), ...files.map((f) => ({ path: f.path, data: f.data }))].sort((a, b) =>
    compareCodeUnits(a.path, b.path),
  );
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (const e of entries) {
    const h = header(e.path, e.data?.length ?? 0, e.data === null ? "5" : "0");
    chunks.push(h);
    size += BLOCK;
    if (e.data !== null && e.data.length > 0) {
      chunks.push(e.data);
      const padded = Math.ceil(e.data.length / BLOCK) * BLOCK;
      if (padded > e.data.length) chunks.push(new Uint8Array(padded - e.data.length));
      size += padded;
    }
  }
  size += 2 * BLOCK;
  const total = Math.ceil(size / RECORD) * RECORD;
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
