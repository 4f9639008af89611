#!/usr/bin/env node
// `npm run bench [-- --json] [-- --quick]`: builds the benchmark with esbuild, then measures in
// child processes: timing (pipeline vs parse floor, interleaved, best of 3, in CPU seconds of
// the process so that other load on a shared machine moves the ratio little; events/s is wall
// clock) and peak RSS (one process per library shape, so the high-water mark is the pipeline's).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { build } from "esbuild";
import { NODE_BUNDLE } from "./bundle-ts.mjs";

const json = process.argv.includes("--json");
const quick = process.argv.includes("--quick");
mkdirSync(".bench", { recursive: true });
await build({ ...NODE_BUNDLE, entryPoints: ["bench/run.ts"], outfile: ".bench/run.mjs" });
// The replay worker, beside run.mjs where the bundled worker pool looks for it.
await build({ ...NODE_BUNDLE, entryPoints: ["src/io/replay-worker.ts"], outfile: ".bench/replay-worker.js" });

await build({ ...NODE_BUNDLE, entryPoints: ["bench/alertmanager.ts"], outfile: ".bench/alertmanager.mjs" });

function run(args, node = process.execPath) {
  const r = spawnSync(node, [".bench/run.mjs", ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`bench child failed (${node}): ${args.join(" ")}`);
  return JSON.parse(r.stdout.trim().split("\n").pop());
}

// Many windows of 50k events (2M in all), and the same 2M events as 4 windows of 500k: peak
// RSS must not grow with window size.
const many = quick ? ["--windows", "4", "--per-window", "50000"] : ["--windows", "40", "--per-window", "50000"];
const big = quick ? ["--windows", "1", "--per-window", "200000"] : ["--windows", "4", "--per-window", "500000"];
const timing = run([...many, "--diff", "--reps", quick ? "1" : "3"]);
const rssMany = run([...many, "--mode", "rss"]);
const rssBig = run([...big, "--mode", "rss"]);
const rssDiff = run([...big, "--mode", "rss", "--diff"]);
// Alertmanager kind: 1M POSTed alerts (re-sends included) through a 50-route tree, in its own process.
const amRun = spawnSync(process.execPath, [".bench/alertmanager.mjs", "--alerts", quick ? "100000" : "1000000"], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
if (amRun.status !== 0) throw new Error("alertmanager bench failed");
const am = JSON.parse(amRun.stdout.trim().split("\n").pop());

// Prometheus rules: 200 rules over 10,000 series × 1 h at 15 s, evaluated every minute (issue 14).
await build({ ...NODE_BUNDLE, entryPoints: ["bench/rules.ts"], outfile: ".bench/rules.mjs" });
const rulesRun = spawnSync(process.execPath, [".bench/rules.mjs", ...(quick ? ["2000", "40"] : ["10000", "200"])], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
if (rulesRun.status !== 0) throw new Error("rules bench child failed");
const rules = JSON.parse(rulesRun.stdout.trim().split("\n").pop());

// The adversarial row (issue 10): shapes that once made the engine super-linear, at growing
// sizes, one child process each (so peak RSS is the row's). Linear cost shows as a flat
// seconds-per-million column; the benign window of the same size is the yardstick.
const adversarialSizes = quick ? [10_000, 50_000] : [10_000, 50_000, 250_000];
const adversarial = [];
for (const kind of ["benign", "chained-peers", "huge-within"]) {
  for (const events of adversarialSizes) {
    const r = run(["--mode", "adversarial", "--kind", kind, "--events", String(events)]);
    adversarial.push({
      kind,
      events: r.events,
      groups: r.groups,
      incidents: r.incidents,
      seconds: Math.round(r.seconds * 1000) / 1000,
      seconds_per_million_events: Math.round(r.seconds_per_million * 100) / 100,
      peak_rss_bytes: r.peak_rss_bytes,
    });
  }
}
// Issue 10's yardstick: the 60k chained-peers window (20,000 alert groups, one incident) against
// a benign window of 60k events (a handful of groups), as the engine replays them (bench child)
// and as a user runs them: the built CLI's `replay` (text) and `diff` (the demo change
// 2.14.2 → 2.14.3), each a fresh process, interleaved, best of 3 in CPU seconds and wall clock.
const yardstickEvents = 60_000;
const engineRuns = { benign: [], "chained-peers": [] };
for (let rep = 0; rep < 3; rep++) for (const kind of ["benign", "chained-peers"]) engineRuns[kind].push(run(["--mode", "adversarial", "--kind", kind, "--events", String(yardstickEvents)]));
const yardstickDirs = { benign: engineRuns.benign[0].dir, "chained-peers": engineRuns["chained-peers"][0].dir };
const cpuHook = ".bench/cpu-at-exit.mjs";
writeFileSync(
  cpuHook,
  'import { writeFileSync } from "node:fs";\nprocess.on("exit", () => { const u = process.cpuUsage(); writeFileSync(process.env.RG_BENCH_CPU_OUT, JSON.stringify({ cpu: (u.user + u.system) / 1e6 })); });\n',
);
function cli(args) {
  const out = ".bench/cpu-at-exit.json";
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ["--import", `./${cpuHook}`, "dist/cli.js", ...args], {
    encoding: "utf8",
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, RG_BENCH_CPU_OUT: out },
  });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0 && r.status !== 1) throw new Error(`CLI failed (${r.status}): ${args.join(" ")}\n${r.stderr}`);
  return { cpu: JSON.parse(readFileSync(out, "utf8")).cpu, wall };
}
const cliCommands = {
  replay: (dir) => ["replay", "--policy", "policies/edge-gw.yaml", "--window", dir, "--no-cache"],
  diff: (dir) => ["diff", "--base", "policies/versions/edge-gw-2.14.2.yaml", "--head", "policies/edge-gw.yaml", "--windows", dir, "--no-cache", "--out", ".bench/yardstick-report.json"],
};
const cliRuns = { replay: { benign: [], "chained-peers": [] }, diff: { benign: [], "chained-peers": [] } };
for (let rep = 0; rep < 3; rep++) for (const command of ["replay", "diff"]) for (const kind of ["benign", "chained-peers"]) cliRuns[command][kind].push(cli(cliCommands[command](yardstickDirs[kind])));
const best = (xs, f) => Math.min(...xs.map(f));
const round3 = (x) => Math.round(x * 1000) / 1000;
const pairOf = (runs, f) => {
  const benign = best(runs.benign, f),
    chained = best(runs["chained-peers"], f);
  return { benign: round3(benign), chained_peers: round3(chained), ratio: Math.round((chained / benign) * 100) / 100 };
};
// The Action runs on Node 24: with REPLAY_GATE_NODE24 naming its binary (as .ci/run sets it), the
// engine-only pair is measured under it too.
const node24 = process.env.REPLAY_GATE_NODE24;
let engineNode24 = null;
if (node24 !== undefined && existsSync(node24)) {
  const runs24 = { benign: [], "chained-peers": [] };
  for (let rep = 0; rep < 3; rep++) for (const kind of ["benign", "chained-peers"]) runs24[kind].push(run(["--mode", "adversarial", "--kind", kind, "--events", String(yardstickEvents)], node24));
  engineNode24 = pairOf(runs24, (r) => r.seconds);
}
const yardstick = {
  events: yardstickEvents,
  groups: { benign: engineRuns.benign[0].groups, chained_peers: engineRuns["chained-peers"][0].groups },
  engine_cpu_seconds: pairOf(engineRuns, (r) => r.seconds),
  cli_replay_cpu_seconds: pairOf(cliRuns.replay, (r) => r.cpu),
  cli_replay_wall_seconds: pairOf(cliRuns.replay, (r) => r.wall),
  cli_diff_cpu_seconds: pairOf(cliRuns.diff, (r) => r.cpu),
  cli_diff_wall_seconds: pairOf(cliRuns.diff, (r) => r.wall),
  engine_cpu_seconds_node24: engineNode24,
};

