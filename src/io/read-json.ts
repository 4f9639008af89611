/**
 * Reading JSON documents back (a report, a shard's report): through the guarded open (a regular
 * file, bounded size), as strict UTF-8, and refusing duplicate keys — a forged report must not
 * say one thing to a reviewer reading the file and another to the code that merges it.
 */
import { dirname } from "node:path";
import { parseJsonStrict } from "../core/json-keys.js";
import { readGuardedText, type FileRoot } from "./guarded-open.js";

/** Largest report read back: reports of big libraries run to megabytes, not to gigabytes. */
export const MAX_REPORT_BYTES = 256 * 1024 * 1024;

/**
 * Reads and parses a JSON file strictly. `root` defaults to the file's own directory (an
 * artifact we downloaded); a user-named file passes the working directory.
 */
export async function readJsonStrict(
  path: string,
  messages: { readonly missing: string; readonly hint?: string | undefined },
  root: FileRoot = { dir: dirname(path), name: "its directory" },
): Promise<unknown> {
  const text = await readGuardedText(path, root, { maxBytes: MAX_REPORT_BYTES, ...messages, largeHint: "this is not a replay-gate report; check the path" });
  return parseJsonStrict(text, path);
}
