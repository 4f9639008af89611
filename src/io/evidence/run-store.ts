/**
 * Run records on disk: one JSON file per execution in a runs directory (default
 * `.replay-gate/runs/` under the working directory), named `<started>-<id>.json` so a directory
 * listing is the history in time order, and two runs of the same inputs keep both entries.
 */
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { InputError, type Problem } from "../../core/errors.js";
import { compareRunsNewestFirst, runRecordSchema, type RunRecord } from "../../core/evidence/run-record.js";
import { stableJson } from "../../core/report/json.js";

export const DEFAULT_RUNS_DIR = ".replay-gate/runs";

/** `2026-02-26T10:12:00.123Z` → `20260226T101200123Z`. */
function compactTime(iso: string): string {
  return iso.replace(/[-:.]/g, "");
}

/** Writes one run record; returns the file written. */
export async function writeRunRecord(dir: string, record: RunRecord): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${compactTime(record.started_at)}-${record.id}.json`);
  await writeFile(path, stableJson(runRecordSchema.parse(record)));
  return path;
}

/** Every run record in `dir`, newest first. A missing directory is an empty history; an invalid file is an input error. */
export async function listRunRecords(dir: string): Promise<RunRecord[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith(".json"));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  }
  const runs: RunRecord[] = [];
  const problems: Problem[] = [];
  for (const name of names) {
    const file = join(dir, name);
    try {
      const parsed = runRecordSchema.safeParse(JSON.parse(await readFile(file, "utf8")));
      if (parsed.success) runs.push(parsed.data);
      else problems.push({ file, path: parsed.error.issues[0]!.path.join("."), message: parsed.error.issues[0]!.message, hint: "not a replay-gate/run-record@1 record" });
    } catch (err) {
      problems.push({ file, message: `not valid JSON: ${(err as Error).message}` });
    }
  }
  if (problems.length > 0) throw new InputError(problems);
  return runs.sort(compareRunsNewestFirst);
}
