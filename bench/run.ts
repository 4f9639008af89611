/**
 * The benchmark: the full replay pipeline (read, verify pin, gunzip, split, parse, validate,
 * correlate) against the parse floor (the same files only gunzipped, split and JSON.parsed in
 * the same process, with the same chunked splitter). Ratios come from one run, interleaved,
 * best of N, because the machine is shared and noisy.
 */
import { createReadStream } from "node:fs";
import { createGunzip } from "node:zlib";
import { loadWindowSources, replayWindow } from "../src/io/windows.js";
import { readPolicyFile } from "../src/io/policies.js";
import { forEachLine } from "../src/io/lines.js";
import { ensureLibrary } from "./synth.js";
import { runDiff } from "../src/io/diff-run.js";
import { DEFAULT_THRESHOLDS } from "../src/core/config.js";
import { stableJson } from "../src/core/report/json.js";
import { resolveJobs } from "../src/io/worker-pool.js";
import { rmSync, writeFileSync } from "node:fs";
import { ALWAYS_FIRE_POLICY, ensureAdversarialWindow, HUGE_WITHIN_POLICY, type AdversarialKind } from "./adversarial.js";

interface Args {
  mode: "time" | "rss" | "adversarial" | "scale";
  windows: number;
  perWindow: number;
  reps: number;
  root: string;
  diff: boolean;
  kind: string;
  events: number;
  /** Scale mode: how many times the library is replayed. */
  repeat: number;
  /** Where the timing mode keeps its verified window cache. */
  cache: string;
}

function parse(argv: string[]): Args {
  const get = (name: string, dflt: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && argv[i + 1] ? argv[i + 1]! : dflt;
  };
  return {
    mode: get("mode", "time") as Args["mode"],
    windows: Number(get("windows", "40")),
    perWindow: Number(get("per-window", "50000")),
    reps: Number(get("reps", "3")),
    root: get("root", ".bench"),
    diff: argv.includes("--diff"),
    kind: get("kind", "chained-peers"),
    events: Number(get("events", "10000")),
    repeat: Number(get("repeat", "1")),
    cache: get("cache", ".bench/cache"),
  };
}

async function parseFloor(dirs: string[]): Promise<number> {
  let n = 0;
  for (const dir of dirs) {
    const stream = createReadStream(`${dir}/events.ndjson.gz`, { highWaterMark: 256 * 1024 }).pipe(createGunzip({ chunkSize: 256 * 1024 }));
    await forEachLine(stream, (line) => {
      JSON.parse(line);
      n++;
    });
  }
  return n;
}

async function pipeline(dirs: string[], policies: Awaited<ReturnType<typeof readPolicyFile>>[], cacheDir?: string, repeat = 1): Promise<{ events: number; alerts: number; incidents: number }> {
  const sources = await loadWindowSources(dirs, () => {}, { cacheDir });
  let events = 0,
    alerts = 0,
    incidents = 0;
  // Repeating replays every window again, each time a full read: the library at `repeat`× its size.
  for (const src of Array.from({ length: repeat }, () => sources).flat()) {
    const results = await replayWindow(
      src,
      policies.map((p) => p.compiled),
    );
    events += results[0]!.counts.events;
    for (const r of results) {
      alerts += r.counts.alerts;
      incidents += r.counts.incidents;
    }
  }
  return { events, alerts, incidents };
}

/**
 * CPU seconds (user + system, all threads of this process: zlib works on the thread pool) of
 * one call. CPU time, unlike wall time, hardly moves when other processes share the machine.
 */
async function timed<T>(fn: () => Promise<T>): Promise<[number, T, number]> {
  const wall = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const out = await fn();
  const used = process.cpuUsage(cpu);
  return [(used.user + used.system) / 1e6, out, Number(process.hrtime.bigint() - wall) / 1e9];
}

/**
 * One adversarial row: replays one window of `events` events of shape `kind` (or the benign
 * synthetic telemetry) under its policy, in CPU seconds, with this process's peak RSS.
 */
async function adversarial(args: Args): Promise<void> {
  let dir: string,
    policyPath = "policies/edge-gw.yaml";
  if (args.kind === "benign") [dir] = (await ensureLibrary(args.root, 1, args.events, (s) => process.stderr.write(s + "\n"))) as [string];
  else dir = await ensureAdversarialWindow(args.root, args.kind as AdversarialKind, args.events);
  if (args.kind === "huge-within" || args.kind === "always-fire") {
    policyPath = `${args.root}/${args.kind}.yaml`;
    writeFileSync(policyPath, args.kind === "huge-within" ? HUGE_WITHIN_POLICY : ALWAYS_FIRE_POLICY);
  }
  const policy = await readPolicyFile(policyPath);
  const [src] = await loadWindowSources([dir], () => {});
  const [seconds, results, wall] = await timed(() => replayWindow(src!, [policy.compiled]));
  const r = results[0]!;
  process.stdout.write(
    JSON.stringify({
      kind: args.kind,
      dir,
      events: r.counts.events,
      groups: r.counts.groups,
      incidents: r.counts.incidents,
      seconds,
      wall_seconds: wall,
      seconds_per_million: seconds / (r.counts.events / 1e6),
      peak_rss_bytes: process.resourceUsage().maxRSS * 1024,
    }) + "\n",
  );
}

