/** `replay-gate explain --policy <file> --window <dir> --at <trace index | RFC 3339 time>` */
import { Engine } from "../../core/engine/engine.js";
import { fail } from "../../core/errors.js";
import { renderSnapshotText } from "../../core/report/replay-text.js";
import { stableJson } from "../../core/report/json.js";
import { parseTimestamp } from "../../core/time.js";
import { readPolicyFile } from "../../io/policies.js";
import { loadWindowSources, replayWindow } from "../../io/windows.js";
import { streamEvents } from "../../io/window.js";
import { parseCommandArgs, parseFormat, usageError } from "../args.js";
import { useColor, type CliIo } from "../io.js";

export const EXPLAIN_USAGE = "replay-gate explain --policy <file> --window <dir> --at <trace index|RFC 3339 time|first-incident|latest> [--format text|json]";

export async function explainCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs("explain", argv, {
    policy: { type: "string" },
    window: { type: "string" },
    at: { type: "string" },
    format: { type: "string" },
  }, EXPLAIN_USAGE);
  const format = parseFormat("explain", values.format, ["text", "json"], EXPLAIN_USAGE);
  if (!values.policy || !values.window || values.at === undefined) throw usageError("explain", "--policy, --window and --at are required", EXPLAIN_USAGE);
  const policy = await readPolicyFile(values.policy);
  const [src] = await loadWindowSources([values.window], (m) => io.stderr(`warning: ${m}\n`));
  const [full] = await replayWindow(src!, [policy.compiled]);
  const trace = full!.trace;
  const at = values.at;
  let index: number;
  if (at === "latest") index = trace.length - 1;
  else if (at === "first-incident") {
    index = trace.findIndex((t) => t.label === "incident.open");
    if (index === -1) fail({ file: src!.dir, message: "no incident opens in this window", hint: "use --at latest or a trace index" });
  } else if (/^\d+$/.test(at)) {
    index = Number(at);
    if (index >= trace.length) fail({ file: "--at", message: `trace index ${index} is past the last step (${trace.length - 1})` });
  } else {
    const t = parseTimestamp(at);
    if (t === undefined) throw usageError("explain", `--at takes a trace index, an RFC 3339 time, first-incident or latest, not "${at}"`, EXPLAIN_USAGE);
    // The last step at or before that time; -1 (before any step) when none.
    index = -1;
    for (const step of trace) if (step.at_ms <= t) index = step.index;
  }
  const engine = new Engine(policy.compiled, { stopAfterTrace: index < 0 ? undefined : index });
  if (index >= 0) await streamEvents(src!, (e, id) => engine.push(e, id));
  const snapshot = engine.snapshot();
  io.stdout(format === "json" ? stableJson(snapshot) : renderSnapshotText(snapshot, useColor(io)));
  return 0;
}
