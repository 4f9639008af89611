/** `replay-gate explain --policy <file> --window <dir> --at <trace index | RFC 3339 time>` */
import { Engine } from "../../core/engine/engine.js";
import { fail } from "../../core/errors.js";
import { renderSnapshotText } from "../../core/report/replay-text.js";
import { stableJson } from "../../core/report/json.js";
import { parseTimestamp } from "../../core/time.js";
import { readPolicyFile } from "../../io/policies.js";
import { PREFIX_BUFFER_EVENTS } from "../../io/diff-run.js";
import { replayPass, timeTravel } from "../../io/replay-pass.js";
import { loadWindowSources } from "../../io/windows.js";
import { parseCommandArgs, parseFormat, parseMaxLineBytes, usageError } from "../args.js";
import { useColor, warner, type CliIo } from "../io.js";

export const EXPLAIN_USAGE = "replay-gate explain --policy <file> --window <dir> --at <trace index|RFC 3339 time|first-incident|latest> [--format text|json] [--max-line-bytes <n>]";

export async function explainCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(
    "explain",
    argv,
    {
      policy: { type: "string" },
      window: { type: "string" },
      at: { type: "string" },
      format: { type: "string" },
      "max-line-bytes": { type: "string" },
    },
    EXPLAIN_USAGE,
  );
  const format = parseFormat("explain", values.format, ["text", "json"], EXPLAIN_USAGE);
  if (!values.policy || !values.window || values.at === undefined) throw usageError("explain", "--policy, --window and --at are required", EXPLAIN_USAGE);
  const policy = await readPolicyFile(values.policy);
  const [src] = await loadWindowSources([values.window], warner(io), { maxLineBytes: parseMaxLineBytes("explain", values["max-line-bytes"], EXPLAIN_USAGE) });
  const at = values.at;
  let engine: Engine;
  // Every path reads the whole window once, so the pin is verified before a state is shown.
  if (at === "latest" || (!/^\d+$/.test(at) && at !== "first-incident")) {
    // A time: the state after every event at or before it (so after every step at or before it).
    const until = at === "latest" ? Infinity : parseTimestamp(at);
    if (until === undefined)
      fail({ file: "replay-gate explain", path: "--at", message: `"${at}" is neither a trace index (0, 1, …), an RFC 3339 time, first-incident nor latest`, hint: `usage: ${EXPLAIN_USAGE}` });
    const m = src!.manifest;
    const start = parseTimestamp(m.start)!,
      end = parseTimestamp(m.end)!;
    if (until !== Infinity && (until < start || until > end)) {
      fail({
        file: `${src!.dir}/window.yaml`,
        path: "--at",
        message: `${at} is outside the window, which runs from ${m.start} to ${m.end}`,
        hint: "give a time inside the window, a trace index, first-incident or latest",
      });
    }
    const travelling = new Engine(policy.compiled);
    engine = travelling;
    await replayPass(src!, {
      engines: [
        {
          push: (e, id) => {
            if (e.ts <= until) travelling.push(e, id);
          },
        },
      ],
    });
  } else if (at === "first-incident") {
    // One pass finds the step; the time travel to it replays the head of the window kept in memory.
    const full = new Engine(policy.compiled, { trace: true });
    const { prefix } = await replayPass(src!, { engines: [full], keepPrefix: PREFIX_BUFFER_EVENTS });
    const index = full.finish().trace.findIndex((t) => t.label === "incident.open");
    if (index === -1) fail({ file: src!.dir, message: "no incident opens in this window", hint: "use --at latest or a trace index" });
    engine = new Engine(policy.compiled, { stopAfterTrace: index });
    await timeTravel(src!, [{ engine }], { prefix });
  } else {
    const index = Number(at);
    engine = new Engine(policy.compiled, { stopAfterTrace: index });
    await replayPass(src!, { engines: [engine] });
    if (!engine.halted) {
      const last = engine.snapshot().trace_index;
      fail({
        file: src!.dir,
        path: "--at",
        message: last < 0 ? `trace index ${index} does not exist: the window's replay has no trace step` : `trace index ${index} is past the last step (${last})`,
        hint: last < 0 ? "use --at latest" : `use a trace index from 0 to ${last}, or --at latest`,
      });
    }
  }
  const snapshot = engine.snapshot();
  io.stdout(format === "json" ? stableJson(snapshot) : renderSnapshotText(snapshot, useColor(io)));
  return 0;
}
