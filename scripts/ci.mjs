#!/usr/bin/env node
// `npm run ci`: everything CI checks, in one place, so .ci/run (a clean Debian machine) and
// .github/workflows/ci.yml (GitHub, Node 20 and 24) run the same thing. Cheapest checks first;
// the first failure stops the run with its exit code. The machine is expected to be provisioned:
// `npm ci` done, Chromium at /usr/bin/chromium, Node 24 reachable (REPLAY_GATE_NODE24 or the
// running Node) for the cross-version tests.
import { spawnSync } from "node:child_process";

const onGitHub = process.env.GITHUB_ACTIONS === "true";

/** One check: a title and a command (no shell), or a function that returns an exit code. */
const steps = [
  ["typecheck", ["npm", "run", "-s", "typecheck"]],
  ["lint", ["npm", "run", "-s", "lint"]],
  ["format (prettier, over the files its config includes)", ["npm", "run", "-s", "format:check"]],
  ["dist/ is fresh", [process.execPath, "scripts/build.mjs", "--check"]],
  ["the JSON Schemas in schema/ are fresh", [process.execPath, "scripts/export-schema.mjs", "--check"]],
  ["the README's inputs/outputs table matches action.yml", [process.execPath, "scripts/action-table.mjs", "--check"]],
  ["the README's first command: the demo on the bundled library", demo],
  ["the README's test command: npm test", ["npm", "test"]],
];

/** `npm run demo` must print its report (a `summary:` line) and exit as documented. */
function demo() {
  const r = spawnSync("npm", ["run", "-s", "demo"], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  process.stderr.write(r.stderr);
  const lines = r.stdout.trimEnd().split("\n");
  process.stdout.write(`${lines.slice(-3).join("\n")}\n`);
  if (r.status !== 0) return r.status ?? 1;
  if (!lines.some((l) => l.startsWith("summary: "))) {
    process.stderr.write("the demo printed no `summary:` line\n");
    return 1;
  }
  return 0;
}

// `--no-test`: every check but the tests, for a caller that runs the README's `npm test` itself (.ci/run).
const selected = process.argv.includes("--no-test") ? steps.filter(([, run]) => !(Array.isArray(run) && run[1] === "test")) : steps;
for (const [title, run] of selected) {
  process.stdout.write(onGitHub ? `::group::${title}\n` : `\n== ${title}\n`);
  const started = process.hrtime.bigint();
  const code = typeof run === "function" ? run() : (spawnSync(run[0], run.slice(1), { stdio: "inherit" }).status ?? 1);
  const seconds = Number((process.hrtime.bigint() - started) / 1_000_000n) / 1000;
  if (onGitHub) process.stdout.write("::endgroup::\n");
  if (code !== 0) {
    process.stderr.write(`${onGitHub ? "::error::" : ""}ci: "${title}" failed (exit ${code})\n`);
    process.exit(code);
  }
  process.stdout.write(`ok: ${title} (${seconds.toFixed(1)} s)\n`);
}
process.stdout.write("\nci: every check passed\n");
