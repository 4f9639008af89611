/** Reading a `promtool test rules` file and the rule files it names (relative to it). */
import { appendAll } from "../core/arrays.js";
import path from "node:path";
import { loadKindPolicy } from "../core/kinds/registry.js";
import type { CompiledRules } from "../core/kinds/prometheus-rules/index.js";
import { runUnitTests, type UnitTestResult } from "../core/kinds/prometheus-rules/unit-test.js";
import { InputError } from "../core/errors.js";
import { parseYaml } from "../core/yaml.js";
import { readInputText } from "./read-input.js";

/** Runs one test file; rule files are resolved against the test file's directory, as promtool does. */
export async function runRulesTestFile(file: string): Promise<UnitTestResult> {
  const doc = parseYaml(await readInputText(file, "no such test file"), file);
  const root = doc.value as { rule_files?: unknown };
  if (!Array.isArray(root?.rule_files) || root.rule_files.length === 0) {
    throw new InputError([{ file, ...doc.locate(["rule_files"]), path: "rule_files", message: "a promtool test file names its rule files in rule_files" }]);
  }
  const groups: CompiledRules["groups"][number][] = [];
  for (const rf of root.rule_files) {
    const p = path.resolve(path.dirname(file), String(rf));
    const loaded = loadKindPolicy(await readInputText(p, "no such rule file (named in rule_files)"), p);
    if (loaded.kind.id !== "prometheus-rules") throw new InputError([{ file: p, line: 1, column: 1, message: "not a Prometheus rule file" }]);
    appendAll(groups, (loaded.compiled as CompiledRules).groups);
  }
  return runUnitTests(doc, groups);
}
