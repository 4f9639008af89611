/** Loading `.github/replay-gate.yml` from disk or at a git ref (the format: docs/gate.md). */
import { access } from "node:fs/promises";
import { join } from "node:path";
import { CONFIG_PATH, DEFAULT_CONFIG, parseConfigText, type ReplayGateConfig } from "../core/config.js";
import { fail } from "../core/errors.js";
import { sha256Hex } from "../core/hash.js";
import { resolveCommit, showFile } from "./git.js";
import { readInputText } from "./read-input.js";

/** A config and where it came from; `file` and `sha256` are null for the built-in defaults. */
export interface LoadedConfig {
  readonly config: ReplayGateConfig;
  readonly file: string | null;
  readonly sha256: string | null;
}

/**
 * The config `diff` uses without `--config`: `.github/replay-gate.yml` under `cwd` when present
 * (like `check`), else null (the defaults).
 */
export async function readDefaultConfigFile(cwd: string): Promise<LoadedConfig | null> {
  const path = join(cwd, CONFIG_PATH);
  try {
    await access(path);
  } catch {
    return null;
  }
  const loaded = await readConfigFile(path);
  return { ...loaded, file: CONFIG_PATH };
}

/** Reads a config file; a missing file is an input error (the caller asked for it). */
export async function readConfigFile(path: string): Promise<LoadedConfig> {
  const text = await readInputText(path, "no such config file");
  return { config: parseConfigText(text, path), file: path, sha256: `sha256:${sha256Hex(text)}` };
}

/**
 * Reads the config at a git ref (the Action reads it from the base commit, so a pull request
 * cannot relax its own gate). No file there means the defaults — unless the path was given
 * explicitly (`required`): a config someone named and that is not there fails closed.
 */
export async function readConfigAtRef(ref: string, cwd: string, path: string = CONFIG_PATH, required = false): Promise<LoadedConfig> {
  const commit = await resolveCommit(ref, cwd);
  if (commit === null) fail({ file: ref, message: "not a git ref in this repository" });
  let text: string;
  try {
    text = await showFile(commit, ref, path, cwd);
  } catch {
    if (required)
      fail({
        file: `${ref}:${path}`,
        message: `no such config file at ${ref}`,
        hint: `commit ${path} to the base branch, or leave the config unset to use ${CONFIG_PATH} when present and the defaults otherwise`,
      });
    return { config: DEFAULT_CONFIG, file: null, sha256: null };
  }
  return { config: parseConfigText(text, `${ref}:${path}`), file: `${ref}:${path}`, sha256: `sha256:${sha256Hex(text)}` };
}
