/**
 * User-facing input errors. A bad policy, window or argument is the user's to fix: it is
 * thrown as an {@link InputError}, caught once at the top of a shell, printed one line per
 * problem, and exits 2. Anything else is a bug and is reported as such.
 */
import { forTerminal } from "./neutralize.js";

/** One thing wrong with an input, located as precisely as the input allows. */
export interface Problem {
  /** File the problem is in, as the user named it. */
  readonly file: string;
  /** 1-based line, when known. */
  readonly line?: number | undefined;
  /** 1-based column, when known. */
  readonly column?: number | undefined;
  /** Dotted path of the field inside the document (`detect[2].threshold.within`). */
  readonly path?: string | undefined;
  /** What is wrong. */
  readonly message: string;
  /** How to fix it. */
  readonly hint?: string | undefined;
}

/** An input the user must fix. Carries every problem found, not just the first. */
export class InputError extends Error {
  readonly problems: readonly Problem[];
  constructor(problems: readonly Problem[]) {
    super(problems.map(formatProblem).join("\n"));
    this.name = "InputError";
    this.problems = problems;
  }
}

/** Throws an {@link InputError} with one problem. */
export function fail(problem: Problem): never {
  throw new InputError([problem]);
}

/** `file:line:column: path: message (hint)`, the format editors and CI logs link; one line, neutralised for a terminal. */
export function formatProblem(p: Problem): string {
  let where = p.file;
  if (p.line !== undefined) where += `:${p.line}`;
  if (p.line !== undefined && p.column !== undefined) where += `:${p.column}`;
  const path = p.path ? `${p.path}: ` : "";
  const hint = p.hint ? ` (${p.hint})` : "";
  // Files, paths and messages quote untrusted input (event keys, directory names): one inert line.
  return forTerminal(`${where}: ${path}${p.message}${hint}`);
}

/** Renders a zod-style path (`["detect", 2, "threshold"]`) as `detect[2].threshold`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out;
}
