/**
 * Opening a file the user named (a window's manifest and events, a policy, a config) so that
 * nothing grows and nothing leaks before we know what the file is:
 *
 * - the path is resolved (symlinks followed) and must land inside its root — the window
 *   directory for a window's files, the working directory for policies and configs — and
 *   never inside a `.git` directory, where `actions/checkout` persists a credential. This is
 *   checked before the file is opened, so a refused file's content, size or hash can never reach
 *   an error message, a log or a commit status;
 * - it is opened with O_NONBLOCK, so a FIFO cannot hang the open, and then fstat'ed: only a
 *   regular file is read (no FIFO, socket, device such as /dev/zero, or directory);
 * - text is read up to a byte limit taken from fstat before reading, and decoded strictly:
 *   invalid UTF-8 is a located error, not U+FFFD.
 */
import { constants } from "node:fs";
import { open, realpath, lstat, type FileHandle } from "node:fs/promises";
import { basename, isAbsolute, relative, resolve, sep } from "node:path";
import { fail } from "../core/errors.js";
import { locateInvalidUtf8 } from "../core/utf8.js";

/** Where a file must resolve to. */
export interface FileRoot {
  /** The directory the file must resolve inside, after following every symlink. */
  readonly dir: string;
  /** How messages name it: "the window directory", "the working directory". */
  readonly name: string;
  /**
   * When true, a file named (not via a symlink) outside `dir` is allowed: the user chose it.
   * Policies and configs given as absolute paths elsewhere are read; windows' files never are.
   */
  readonly allowNamedOutside?: boolean;
}

/** An open regular file and its size at open time. */
export interface GuardedFile {
  readonly handle: FileHandle;
  readonly size: number;
}

const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
}

function throughGit(dir: string, path: string): boolean {
  return relative(dir, path).split(sep).includes(".git");
}

async function realpathOrFail(path: string, missing: string, hint: string | undefined): Promise<string> {
  try {
    return await realpath(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") fail({ file: path, message: missing, hint });
    fail({ file: path, message: `cannot read (${code ?? "error"})` });
  }
}

async function isSymlink(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Refuses a path that resolves outside `root` or into `.git`, before anything is read from it. */
async function checkContainment(path: string, real: string, root: FileRoot): Promise<void> {
  const rootReal = await realpath(root.dir).catch(() => resolve(root.dir));
  const refuse = (why: string): never => fail({ file: path, message: `${why}; refused before reading`, hint: `keep the file itself inside ${root.name} (copy it rather than linking to it)` });
  if (isInside(rootReal, real)) {
    if (throughGit(rootReal, real)) refuse("resolves into a .git directory");
    return;
  }
  const nominal = resolve(path);
  const namedInside = isInside(resolve(root.dir), nominal) || isInside(rootReal, nominal);
  if (!root.allowNamedOutside || namedInside || (await isSymlink(nominal))) refuse(`is a symlink that resolves outside ${root.name}`);
  if (real.split(sep).includes(".git")) refuse("resolves into a .git directory");
}

function describeType(st: { isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string {
  if (st.isDirectory()) return "a directory";
  if (st.isFIFO()) return "a FIFO (named pipe)";
  if (st.isCharacterDevice() || st.isBlockDevice()) return "a device";
  if (st.isSocket()) return "a socket";
  return "not a regular file";
}

/**
 * Opens `path` for reading after the checks above. `missing` (and `hint`) say what a missing
 * file means. The caller closes the handle.
 */
export async function openGuarded(path: string, root: FileRoot, missing: string, hint?: string): Promise<GuardedFile> {
  const real = await realpathOrFail(path, missing, hint);
  await checkContainment(path, real, root);
  let handle: FileHandle;
  try {
    handle = await open(real, OPEN_FLAGS);
  } catch (err) {
    fail({ file: path, message: `cannot open (${(err as NodeJS.ErrnoException).code ?? "error"})` });
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) {
      const what = describeType(st);
      fail({
        file: path,
        message: `is ${what === "not a regular file" ? what : `${what}, not a regular file`}`,
        hint: `name a regular file${st.isDirectory() ? ` (${basename(path)} is a directory)` : ""}`,
      });
    }
    return { handle, size: st.size };
  } catch (err) {
    await handle.close();
    throw err;
  }
}

/** Limits and messages for {@link readGuardedText}. */
export interface ReadTextLimits {
  /** Largest file read, in bytes. */
  readonly maxBytes: number;
  /** What a missing file means. */
  readonly missing: string;
  /** How to fix a missing file. */
  readonly hint?: string | undefined;
  /** How to fix a file over `maxBytes`. */
  readonly largeHint?: string | undefined;
}

/**
 * Reads a whole user-named text file of at most `maxBytes` bytes as strict UTF-8. A larger file
 * is refused from its size before a byte is read (and a file that grows while read is cut at the
 * limit and refused).
 */
export async function readGuardedText(path: string, root: FileRoot, limits: ReadTextLimits): Promise<string> {
  const { handle, size } = await openGuarded(path, root, limits.missing, limits.hint);
  const tooLarge = (): never =>
    fail({ file: path, message: `file is larger than ${limits.maxBytes} bytes`, hint: limits.largeHint ?? "a policy, config or manifest this large is not hand-written; check the path" });
  let bytes: Buffer;
  try {
    if (size > limits.maxBytes) tooLarge();
    const buf = Buffer.alloc(Math.min(limits.maxBytes + 1, Math.max(size + 1, 4096)));
    let filled = 0;
    for (;;) {
      if (filled === buf.length) break;
      const { bytesRead } = await handle.read(buf, filled, buf.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    if (filled > limits.maxBytes) tooLarge();
    if (filled === buf.length) fail({ file: path, message: "the file grew while it was read", hint: "read it again once nothing writes to it" });
    bytes = buf.subarray(0, filled);
  } finally {
    await handle.close();
  }
  return decodeUtf8Strict(bytes, path);
}

const strictDecoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** Decodes UTF-8, refusing invalid bytes with the line and column where they are. */
export function decodeUtf8Strict(bytes: Uint8Array, file: string): string {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    const at = locateInvalidUtf8(bytes);
    fail({ file, line: at.line, column: at.column, message: `invalid UTF-8 (byte 0x${at.byte.toString(16).padStart(2, "0")})`, hint: "save the file as UTF-8" });
  }
}
