#!/usr/bin/env node
// Rebuilds the metric windows of the Prometheus rules example library (policies/prometheus/),
// byte for byte:
//   node scripts/gen-prometheus-examples.mjs           # write sources and windows
//   node scripts/gen-prometheus-examples.mjs --check   # rebuild in .bench/ and compare
//
// Two windows are captured from the real samples in fixtures/realdata/prometheus-rules/ (see its
// SOURCES.tsv). Three are seeded synthetic episodes (scripts/prng.mjs), written first as
// Prometheus query_range responses in fixtures/synthetic/prometheus-rules/ and then captured by
// the same `prometheus` adapter, so every window goes through the path a user's capture takes:
//   bgp-session-flap     bgp_session_up of four peers; one flaps (150 s, 45 s) then stays down 5 min
//   packet-loss-episode  interface packet/drop counters: 4 % loss for 15 min on one interface,
//                        0.7 % all along on another, a counter reset on a third
//   latency-slo-burn     request-duration histogram buckets of two services: checkout serves 8 %
//                        of requests slower than 300 ms for 30 min; search 1 % for 20 min
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { loadCapture } from "./capture-examples.mjs";
import { prng } from "./prng.mjs";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SYNTH = "fixtures/synthetic/prometheus-rules";
const REAL = "fixtures/realdata/prometheus-rules";
const CAPTURED_AT = "2026-11-30T00:00:00Z";
const STEP_S = 15;

/** A query_range response of `series` ({ metric, values: [[s, "v"]…] }), one series per line. */
function queryRange(series) {
  const lines = series.map((s) => "    " + JSON.stringify({ metric: s.metric, values: s.values }));
  return `{"status":"success","data":{"resultType":"matrix","result":[\n${lines.join(",\n")}\n]}}\n`;
}

const at = (iso) => Date.parse(iso) / 1000;

/** One sample every 15 s over [start, end] seconds, `value(t)` or null for a missed scrape. */
function sampled(start, end, value) {
  const values = [];
  for (let t = start; t <= end; t += STEP_S) {
    const v = value(t);
    if (v !== null) values.push([t, String(v)]);
  }
  return values;
}

function bgpSessionFlap() {
  const rand = prng(14_01);
  const start = at("2026-03-02T10:00:00Z"),
    end = at("2026-03-02T11:00:00Z");
  // Outages of the flapping peer: [from, to) seconds; starts jittered by the seed, lengths fixed.
  const jitter = () => STEP_S * Math.floor(rand() * 4);
  const flaps = [
    [at("2026-03-02T10:10:00Z") + jitter(), 150],
    [at("2026-03-02T10:21:00Z") + jitter(), 45],
    [at("2026-03-02T10:33:00Z") + jitter(), 300],
  ].map(([from, len]) => [from, from + len]);
  const peers = [
    { peer: "192.0.2.1", peer_as: "64501", down: [] },
    { peer: "192.0.2.2", peer_as: "64502", down: flaps },
    { peer: "198.51.100.7", peer_as: "64511", down: [] },
  ];
  const series = peers.map((p) => ({
    metric: { __name__: "bgp_session_up", instance: "edge-gw-1", peer: p.peer, peer_as: p.peer_as },
    values: sampled(start, end, (t) => (p.down.some(([a, b]) => t >= a && t < b) ? 0 : 1)),
  }));
  // A fourth peer whose scrapes stop for two minutes: a gap, not an outage.
  const gapFrom = at("2026-03-02T10:45:00Z");
  series.push({
    metric: { __name__: "bgp_session_up", instance: "edge-gw-2", peer: "203.0.113.9", peer_as: "64520" },
    values: sampled(start, end, (t) => (t >= gapFrom && t < gapFrom + 120 ? null : 1)),
  });
  return { start, end, series, title: "Synthetic (seeded): one BGP peer of edge-gw-1 flaps twice, then stays down five minutes; edge-gw-2 misses two minutes of scrapes" };
}

