/** Replaying Prometheus rule files over metric windows: read the file and windows, run the kind, build the report. */
import { loadKindPolicy } from "../core/kinds/registry.js";
import { prometheusRulesKind, withRuleOptions, type CompiledRules } from "../core/kinds/prometheus-rules/index.js";
import { buildRulesReport } from "../core/kinds/prometheus-rules/report.js";
import type { RulesReport } from "../core/model/rules-replay.js";
import { parseYaml } from "../core/yaml.js";
import { readInputText } from "./read-input.js";
import { streamEvents, type WindowSource } from "./window.js";
import type { RuleRunOptions } from "../core/kinds/prometheus-rules/evaluate.js";

/** True when the policy file is a Prometheus rule file or PrometheusRule resource. */
export async function isRulesFile(path: string): Promise<boolean> {
  const text = await readInputText(path, "no such policy file");
  try {
    return prometheusRulesKind.recognise(parseYaml(text, path).value);
  } catch {
    return false;
  }
}

/** Replays the rule file over each window, in order. */
export async function replayRulesFile(path: string, sources: readonly WindowSource[], options: Partial<RuleRunOptions>): Promise<RulesReport> {
  const text = await readInputText(path, "no such policy file");
  const loaded = loadKindPolicy(text, path);
  const compiled = withRuleOptions(loaded.compiled as CompiledRules, options);
  const windows = [];
  for (const src of sources) {
    const run = prometheusRulesKind.start(compiled, { id: src.manifest.id, start: src.startMs, end: src.endMs, scope: src.manifest.scope });
    await streamEvents(src, (e, id) => run.push(e, id));
    windows.push({ window: src.manifest.id, dir: src.dir, result: run.finish() });
  }
  return buildRulesReport({ name: loaded.name, version: loaded.version, file: path }, compiled, windows);
}