const args = parse(process.argv.slice(2));
if (args.mode === "adversarial") {
  await adversarial(args);
  process.exit(0);
}
const dirs = await ensureLibrary(args.root, args.windows, args.perWindow, (s) => process.stderr.write(s + "\n"));
const head = await readPolicyFile("policies/edge-gw.yaml");

/** The whole `diff` of the demo's two edge-gw versions over the benchmark windows. */
const benchDiff = (jobs = 1) =>
  runDiff({
    jobs,
    base: ["policies/versions/edge-gw-2.14.2.yaml"],
    head: ["policies/edge-gw.yaml"],
    windows: dirs,
    thresholds: DEFAULT_THRESHOLDS,
    config: null,
    cwd: process.cwd(),
    warn: () => {},
  });

if (args.mode === "scale") {
  // One process per size, so peak RSS is this size's high-water mark.
  const [seconds, r, wall] = await timed(() => pipeline(dirs, [head], undefined, args.repeat));
  process.stdout.write(
    JSON.stringify({
      repeat: args.repeat,
      events: r.events,
      seconds,
      wall_seconds: wall,
      seconds_per_million_events: seconds / (r.events / 1e6),
      peak_rss_bytes: process.resourceUsage().maxRSS * 1024,
    }) + "\n",
  );
  process.exit(0);
}

if (args.mode === "rss") {
  const r = args.diff
    ? await benchDiff().then((rep) => ({ events: rep.windows.reduce((n, w) => n + (w.head?.events ?? 0), 0), alerts: 0, incidents: rep.windows.reduce((n, w) => n + (w.head?.incidents ?? 0), 0) }))
    : await pipeline(dirs, [head]);
  process.stdout.write(JSON.stringify({ ...r, peak_rss_bytes: process.resourceUsage().maxRSS * 1024 }) + "\n");
} else {
  let floor = Infinity,
    replay = Infinity,
    diff = Infinity,
    cached = Infinity,
    replayWall = Infinity,
    diffWallOne = Infinity,
    diffWallAll = Infinity;
  const cores = resolveJobs(Number.MAX_SAFE_INTEGER);
  let counts = { events: 0, alerts: 0, incidents: 0 };
  let floorEvents = 0;
  // The cache is built once (a first replay with it on), then timed like the others.
  rmSync(args.cache, { recursive: true, force: true });
  const built = await pipeline(dirs, [head], args.cache);
  for (let i = 0; i < args.reps; i++) {
    const [tf, nf] = await timed(() => parseFloor(dirs));
    floor = Math.min(floor, tf);
    floorEvents = nf;
    const [tr, cr, wr] = await timed(() => pipeline(dirs, [head]));
    replay = Math.min(replay, tr);
    replayWall = Math.min(replayWall, wr);
    counts = cr;
    const [tc, cc] = await timed(() => pipeline(dirs, [head], args.cache));
    if (cc.alerts !== cr.alerts || cc.incidents !== cr.incidents || cc.events !== built.events) throw new Error("the cached replay counted differently");
    cached = Math.min(cached, tc);
    if (args.diff) {
      // The whole `diff`: base, head and head again (the determinism check) in one pass per window,
      // then matching, parity, highlights, divergence snapshots and the report.
      const [td, report, wd] = await timed(() => benchDiff(1));
      if (report.windows.length !== dirs.length) throw new Error(`diff replayed ${report.windows.length} of ${dirs.length} windows`);
      diff = Math.min(diff, td);
      diffWallOne = Math.min(diffWallOne, wd);
      // The same diff on a worker per core: wall clock (CPU time adds up across workers).
      const [, parallel, wp] = await timed(() => benchDiff(cores));
      if (stableJson(parallel) !== stableJson(report)) throw new Error("the diff on all cores reported differently from one worker");
      diffWallAll = Math.min(diffWallAll, wp);
    }
  }
  if (floorEvents !== counts.events) throw new Error(`floor read ${floorEvents} events, the pipeline ${counts.events}`);
  process.stdout.write(
    JSON.stringify({
      events: counts.events,
      windows: dirs.length,
      alerts: counts.alerts,
      incidents: counts.incidents,
      floor_seconds: floor,
      replay_seconds: replay,
      replay_wall_seconds: replayWall,
      events_per_second: Math.round(counts.events / replayWall),
      parse_floor_ratio: Math.round((replay / floor) * 100) / 100,
      cached_seconds: cached,
      cached_parse_floor_ratio: Math.round((cached / floor) * 100) / 100,
      ...(args.diff
        ? {
            diff_seconds: diff,
            diff_parse_floor_ratio: Math.round((diff / floor) * 100) / 100,
            jobs: cores,
            diff_wall_seconds_one_worker: diffWallOne,
            diff_wall_seconds_all_cores: diffWallAll,
            parallel_speedup: Math.round((diffWallOne / diffWallAll) * 100) / 100,
          }
        : {}),
    }) + "\n",
  );
}