function packetLossEpisode() {
  const rand = prng(14_02);
  const start = at("2026-03-03T14:00:00Z"),
    end = at("2026-03-03T15:00:00Z");
  const episode = [at("2026-03-03T14:15:00Z"), at("2026-03-03T14:30:00Z")];
  const reset = at("2026-03-03T14:40:00Z");
  const ifaces = [
    { interface: "et-0/0/1", loss: () => 0.002, reset: true },
    { interface: "et-0/0/2", loss: () => 0.007, reset: false },
    { interface: "et-0/0/3", loss: (t) => (t >= episode[0] && t < episode[1] ? 0.04 : 0.001), reset: false },
  ];
  const series = [];
  for (const f of ifaces) {
    let total = Math.floor(rand() * 1e9),
      dropped = Math.floor(rand() * 1e6);
    const totals = [],
      drops = [];
    for (let t = start; t <= end; t += STEP_S) {
      // A router restart zeroes the counters: rate() must see a reset, not a negative rate.
      if (f.reset && t === reset) total = dropped = 0;
      const packets = Math.round(STEP_S * 20_000 * (0.9 + 0.2 * rand()));
      total += packets;
      dropped += Math.round(packets * f.loss(t) * (0.8 + 0.4 * rand()));
      totals.push([t, String(total)]);
      drops.push([t, String(dropped)]);
    }
    const metric = { instance: "edge-gw-1", interface: f.interface };
    series.push({ metric: { __name__: "interface_packets_total", ...metric }, values: totals });
    series.push({ metric: { __name__: "interface_packets_dropped_total", ...metric }, values: drops });
  }
  return { start, end, series, title: "Synthetic (seeded): 4 % packet loss for 15 min on et-0/0/3, 0.7 % all along on et-0/0/2, a counter reset on et-0/0/1" };
}

function latencySloBurn() {
  const rand = prng(14_03);
  const start = at("2026-03-04T09:00:00Z"),
    end = at("2026-03-04T11:00:00Z");
  const services = [
    { service: "checkout", rps: 80, slow: (t) => (t >= at("2026-03-04T09:50:00Z") && t < at("2026-03-04T10:20:00Z") ? 0.08 : 0.0005) },
    { service: "search", rps: 200, slow: (t) => (t >= at("2026-03-04T10:30:00Z") && t < at("2026-03-04T10:50:00Z") ? 0.01 : 0.0005) },
  ];
  const bounds = ["0.1", "0.3", "1", "+Inf"];
  const series = [];
  for (const s of services) {
    // Every bucket counter starts from one offset, so they stay cumulative (≤0.1 s ≤ ≤0.3 s ≤ …).
    const offset = Math.floor(rand() * 1e6);
    const counts = bounds.map(() => offset);
    const values = bounds.map(() => []);
    for (let t = start; t <= end; t += STEP_S) {
      const n = Math.round(STEP_S * s.rps * (0.9 + 0.2 * rand()));
      const slow = Math.round(n * s.slow(t) * (0.8 + 0.4 * rand()));
      const veryFast = Math.round((n - slow) * 0.7);
      const verySlow = Math.round(slow * 0.3);
      // Cumulative buckets: ≤0.1 s, ≤0.3 s, ≤1 s, all.
      const inc = [veryFast, n - slow, n - verySlow, n];
      for (let b = 0; b < bounds.length; b++) {
        counts[b] += inc[b];
        values[b].push([t, String(counts[b])]);
      }
    }
    bounds.forEach((le, b) => series.push({ metric: { __name__: "http_request_duration_seconds_bucket", service: s.service, le }, values: values[b] }));
  }
  return { start, end, series, title: "Synthetic (seeded): checkout serves 8 % of requests slower than 300 ms for 30 min; search 1 % for 20 min" };
}

const SYNTHETIC = [
  { id: "bgp-session-flap", make: bgpSessionFlap },
  { id: "packet-loss-episode", make: packetLossEpisode },
  { id: "latency-slo-burn", make: latencySloBurn },
];

