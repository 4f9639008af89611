/** Reading a file the user named: a missing or unreadable file is an input error (exit 2), not a crash. */
import { readFile } from "node:fs/promises";
import { fail } from "../core/errors.js";

/** Reads `path` as UTF-8; `missing` (and `hint`) say what it means when the file does not exist. */
export async function readInputText(path: string, missing: string, hint?: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    const enoent = (err as NodeJS.ErrnoException).code === "ENOENT";
    fail({ file: path, message: enoent ? missing : `cannot read: ${(err as Error).message}`, hint: enoent ? hint : undefined });
  }
}
