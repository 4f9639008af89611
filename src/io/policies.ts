/** Reading policy files from disk. */
import { readFile } from "node:fs/promises";
import { fail } from "../core/errors.js";
import { loadPolicyText, type LoadedPolicy } from "../core/policy/load.js";

/** Reads, validates and compiles a policy file; errors name file, line, column and path. */
export async function readPolicyFile(path: string): Promise<LoadedPolicy> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    fail({ file: path, message: code === "ENOENT" ? "no such policy file" : `cannot read: ${(err as Error).message}` });
  }
  return loadPolicyText(text, path);
}
