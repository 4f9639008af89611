/** `replay --policy <rule file>`: Prometheus rules replayed over metric windows (issue 14). */
import { parseRuleDuration } from "../../core/kinds/prometheus-rules/rules-file.js";
import { renderRulesText } from "../../core/kinds/prometheus-rules/report.js";
import { stableJson } from "../../core/report/json.js";
import { replayRulesFile } from "../../io/rules-replay.js";
import { expandWindowArgs, loadWindowSources } from "../../io/windows.js";
import { usageError } from "../args.js";
import type { CliIo } from "../io.js";

const USAGE = "replay-gate replay --policy <rules.yaml> --window <dir|glob>... [--format text|json] [--evaluation-interval 1m] [--prometheus-semantics 2|3]";

/** Replays a rule file; exit 0 (a replay has no gate), 2 on bad input. */
export async function rulesReplay(policy: string, windowArgs: string[], interval: string | undefined, semantics: string | undefined, format: string, io: CliIo): Promise<number> {
  const ms = interval === undefined ? 60_000 : parseRuleDuration(interval);
  if (ms === undefined || ms <= 0) throw usageError("replay", `--evaluation-interval must be a duration such as 30s or 1m, not "${interval}"`, USAGE);
  if (semantics !== undefined && semantics !== "2" && semantics !== "3") throw usageError("replay", `--prometheus-semantics must be 2 or 3, not "${semantics}"`, USAGE);
  const sources = await loadWindowSources(await expandWindowArgs(windowArgs), (m) => io.stderr(`warning: ${m}\n`));
  const report = await replayRulesFile(policy, sources, { evaluationIntervalMs: ms, prometheus2: semantics === "2" });
  io.stdout(format === "json" ? stableJson(report) : renderRulesText(report));
  return 0;
}
