/** `replay-gate replay --policy <file> --window <dir>... [--format text|json] [--trace]` */
import { readPolicyFile } from "../../io/policies.js";
import { expandWindowArgs, loadWindowSources, replayWindow } from "../../io/windows.js";
import { checkExpectations } from "../../core/engine/expectations.js";
import { buildReplayReport, buildWindowReplay, policyRef, windowRef, type WindowReplay } from "../../core/report/replay.js";
import { renderReplayText } from "../../core/report/replay-text.js";
import { stableJson } from "../../core/report/json.js";
import { scopeCovers } from "../../core/policy/scope.js";
import { parseCommandArgs, parseFormat, usageError } from "../args.js";
import { progress, useColor, type CliIo } from "../io.js";

export const REPLAY_USAGE = "replay-gate replay --policy <file> --window <dir|glob>... [--format text|json] [--trace]";

export async function replayCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs("replay", argv, {
    policy: { type: "string" },
    window: { type: "string", multiple: true },
    format: { type: "string" },
    trace: { type: "boolean" },
  }, REPLAY_USAGE, true);
  const format = parseFormat("replay", values.format, ["text", "json"], REPLAY_USAGE);
  if (!values.policy) throw usageError("replay", "--policy is required", REPLAY_USAGE);
  const windowArgs = [...(values.window ?? []), ...positionals];
  if (windowArgs.length === 0) throw usageError("replay", "give at least one --window", REPLAY_USAGE);
  const policy = await readPolicyFile(values.policy);
  const sources = await loadWindowSources(await expandWindowArgs(windowArgs), (m) => io.stderr(`warning: ${m}\n`));
  const bar = progress(io);
  const windows: WindowReplay[] = [];
  for (const src of sources) {
    if (!scopeCovers(policy.doc.scope, src.manifest.scope)) {
      io.stderr(`warning: ${src.dir}: the policy's scope does not cover the window's scope; out-of-scope events are ignored\n`);
    }
    const [result] = await replayWindow(src, [policy.compiled], {
      onProgress: (n) => bar.update(`replaying ${src.manifest.id}: ${n} events`),
    });
    bar.done();
    windows.push(buildWindowReplay(windowRef(src.dir, src.manifest), policyRef(policy), result!, checkExpectations(src.manifest.expect, result!), values.trace === true));
  }
  const report = buildReplayReport(windows);
  io.stdout(format === "json" ? stableJson(report) : renderReplayText(report, useColor(io)));
  return report.status === "pass" ? 0 : 1;
}
