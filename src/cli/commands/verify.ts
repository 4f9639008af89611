/**
 * `replay-gate verify <window dir>...`: checks pins and schemas without replaying.
 * `replay-gate verify --log <decision-log.jsonl> [--head <sha256:…>] [--records <n>]`: checks the
 * decision log's hash chain (and, with an anchor, that nothing was dropped from its end).
 */
import { join } from "node:path";
import { InputError, formatProblem, type Problem } from "../../core/errors.js";
import { verifyDecisionLog } from "../../io/evidence/decision-log.js";
import { expandWindowArgs, loadWindowSources } from "../../io/windows.js";
import { streamEvents } from "../../io/window.js";
import { parseCommandArgs, parseMaxLineBytes, usageError } from "../args.js";
import { progress, type CliIo } from "../io.js";

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
    io.stdout(`ok ${file}: ${check.records} records, chain intact${check.head ? `, head ${check.head}` : ""}\n`);
    return 0;
  }
  io.stdout(`FAIL ${file}:${check.line}: record ${check.seq ?? "?"} (line ${check.line}) breaks the chain: ${check.reason}: ${check.message}\n`);
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
  const sources = await loadWindowSources(await expandWindowArgs(positionals), (m) => io.stderr(`warning: ${m}\n`), { maxLineBytes });
  const problems: Problem[] = [];
  const bar = progress(io);
  for (const src of sources) {
    try {
      const n = await streamEvents(src, () => {}, { onProgress: (k) => bar.update(`verifying ${src.manifest.id}: ${k} events`) });
      bar.done();
      io.stdout(`ok ${src.dir}: ${n} events, sha256 ${src.manifest.events.sha256}\n`);
    } catch (err) {
      bar.done();
      if (!(err instanceof InputError)) throw err;
      problems.push(...err.problems);
      for (const p of err.problems) io.stdout(`FAIL ${formatProblem(p)}\n`);
    }
  }
  if (problems.length > 0) throw new InputError(problems);
  return 0;
}
