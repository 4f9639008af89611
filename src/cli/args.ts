/** Argument parsing on node:util's parseArgs, with usage errors as InputErrors (exit 2). */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { InputError } from "../core/errors.js";

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
