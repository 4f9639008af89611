/**
 * The CLI: dispatch a subcommand, catch once, classify. User errors print one line per problem
 * and exit 2; a failed gate or expectation exits 1; anything else is a bug, reported with its
 * stack when REPLAY_GATE_DEBUG is set.
 */
import { InputError, formatProblem } from "../core/errors.js";
import { TOOL } from "../core/version.js";
import { captureCommand, CAPTURE_SUMMARY_USAGE, CAPTURE_USAGE } from "./commands/capture.js";
import { checkCommand, CHECK_USAGE } from "./commands/check.js";
import { diffCommand, DIFF_USAGE } from "./commands/diff.js";
import { explainCommand, EXPLAIN_USAGE } from "./commands/explain.js";
import { replayCommand, REPLAY_USAGE } from "./commands/replay.js";
import { reportCommand, REPORT_USAGE } from "./commands/report.js";
import { runsCommand, RUNS_USAGE } from "./commands/runs.js";
import { verifyCommand, VERIFY_USAGE } from "./commands/verify.js";
import { commandHelp, EXIT_CODES_HELP } from "./help.js";
import { testRulesCommand, TEST_RULES_USAGE } from "./commands/test-rules.js";
import type { CliIo } from "./io.js";
import { forTerminal } from "../core/neutralize.js";

type Command = (argv: string[], io: CliIo) => Promise<number>;

const COMMANDS: Record<string, { run: Command; usage: string; summary: string; help?: string }> = {
  replay: { run: replayCommand, usage: REPLAY_USAGE, summary: "replay windows under one policy; check their expectations" },
  diff: { run: diffCommand, usage: DIFF_USAGE, summary: "replay windows under base and head policies; parity, diffs and the threshold verdict" },
  check: { run: checkCommand, usage: CHECK_USAGE, summary: "the gate locally: config from the base ref, base policies from git, head from the working tree" },
  explain: { run: explainCommand, usage: EXPLAIN_USAGE, summary: "print the engine's state at a trace index or time" },
  verify: { run: verifyCommand, usage: VERIFY_USAGE, summary: "check windows' pins and schemas, or a decision log's chain" },
  capture: { run: captureCommand, usage: CAPTURE_SUMMARY_USAGE, summary: "pin a window from Zeek, bgpdump, RIS Live, goflow2, Prometheus or Alertmanager exports", help: CAPTURE_USAGE },
  runs: { run: runsCommand, usage: RUNS_USAGE, summary: "list recorded runs, newest first" },
  report: { run: reportCommand, usage: REPORT_USAGE, summary: "render report.json as a self-contained HTML page" },
  "test-rules": { run: testRulesCommand, usage: TEST_RULES_USAGE, summary: "run promtool rule unit-test files with replay-gate's PromQL evaluator" },
};

export function helpText(): string {
  const lines = [`${TOOL.name} ${TOOL.version} — replay pinned incident windows through correlation policies`, "", "commands:"];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(8)} ${c.summary}`, `           ${c.usage}`);
  lines.push("", "replay-gate <command> --help lists a command's flags.", "", EXIT_CODES_HELP);
  return lines.join("\n");
}

/** Runs the CLI; returns the exit code. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    io.stdout(helpText());
    return name === undefined ? 2 : 0;
  }
  if (name === "--version" || name === "-v") {
    io.stdout(`${TOOL.version}\n`);
    return 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined) {
    io.stderr(`replay-gate: unknown command "${forTerminal(name)}"; commands: ${Object.keys(COMMANDS).join(", ")}\n`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.stdout(commandHelp(name, command.usage, command.help));
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof InputError) {
      for (const p of err.problems) io.stderr(`error: ${formatProblem(p)}\n`);
      return 2;
    }
    const e = err as Error;
    io.stderr(`replay-gate: internal error: ${forTerminal(e.message)}\n`);
    if (io.env.REPLAY_GATE_DEBUG) io.stderr(`${(e.stack ?? "").split("\n").map(forTerminal).join("\n")}\n`);
    else io.stderr("set REPLAY_GATE_DEBUG=1 for the stack, and please report it\n");
    return 3;
  }
}
