/** `replay-gate verify <window dir>...`: checks pins and schemas without replaying. */
import { InputError, formatProblem, type Problem } from "../../core/errors.js";
import { expandWindowArgs, loadWindowSources } from "../../io/windows.js";
import { streamEvents } from "../../io/window.js";
import { parseCommandArgs, usageError } from "../args.js";
import { progress, type CliIo } from "../io.js";

export const VERIFY_USAGE = "replay-gate verify <window dir|glob>...";

export async function verifyCommand(argv: string[], io: CliIo): Promise<number> {
  const { positionals } = parseCommandArgs("verify", argv, {}, VERIFY_USAGE, true);
  if (positionals.length === 0) throw usageError("verify", "name at least one window directory", VERIFY_USAGE);
  const sources = await loadWindowSources(await expandWindowArgs(positionals), (m) => io.stderr(`warning: ${m}\n`));
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
