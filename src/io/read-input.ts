/**
 * Reading a file the user named (policy, config): a missing or unreadable file is an input error
 * (exit 2), not a crash. The file must be a regular file; one reached through a symlink must
 * resolve inside the working directory and outside `.git` (see guarded-open.ts), so a policy
 * linked to `.git/config` is refused before its content could reach an error message.
 */
import { MAX_YAML_BYTES } from "../core/yaml.js";
import { readGuardedText } from "./guarded-open.js";

/** Reads `path` as UTF-8; `missing` (and `hint`) say what it means when the file does not exist. */
export async function readInputText(path: string, missing: string, hint?: string, cwd: string = process.cwd()): Promise<string> {
  return readGuardedText(path, { dir: cwd, name: "the working directory", allowNamedOutside: true }, { maxBytes: MAX_YAML_BYTES, missing, hint });
}
