/**
 * `replay-gate verify <window dir>...`: checks pins and schemas without replaying.
 * `replay-gate verify --log <decision-log.jsonl> [--anchor <hash>[/<records>]]`: checks the
 * decision log's hash chain. Without an anchor that proves only that the records agree with each
 * other — a log cut at a record boundary, rewritten with recomputed hashes or emptied agrees with
 * itself too — and the output says so; with the anchor a run published (its commit status, its
 * job summary) it also proves the log is the one that run left.
 */
import { join } from "node:path";
import { InputError, formatProblem, type Problem } from "../../core/errors.js";
import { parseAnchor, type ChainAnchor } from "../../core/evidence/decision-log.js";
import { verifyDecisionLog } from "../../io/evidence/decision-log.js";
import { parseYaml } from "../../core/yaml.js";
import { expandWindowArgs } from "../../io/windows.js";
import { readWindowManifest, streamEvents, type WindowSource, type WindowReadLimits } from "../../io/window.js";
import { parseCommandArgs, parseMaxLineBytes, usageError } from "../args.js";
import { progress, type CliIo } from "../io.js";
import { forTerminal } from "../../core/neutralize.js";

export const VERIFY_USAGE = "replay-gate verify <window dir|glob>... [--max-line-bytes <n>] | verify --log <decision-log.jsonl> [--anchor <sha256:…>[/<records>]] [--records <n>]";

/** What an unanchored `ok` means, printed with it. */
export const UNANCHORED_NOTE =
  "unanchored: this proves only that the records agree with each other; a log cut at a record boundary, rewritten with recomputed hashes, with a record inserted, or emptied would pass too. Give --anchor with the head a run published (its commit status ends with `log <hash>/<records>`, its job summary names the whole hash)";

/** `--anchor` (or its older name `--head`) and `--records`, as one anchor; bad values are usage errors. */
function anchorOf(anchorArg: string | undefined, records: string | undefined): ChainAnchor | undefined {
  let anchor: ChainAnchor | undefined;
  if (anchorArg !== undefined) {
    const parsed = parseAnchor(anchorArg);
    if (parsed === null) throw usageError("verify", `--anchor takes sha256:<hex> (at least 16 hex digits, optionally /<records>), not "${anchorArg.slice(0, 80)}"`, VERIFY_USAGE);
    anchor = parsed;
  }
  if (records !== undefined) {
    if (!/^\d{1,9}$/.test(records)) throw usageError("verify", `--records takes a whole number, not "${records.slice(0, 80)}"`, VERIFY_USAGE);
    if (anchor?.records !== undefined && anchor.records !== Number(records)) throw usageError("verify", `--records ${records} contradicts the anchor's /${anchor.records}`, VERIFY_USAGE);
    anchor = { ...anchor, records: Number(records) };
  }
  return anchor;
}

async function verifyLog(file: string, anchor: ChainAnchor | undefined, io: CliIo): Promise<number> {
  const check = await verifyDecisionLog(file.startsWith("/") ? file : join(io.cwd, file), anchor ?? {}).catch((err: unknown) => {
    // Name the log as the user did, not by its resolved path.
    if (err instanceof InputError) throw new InputError(err.problems.map((p) => ({ ...p, file })));
    throw err;
  });
  if (check.ok) {
    const what = `${check.records} record${check.records === 1 ? "" : "s"}, chain intact${check.head ? `, head ${check.head}` : ""}`;
    if (anchor !== undefined) io.stdout(`ok ${forTerminal(file)}: ${what}, matches the anchor\n`);
    else io.stdout(`ok ${forTerminal(file)}: ${what}\n${UNANCHORED_NOTE}\n`);
    return 0;
  }
  io.stdout(`FAIL ${forTerminal(`${file}:${check.line}: record ${check.seq ?? "?"} (line ${check.line}) breaks the chain: ${check.reason}: ${check.message}`)}\n`);
  io.stdout(`${check.valid} record${check.valid === 1 ? "" : "s"} before it verified\n`);
  return 1;
}

export async function verifyCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    "verify",
    argv,
    {
      log: { type: "string" },
      anchor: { type: "string" },
      head: { type: "string" },
      records: { type: "string" },
      "max-line-bytes": { type: "string" },
    },
    VERIFY_USAGE,
    true,
  );
  const maxLineBytes = parseMaxLineBytes("verify", values["max-line-bytes"], VERIFY_USAGE);
  if (values.log !== undefined) {
    if (positionals.length > 0) throw usageError("verify", "give either --log or window directories, not both", VERIFY_USAGE);
    if (values.anchor !== undefined && values.head !== undefined) throw usageError("verify", "give --anchor or its older name --head, not both", VERIFY_USAGE);
    return verifyLog(values.log, anchorOf(values.anchor ?? values.head, values.records), io);
  }
  if (values.anchor !== undefined || values.head !== undefined || values.records !== undefined) throw usageError("verify", "--anchor and --records go with --log", VERIFY_USAGE);
  if (positionals.length === 0) throw usageError("verify", "name at least one window directory", VERIFY_USAGE);
  const dirs = await expandWindowArgs(positionals);
  const bar = progress(io);
  let failed = 0;
  // Each window on its own: a broken manifest is that window's FAIL line, not the end of the run.
  for (const dir of dirs) {
    const problems = await verifyWindow(
      dir,
      { maxLineBytes },
      (k, id) => bar.update(`verifying ${id}: ${k} events`),
      (line) => {
        bar.done();
        io.stdout(line);
      },
    );
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
