/**
 * `replay-gate verify <window dir>...`: checks pins and schemas without replaying.
 * `replay-gate verify --log <decision-log.jsonl> [--head <sha256:…>] [--records <n>]`: checks the
 * decision log's hash chain (and, with an anchor, that nothing was dropped from its end).
 */
import { join } from "node:path";
import { InputError, formatProblem, type Problem } from "../../core/errors.js";
import { verifyDecisionLog } from "../../io/evidence/decision-log.js";
import { parseYaml } from "../../core/yaml.js";
import { expandWindowArgs } from "../../io/windows.js";
import { readWindowManifest, streamEvents, type WindowSource, type WindowReadLimits } from "../../io/window.js";
import { parseCommandArgs, parseMaxLineBytes, usageError } from "../args.js";
import { progress, type CliIo } from "../io.js";
import { forTerminal } from "../../core/neutralize.js";

export const VERIFY_USAGE = "replay-gate verify <window dir|glob>... [--max-line-bytes <n>] | verify --log <decision-log.jsonl> [--head <sha256:…>] [--records <n>]";

async function verifyLog(file: string, head: string | undefined, records: string | undefined, io: CliIo): Promise<number> {
  let n: number | undefined;
  if (records !== undefined) {
    if (!/^\d+$/.test(records)) throw usageError("verify", `--records takes a whole number, not "${records}"`, VERIFY_USAGE);
    n = Number(records);
  }
  const check = await verifyDecisionLog(file.startsWith("/") ? file : join(io.cwd, file), { head, records: n }).catch((err: unknown) => {
    // Name the log as the user did, not by its resolved path.
    if (err instanceof InputError) throw new InputError(err.problems.map((p) => ({ ...p, file })));
    throw err;
  });
  if (check.ok) {
    io.stdout(`ok ${forTerminal(file)}: ${check.records} records, chain intact${check.head ? `, head ${check.head}` : ""}\n`);
    return 0;
  }
  io.stdout(`FAIL ${forTerminal(`${file}:${check.line}: record ${check.seq ?? "?"} (line ${check.line}) breaks the chain: ${check.reason}: ${check.message}`)}\n`);
  io.stdout(`${check.valid} record${check.valid === 1 ? "" : "s"} before it verified\n`);
  return 1;
}

export async function verifyCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs("verify", argv, {
    log: { type: "string" },
    head: { type: "string" },
    records: { type: "string" },
    "max-line-bytes": { type: "string" },
  }, VERIFY_USAGE, true);
  const maxLineBytes = parseMaxLineBytes("verify", values["max-line-bytes"], VERIFY_USAGE);
  if (values.log !== undefined) {
    if (positionals.length > 0) throw usageError("verify", "give either --log or window directories, not both", VERIFY_USAGE);
    return verifyLog(values.log, values.head, values.records, io);
  }
  if (values.head !== undefined || values.records !== undefined) throw usageError("verify", "--head and --records go with --log", VERIFY_USAGE);
  if (positionals.length === 0) throw usageError("verify", "name at least one window directory", VERIFY_USAGE);
  const dirs = await expandWindowArgs(positionals);
  const bar = progress(io);
  let failed = 0;
  // Each window on its own: a broken manifest is that window's FAIL line, not the end of the run.
  for (const dir of dirs) {
    const problems = await verifyWindow(dir, { maxLineBytes }, (k, id) => bar.update(`verifying ${id}: ${k} events`), (line) => {
      bar.done();
      io.stdout(line);
    });
    bar.done();
    if (problems.length > 0) failed++;
  }
  if (failed > 0) {
    // The problems were printed once, on their FAIL lines; the summary only counts them.
    io.stderr(`verify: ${failed} of ${dirs.length} window(s) failed\n`);
    return 2;
  }
  return 0;
}

/** Verifies one window; prints `ok …` or one `FAIL <dir>: <problem>` line per problem; returns the problems. */
async function verifyWindow(dir: string, limits: WindowReadLimits, onProgress: (events: number, id: string) => void, print: (line: string) => void): Promise<Problem[]> {
  let src: WindowSource;
  try {
    src = await readWindowManifest(dir, limits);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    for (const p of err.problems) print(`FAIL ${forTerminal(dir)}: ${forTerminal(formatProblem(p))}\n`);
    return [...err.problems];
  }
  try {
    const n = await streamEvents(src, () => {}, { onProgress: (k) => onProgress(k, src.manifest.id) });
    print(`ok ${forTerminal(dir)}: ${n} events, sha256 ${forTerminal(src.manifest.events.sha256)}\n`);
    return [];
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    const problems = err.problems.map((p) => locatePin(p, src));
    for (const p of problems) print(`FAIL ${forTerminal(dir)}: ${forTerminal(formatProblem(p))}\n`);
    return problems;
  }
}

/** A pin mismatch names `events.sha256` / `events.count` / `events.bytes`: add the line where window.yaml pins it. */
function locatePin(p: Problem, src: WindowSource): Problem {
  if (p.file !== src.manifestPath || p.path === undefined || p.line !== undefined) return p;
  const at = parseYaml(src.manifestText, src.manifestPath).locate(p.path.split("."));
  return at === undefined ? p : { ...p, line: at.line, column: at.column };
}
