/** Argument parsing on node:util's parseArgs, with usage errors as InputErrors (exit 2). */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { InputError } from "../core/errors.js";
import { MAX_LINE_BYTES_CEILING } from "../core/config.js";
import { MAX_JOBS, type Jobs } from "../io/worker-pool.js";

export const FORMATS = ["text", "json", "markdown"] as const;
export type Format = (typeof FORMATS)[number];

/** Parses argv for one subcommand; unknown flags are errors that name the command's usage. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig["options"]>>(command: string, argv: string[], options: T, usage: string, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals });
  } catch (err) {
    throw usageError(command, (err as Error).message, usage);
  }
}

export function usageError(command: string, message: string, usage: string): InputError {
  return new InputError([{ file: `replay-gate ${command}`, message, hint: `usage: ${usage}` }]);
}

/** Validates `--format` against the formats a command supports. */
export function parseFormat(command: string, value: string | undefined, allowed: readonly Format[], usage: string): Format {
  const format = (value ?? "text") as Format;
  if (!allowed.includes(format)) throw usageError(command, `--format must be one of ${allowed.join(", ")}, not "${value}"`, usage);
  return format;
}

/**
 * `--max-line-bytes <n>`: the longest events line a window may hold (docs/capture.md, "Reading
 * limits"). Undefined when not given: the config's `limits.max_line_bytes`, else 1 MiB, applies.
 */
export function parseMaxLineBytes(command: string, value: string | undefined, usage: string): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\d{1,12}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1024 && n <= MAX_LINE_BYTES_CEILING))
    throw usageError(command, `--max-line-bytes takes a whole number of bytes from 1024 to ${MAX_LINE_BYTES_CEILING}, not "${value.slice(0, 40)}"`, usage);
  return n;
}

/** The `--jobs <n>` flag, for a command's parseArgs options. */
export const JOBS_FLAG = { jobs: { type: "string" } } as const;

/**
 * `--jobs <n>`: windows replayed at once (this thread and n − 1 worker threads), never more
 * than the cores; without it `auto` (one per core as the library's size pays for them; docs/benchmark.md,
 * "All cores"). `--jobs 1` replays in this thread.
 */
export function parseJobs(command: string, value: string | undefined, usage: string): Jobs {
  if (value === undefined) return "auto";
  const n = /^\d{1,3}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= MAX_JOBS)) throw usageError(command, `--jobs takes a whole number of workers from 1 to ${MAX_JOBS}, not "${value.slice(0, 40)}"`, usage);
  return n;
}
