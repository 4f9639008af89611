#!/usr/bin/env node
// What the suite costs, file by file: runs `vitest run` (any arguments are passed on, e.g. a folder)
// with test/support/profile-setup.ts recording each test file's wall-clock seconds and CPU seconds
// (the worker's own and its child processes'), then prints the files by CPU, most expensive first.
// CPU seconds are what to compare between runs on a shared machine; the wall clock depends on load.
//   node scripts/test-profile.mjs [--top N] [--json out.json] [vitest arguments...]
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

/** CPU seconds of this process's finished children (Linux /proc; fields cutime and cstime, USER_HZ 100). */
function childCpuSeconds() {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return Number.NaN;
  }
}

const args = process.argv.slice(2);
let top = 20;
let jsonOut;
const passOn = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--top") top = Number(args[++i]);
  else if (args[i] === "--json") jsonOut = args[++i];
  else passOn.push(args[i]);
}
if (!Number.isInteger(top) || top < 1) {
  process.stderr.write("test-profile: --top takes a positive whole number\n");
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), "rg-test-profile-"));
const loadBefore = loadavg()[0];
const started = process.hrtime.bigint();
const run = spawnSync(process.execPath, [join(ROOT, "node_modules", "vitest", "vitest.mjs"), "run", ...passOn], {
  cwd: ROOT,
  stdio: ["ignore", "inherit", "inherit"],
  env: { ...process.env, REPLAY_GATE_TEST_PROFILE: dir },
});
const wall = Number(process.hrtime.bigint() - started) / 1e9;
const loadAfter = loadavg()[0];
// Everything vitest ran — its main process, the global setup's build, every worker and their children.
const totalCpu = childCpuSeconds();

const byCpu = (a, b) => b.cpu_s - a.cpu_s || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
const rows = readdirSync(dir)
  .map((name) => JSON.parse(readFileSync(join(dir, name), "utf8")))
  .map((r) => ({ ...r, cpu_s: r.cpu_self_s + r.cpu_children_s }))
  .sort(byCpu);
rmSync(dir, { recursive: true, force: true });

const sum = (key) => rows.reduce((total, r) => total + r[key], 0);
const fixed = (n) => n.toFixed(1).padStart(7);
process.stdout.write(`\n${rows.length} test files; vitest run took ${wall.toFixed(1)} s of wall clock (load average ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)})\n`);
process.stdout.write(
  `CPU seconds of the whole run: ${totalCpu.toFixed(1)}; in the test files: ${sum("cpu_s").toFixed(1)} (workers ${sum("cpu_self_s").toFixed(1)}, their child processes ${sum("cpu_children_s").toFixed(1)})\n\n`,
);
process.stdout.write(`${"cpu s".padStart(7)} ${"self".padStart(7)} ${"child".padStart(7)} ${"wall s".padStart(7)}  file\n`);
for (const r of rows.slice(0, top)) process.stdout.write(`${fixed(r.cpu_s)} ${fixed(r.cpu_self_s)} ${fixed(r.cpu_children_s)} ${fixed(r.wall_s)}  ${r.file}\n`);
if (jsonOut !== undefined) writeFileSync(jsonOut, `${JSON.stringify({ wall_s: wall, cpu_s: totalCpu, load: [loadBefore, loadAfter], files: rows }, null, 2)}\n`);
process.exitCode = run.status ?? 1;