// The library at 1×, 5× and 25× (each a process of its own): seconds per million events should
// stay level (cost grows linearly) and peak RSS flat.
const scaleBase = quick ? ["--windows", "1", "--per-window", "20000"] : ["--windows", "4", "--per-window", "50000"];
const scaling = [1, 5, 25].map((repeat) => {
  const r = run([...scaleBase, "--mode", "scale", "--repeat", String(repeat)]);
  return {
    scale: repeat,
    events: r.events,
    seconds: Math.round(r.seconds * 1000) / 1000,
    seconds_per_million_events: Math.round(r.seconds_per_million_events * 1000) / 1000,
    peak_rss_bytes: r.peak_rss_bytes,
  };
});

const result = {
  events: timing.events,
  windows: timing.windows,
  events_per_second: timing.events_per_second,
  parse_floor_ratio: timing.parse_floor_ratio,
  diff_parse_floor_ratio: timing.diff_parse_floor_ratio,
  cached_parse_floor_ratio: timing.cached_parse_floor_ratio,
  cached_seconds: Math.round(timing.cached_seconds * 1000) / 1000,
  parallel_speedup: timing.parallel_speedup,
  jobs: timing.jobs,
  diff_wall_seconds_one_worker: Math.round(timing.diff_wall_seconds_one_worker * 1000) / 1000,
  diff_wall_seconds_all_cores: Math.round(timing.diff_wall_seconds_all_cores * 1000) / 1000,
  scaling,
  peak_rss_bytes: Math.max(rssMany.peak_rss_bytes, rssBig.peak_rss_bytes),
  peak_rss_bytes_50k_windows: rssMany.peak_rss_bytes,
  peak_rss_bytes_500k_windows: big.includes("500000") ? rssBig.peak_rss_bytes : undefined,
  peak_rss_bytes_diff: rssDiff.peak_rss_bytes,
  floor_seconds: Math.round(timing.floor_seconds * 1000) / 1000,
  replay_seconds: Math.round(timing.replay_seconds * 1000) / 1000,
  diff_seconds: Math.round(timing.diff_seconds * 1000) / 1000,
  alerts: timing.alerts,
  incidents: timing.incidents,
  alertmanager: am,
  rules_bench: rules,
  adversarial,
  chained_vs_benign: yardstick,
  machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
};
if (json) console.log(JSON.stringify(result));
else {
  const mb = (b) => `${Math.round(b / 2 ** 20)} MB`;
  console.log(`replay-gate benchmark on ${result.machine}`);
  console.log(`  library            ${result.events} events in ${result.windows} windows (${result.alerts} alerts, ${result.incidents} incidents under edge-gw 2.14.3)`);
  console.log(`  parse floor        ${result.floor_seconds} CPU s (gunzip + split + JSON.parse)`);
  console.log(`  replay             ${result.replay_seconds} CPU s · ${result.events_per_second} events/s (wall) · ${result.parse_floor_ratio}× the floor (target ≤ 1.5)`);
  console.log(`  diff (base+head+determinism re-run) ${result.diff_seconds} CPU s · ${result.diff_parse_floor_ratio}× the floor (target ≤ 1.8)`);
  console.log(
    `  all cores          diff on ${result.jobs} workers ${result.diff_wall_seconds_all_cores} s wall vs ${result.diff_wall_seconds_one_worker} s on one: ${result.parallel_speedup}× speed-up`,
  );
  console.log(`  cached replay      ${result.cached_seconds} CPU s · ${result.cached_parse_floor_ratio}× the floor (verified window cache; target ≤ 0.33)`);
  console.log(
    `  alertmanager       ${am.alerts} POSTed alerts through a ${am.routes}-route tree (${am.virtual_hours} h virtual): ${am.alerts_per_second} alerts/s (wall), peak RSS ${mb(am.peak_rss_bytes)}`,
  );
  console.log(
    `  prometheus rules   ${rules.rules} rules × ${rules.series} series × 1 h at 15 s: ${rules.rule_evaluations} rule evaluations in ${rules.eval_seconds} s · ${rules.rule_evaluations_per_second} evaluations/s (${rules.rule_evaluations_per_cpu_second} per CPU second) · peak RSS ${mb(rules.peak_rss_bytes)}`,
  );
  console.log(`  adversarial        (replay CPU s, s per million events, peak RSS; linear cost keeps s/M flat)`);
  for (const a of adversarial)
    console.log(
      `    ${a.kind.padEnd(14)} ${String(a.events).padStart(7)} events  ${String(a.groups).padStart(7)} groups  ${a.seconds.toFixed(2).padStart(7)} s  ${a.seconds_per_million_events.toFixed(1).padStart(7)} s/M  ${mb(a.peak_rss_bytes).padStart(7)}`,
    );
  const y = yardstick;
  console.log(`  chained vs benign  ${y.events}-event windows (${y.groups.chained_peers} vs ${y.groups.benign} groups), best of 3: benign · chained-peers · ratio`);
  for (const [label, v] of [
    ["engine (CPU s)", y.engine_cpu_seconds],
    ["CLI replay (CPU s)", y.cli_replay_cpu_seconds],
    ["CLI replay (wall s)", y.cli_replay_wall_seconds],
    ["CLI diff (CPU s)", y.cli_diff_cpu_seconds],
    ["CLI diff (wall s)", y.cli_diff_wall_seconds],
    ...(y.engine_cpu_seconds_node24 === null ? [] : [["engine, Node 24 (CPU s)", y.engine_cpu_seconds_node24]]),
  ])
    console.log(`    ${label.padEnd(24)} ${v.benign.toFixed(3)} · ${v.chained_peers.toFixed(3)} · ${v.ratio.toFixed(2)}×`);
  console.log(
    `  peak RSS           ${mb(rssMany.peak_rss_bytes)} with 50k-event windows, ${mb(rssBig.peak_rss_bytes)} with ${quick ? "200k" : "500k"}-event windows, ${mb(rssDiff.peak_rss_bytes)} diffing them (target < 300 MB)`,
  );
  console.log(`  scaling (the ${scaling[0].events}-event library replayed 1×, 5×, 25×)`);
  for (const row of scaling)
    console.log(
      `    ${String(row.scale).padStart(2)}×  ${String(row.events).padStart(9)} events  ${row.seconds_per_million_events.toFixed(3)} CPU s per million events  peak RSS ${mb(row.peak_rss_bytes)}`,
    );
}
