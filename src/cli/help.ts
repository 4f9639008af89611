/**
 * `replay-gate <command> --help`: the usage, every flag with what it does, and the exit codes —
 * one table here so that no command's help can forget its flags or the codes.
 */

/** The exit codes every command shares. */
export const EXIT_CODES_HELP = `exit codes:
  0  ok (the verdict is pass, the expectations hold, the check found nothing wrong)
  1  the gate failed, an expectation failed, or verify --log found a broken chain
  2  bad input or usage, or a window verify found broken (a located message says what to fix)
  3  internal error (a bug: set REPLAY_GATE_DEBUG=1 for the stack and report it)
`;

type Flags = readonly (readonly [flag: string, meaning: string])[];

const FORMAT = (formats: string) => ["--format <f>", `output format: ${formats} (default text)`] as const;

/** Where `replay` and `diff` write evidence and run records. */
const RECORD_FLAGS: Flags = [
  ["--evidence <dir>", "write the evidence bundle there"],
  ["--record", "write a run record (listed by runs)"],
  ["--runs-dir <dir>", "where run records go (default .replay-gate/runs)"],
];

/** How `replay`, `diff` and `check` read windows: the cache, progress, and worker threads. */
const READ_FLAGS: Flags = [
  ["--cache <dir>", "the verified window cache (default .replay-gate/cache, or REPLAY_GATE_CACHE; see docs/cache.md)"],
  ["--progress", "show windows done / total, events/s and an ETA on stderr even when it is not a terminal (a terminal always shows them)"],
  ["--no-cache", "read every window from its events file and keep no cache (also REPLAY_GATE_CACHE=off)"],
  [
    "--jobs <n>",
    "windows replayed at once (this thread and n − 1 worker threads), never more than the cores (default: one per core once the library is large enough to pay for a worker; 1: no worker; see docs/benchmark.md)",
  ],
];

/** Flags per command, as each command's parseArgs options accept them. */
export const COMMAND_FLAGS: Readonly<Record<string, Flags>> = {
  replay: [
    ["--policy <file>", "the policy to replay (required)"],
    ["--window <dir|glob>", "repeatable (or positional); windows the policy's scope contradicts are reported as not covered, not replayed"],
    FORMAT("text, json"),
    ["--trace", "include the engine trace"],
    ["--mode dry-run|enforce", "replay mode (default dry-run); enforce writes evidence and a run record"],
    ["--environment <name>", "the environment whose posture applies (default: the windows' source.environment)"],
    ["--config <file>", "gate config for the posture and approval rules"],
    ["--approvals <file>", "approvals given, for an enforce replay in a governed environment"],
    ["--history <path>", "repeatable: earlier policy versions (files or directories) a window's policy_spec_hash may name"],
    ...RECORD_FLAGS,
    ...READ_FLAGS,
  ],
  diff: [
    ["--base <spec>", "repeatable: base policies — a file, directory, * glob, <ref>:<path>, or a bare git ref"],
    ["--head <spec>", "repeatable: head policies, the same forms (default: the config's policies)"],
    ["--windows <dir|glob>", "repeatable (also --window or positional; default: the config's windows)"],
    ["--config <file>", "gate config (default .github/replay-gate.yml when present; a named file must exist)"],
    ["--out <file>", "write report.json there (its directory must exist)"],
    ...RECORD_FLAGS,
    ...READ_FLAGS,
    FORMAT("text, json, markdown (exactly the PR comment body)"),
  ],
  check: [
    ["--base <ref>", "the branch the change merges into (default origin/main): base policies at the merge base of <ref> and HEAD, the config at <ref>"],
    ["--config <path>", "gate config at the base ref (default .github/replay-gate.yml; only the default may be absent)"],
    ["--out <file>", "write report.json there (its directory must exist)"],
    FORMAT("text, json, markdown"),
    ...READ_FLAGS,
  ],
  explain: [
    ["--policy <file>", "the policy (required)"],
    ["--window <dir>", "one window (required)"],
    ["--at <where>", "a trace index (0 .. last step), an RFC 3339 time inside the window, first-incident or latest (required)"],
    FORMAT("text, json"),
  ],
  verify: [
    ["<window dir|glob>...", "windows whose pins, schemas and events to check; one ok or FAIL line per window"],
    ["--log <file>", "check a decision log's hash chain instead"],
    ["--head <sha256:…>", "with --log: the expected hash of the last record"],
    ["--records <n>", "with --log: the expected number of records"],
  ],
  runs: [["--dir <dir>", "the run records directory (default .replay-gate/runs); a named directory must exist"], ["--limit <n>", "newest n runs only"], FORMAT("text, json")],
  report: [
    ["--html <dir>", "write a self-contained HTML report into <dir>"],
    ["--report <file>", "the report.json to render (default report.json)"],
    ["--no-timeline", "leave out the per-window timelines (no window files needed)"],
    ["--mermaid", "print each changed window's Mermaid gantt on stdout"],
  ],
};

/** The full `--help` text of a command: its own help (or usage), its flags, the exit codes. */
export function commandHelp(name: string, usage: string, own: string | undefined): string {
  const flags = Object.hasOwn(COMMAND_FLAGS, name) ? COMMAND_FLAGS[name]! : [];
  const width = Math.max(0, ...flags.map(([f]) => f.length)) + 2;
  const lines = [own ?? `usage: ${usage}`];
  if (flags.length > 0) lines.push("", "flags:", ...flags.map(([f, m]) => `  ${f.padEnd(width)}${m}`));
  return `${lines.join("\n").replace(/\n+$/, "")}\n\n${EXIT_CODES_HELP}`;
}
