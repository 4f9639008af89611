/**
 * `replay-gate runs [--dir <runs dir>] [--limit <n>] [--format text|json]`: the run history,
 * newest first, like a control plane's list of runs — id, incident (window), mode, status,
 * duration, triggered by, policy.
 */
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { fail } from "../../core/errors.js";
import { renderRunsTable } from "../../core/evidence/run-record.js";
import { stableJson } from "../../core/report/json.js";
import { DEFAULT_RUNS_DIR, listRunRecords } from "../../io/evidence/run-store.js";
import { parseCommandArgs, parseFormat, usageError } from "../args.js";
import type { CliIo } from "../io.js";
import { forTerminal } from "../../core/neutralize.js";

export const RUNS_USAGE = "replay-gate runs [--dir <runs dir>] [--limit <n>] [--format text|json]";

export async function runsCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(
    "runs",
    argv,
    {
      dir: { type: "string" },
      limit: { type: "string" },
      format: { type: "string" },
    },
    RUNS_USAGE,
  );
  const format = parseFormat("runs", values.format, ["text", "json"], RUNS_USAGE);
  if (values.limit !== undefined && !/^[1-9]\d*$/.test(values.limit)) throw usageError("runs", `--limit takes a positive whole number, not "${values.limit}"`, RUNS_USAGE);
  const dir = values.dir ?? DEFAULT_RUNS_DIR;
  const abs = dir.startsWith("/") ? dir : join(io.cwd, dir);
  // Only the default may be absent (nothing recorded yet); a directory the user names must exist.
  if (values.dir !== undefined && !(await isDirectory(abs)))
    fail({ file: dir, path: "--dir", message: "no such runs directory", hint: `run records are written to ${DEFAULT_RUNS_DIR} (or replay --runs-dir <dir>); name that directory` });
  const all = await listRunRecords(abs);
  const runs = values.limit === undefined ? all : all.slice(0, Number(values.limit));
  if (format === "json") io.stdout(stableJson(runs));
  else if (runs.length === 0) io.stdout(`no runs recorded in ${forTerminal(dir)} (replay --record or --mode enforce writes them)\n`);
  else io.stdout(renderRunsTable(runs));
  return 0;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
