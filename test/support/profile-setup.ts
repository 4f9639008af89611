/**
 * Per-file cost of the suite, for `node scripts/test-profile.mjs` (it sets REPLAY_GATE_TEST_PROFILE
 * to a directory; without it this setup file does nothing). On a machine shared with other work the
 * wall clock says little, so each test file also records the CPU seconds it used: the worker's own
 * (process.cpuUsage) plus its finished child processes' (the built CLI, git, promtool, Alertmanager,
 * Chromium), which Linux adds to the worker's cutime/cstime in /proc/self/stat once they are waited
 * for. It is a measurement, never a threshold: no test reads these numbers.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll } from "vitest";
import { ROOT } from "./cli.js";

const dir = process.env["REPLAY_GATE_TEST_PROFILE"];

/** Seconds of CPU the finished children of this process used (Linux; 0 elsewhere). */
function childCpuSeconds(): number {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // Fields 16 and 17 (cutime, cstime) are at 13 and 14 after the name; USER_HZ is 100 on Linux.
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return 0;
  }
}

if (dir !== undefined && dir !== "") {
  const startWall = performance.now();
  const startSelf = process.cpuUsage();
  const startChildren = childCpuSeconds();
  // Vitest reads the first parameter's destructuring to find fixtures: it must be a pattern.
  afterAll(({}, suite) => {
    const self = process.cpuUsage(startSelf);
    const file = relative(ROOT, "filepath" in suite ? suite.filepath : suite.file.filepath);
    const row = {
      file,
      wall_s: (performance.now() - startWall) / 1000,
      cpu_self_s: (self.user + self.system) / 1e6,
      cpu_children_s: childCpuSeconds() - startChildren,
    };
    writeFileSync(join(dir, `${file.replace(/[/\\]/g, "__")}.json`), `${JSON.stringify(row)}\n`);
  });
}
