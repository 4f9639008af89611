/** `replay-gate test-rules <file>...`: promtool's rule unit-test files run with replay-gate's evaluator. */
import { runRulesTestFile } from "../../io/rules-unit-test.js";
import { parseCommandArgs, usageError } from "../args.js";
import type { CliIo } from "../io.js";

export const TEST_RULES_USAGE = "replay-gate test-rules <promtool test file>...";

/** Exit 0 when every test passes, 1 when one fails, 2 on bad input. */
export async function testRulesCommand(argv: string[], io: CliIo): Promise<number> {
  const { positionals } = parseCommandArgs("test-rules", argv, {}, TEST_RULES_USAGE, true);
  if (positionals.length === 0) throw usageError("test-rules", "give at least one test file", TEST_RULES_USAGE);
  let failed = 0;
  for (const file of positionals) {
    const r = await runRulesTestFile(file);
    if (r.failures.length === 0) io.stdout(`${file}: SUCCESS (${r.tests} tests, ${r.assertions} assertions)\n`);
    else {
      failed++;
      io.stdout(`${file}: FAILED (${r.failures.length} of ${r.assertions} assertions)\n${r.failures.map((f) => `  test ${f.test}: ${f.what.replace(/\n/g, "\n    ")}`).join("\n")}\n`);
    }
  }
  return failed === 0 ? 0 : 1;
}
