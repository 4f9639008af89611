/** `replay-gate explain --policy <file> --window <dir> --at <trace index | RFC 3339 time>` */
import { Engine } from "../../core/engine/engine.js";
import { fail } from "../../core/errors.js";
import { renderSnapshotText } from "../../core/report/replay-text.js";
import { stableJson } from "../../core/report/json.js";
import { parseTimestamp } from "../../core/time.js";
import { readPolicyFile } from "../../io/policies.js";
import { loadWindowSources, replayWindow } from "../../io/windows.js";
import { streamEvents } from "../../io/window.js";
import { parseCommandArgs, parseFormat, parseMaxLineBytes, usageError } from "../args.js";
import { useColor, type CliIo } from "../io.js";

export const EXPLAIN_USAGE = "replay-gate explain --policy <file> --window <dir> --at <trace index|RFC 3339 time|first-incident|latest> [--format text|json] [--max-line-bytes <n>]";

export async function explainCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs("explain", argv, {
    policy: { type: "string" },
    window: { type: "string" },
    at: { type: "string" },
    format: { type: "string" },
    "max-line-bytes": { type: "string" },
  }, EXPLAIN_USAGE);
  const format = parseFormat("explain", values.format, ["text", "json"], EXPLAIN_USAGE);
  if (!values.policy || !values.window || values.at === undefined) throw usageError("explain", "--policy, --window and --at are required", EXPLAIN_USAGE);
  const policy = await readPolicyFile(values.policy);
  const [src] = await loadWindowSources([values.window], (m) => io.stderr(`warning: ${m}\n`), { maxLineBytes: parseMaxLineBytes("explain", values["max-line-bytes"], EXPLAIN_USAGE) });
  const at = values.at;
  let engine: Engine;
  if (at === "latest" || (!/^\d+$/.test(at) && at !== "first-incident")) {
    // A time: the state after every event at or before it (so after every step at or before it).
    const until = at === "latest" ? Infinity : parseTimestamp(at);
    if (until === undefined) throw usageError("explain", `--at takes a trace index, an RFC 3339 time, first-incident or latest, not "${at}"`, EXPLAIN_USAGE);
    engine = new Engine(policy.compiled);
    await streamEvents(src!, (e, id) => {
      if (e.ts <= until) engine.push(e, id);
    });
  } else {
    let index: number;
    if (at === "first-incident") {
      const [full] = await replayWindow(src!, [policy.compiled]);
      index = full!.trace.findIndex((t) => t.label === "incident.open");
      if (index === -1) fail({ file: src!.dir, message: "no incident opens in this window", hint: "use --at latest or a trace index" });
    } else index = Number(at);
    engine = new Engine(policy.compiled, { stopAfterTrace: index });
    await streamEvents(src!, (e, id) => engine.push(e, id));
    if (!engine.halted) fail({ file: "--at", message: `trace index ${index} is past the last step (${engine.snapshot().trace_index})` });
  }
  const snapshot = engine.snapshot();
  io.stdout(format === "json" ? stableJson(snapshot) : renderSnapshotText(snapshot, useColor(io)));
  return 0;
}
