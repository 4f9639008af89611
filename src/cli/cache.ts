/**
 * The verified window cache on the command line (`replay`, `diff`, `check`): on by default in
 * `.replay-gate/cache` under the working directory; `--cache <dir>` names another directory,
 * `--no-cache` turns it off; without flags, `REPLAY_GATE_CACHE` may name a directory or say `off`.
 */
import { resolve } from "node:path";
import { DEFAULT_CACHE_DIR } from "../io/window-cache.js";
import { usageError } from "./args.js";
import type { CliIo } from "./io.js";

/** The flags, for a command's parseArgs options. */
export const CACHE_FLAGS = {
  cache: { type: "string" },
  "no-cache": { type: "boolean" },
} as const;

/** The cache directory the flags and environment ask for, or undefined when caching is off. */
export function cacheDirFrom(command: string, values: { cache?: string | undefined; "no-cache"?: boolean | undefined }, io: CliIo, usage: string): string | undefined {
  if (values.cache !== undefined && values["no-cache"] === true) throw usageError(command, "--cache and --no-cache contradict each other; give one", usage);
  if (values["no-cache"] === true) return undefined;
  if (values.cache !== undefined) {
    if (values.cache === "") throw usageError(command, "--cache needs a directory", usage);
    return resolve(io.cwd, values.cache);
  }
  const env = io.env.REPLAY_GATE_CACHE;
  if (env === "off" || env === "0" || env === "false") return undefined;
  return resolve(io.cwd, env !== undefined && env !== "" ? env : DEFAULT_CACHE_DIR);
}