const REAL_WINDOWS = [
  {
    id: "msft-mongo",
    source: `${REAL}/prom-query_range-shaped_msft-mongo-rps_2018-04-27T1630-1710Z.json`,
    start: "2018-04-27T16:30:00Z",
    end: "2018-04-27T17:10:00Z",
    title: "Microsoft cloud-monitoring dataset: MongoDB application requests per second of mongo-01 and mongo-02, 2018-04-27 16:30-17:10Z",
  },
  {
    id: "wrccdc-dns",
    source: `${REAL}/prom-query_range-shaped_wrccdc-dns-outcomes_2018-03-24T1719-1722Z.json`,
    start: "2018-03-24T17:19:00Z",
    end: "2018-03-24T17:21:45Z",
    title: "WRCCDC 2018 dns.log: DNS outcomes per 15 s by server group; root-server queries go unanswered from 17:20:15",
  },
];

const iso = (s) => new Date(s * 1000).toISOString().replace(".000Z", "Z");

/** Writes the synthetic sources under `root` and captures every window into `root/policies/prometheus/windows`. */
export async function buildPrometheusExamples(root, { quiet = false } = {}) {
  const work = await mkdtemp(join(REPO, ".bench", "prom-examples-"));
  try {
    const cap = await loadCapture(work);
    const jobs = [...REAL_WINDOWS];
    await mkdir(join(root, SYNTH), { recursive: true });
    for (const s of SYNTHETIC) {
      const w = s.make();
      const source = `${SYNTH}/${s.id}.json.gz`;
      await writeFile(join(root, source), gzipSync(queryRange(w.series), { level: 9 }));
      jobs.push({ id: s.id, source, start: iso(w.start), end: iso(w.end), title: w.title, synthetic: true });
    }
    for (const j of jobs) {
      const out = join(root, "policies/prometheus/windows", j.id);
      // Real sources are read from the checkout; synthetic ones from where they were just written.
      const from = j.synthetic ? relative(REPO, join(root, j.source)) : j.source;
      const args = cap.parseCaptureArgv([
        "--from",
        `prometheus:${from}`,
        "--start",
        j.start,
        "--end",
        j.end,
        "--title",
        j.title,
        "--tag",
        j.synthetic ? "synthetic" : "real-data",
        "--out",
        relative(REPO, out),
        "--id",
        j.id,
        "--captured-at",
        CAPTURED_AT,
        "--library",
        relative(REPO, join(root, "policies/prometheus/windows")),
        "--force",
      ]);
      const outcome = await cap.runCapture(args, { cwd: REPO, stderr: (t) => process.stderr.write(t), stderrIsTTY: false });
      if (!quiet) process.stdout.write(cap.renderCaptureOutcome(outcome, "text"));
      if (outcome.kind !== "written") throw new Error(`${j.id}: not written (${outcome.kind})`);
      // The manifest names the source by its committed path, wherever this build wrote it.
      const path = join(out, "window.yaml");
      const text = (await readFile(path, "utf8")).replace(`path: ${from}\n`, `path: ${j.source}\n`);
      await writeFile(path, "# Regenerate with `node scripts/gen-prometheus-examples.mjs` (byte for byte).\n" + text);
    }
    return { windows: jobs.map((j) => `policies/prometheus/windows/${j.id}`), sources: SYNTHETIC.map((s) => `${SYNTH}/${s.id}.json.gz`) };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const check = process.argv.includes("--check");
  await mkdir(join(REPO, ".bench"), { recursive: true });
  const root = check ? await mkdtemp(join(REPO, ".bench", "prom-examples-check-")) : REPO;
  try {
    const built = await buildPrometheusExamples(root, { quiet: check });
    if (check) {
      const files = [...built.sources, ...built.windows.flatMap((w) => [`${w}/window.yaml`, `${w}/events.ndjson.gz`])];
      let stale = 0;
      for (const f of files) {
        const want = await readFile(join(root, f));
        const have = await readFile(join(REPO, f)).catch(() => Buffer.alloc(0));
        if (!want.equals(have)) {
          stale++;
          process.stderr.write(`stale: ${f}\n`);
        }
      }
      if (stale > 0) {
        process.stderr.write("run `node scripts/gen-prometheus-examples.mjs` and commit the result\n");
        process.exitCode = 1;
      } else process.stdout.write("Prometheus example windows are up to date\n");
    }
  } finally {
    if (check) await rm(root, { recursive: true, force: true });
  }
}
