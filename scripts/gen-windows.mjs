#!/usr/bin/env node
// Generates the bundled example library (policies/windows/2026-*) from a fixed seed, so anyone
// can regenerate it byte for byte: `npm run gen:windows` (or `--out DIR` to write elsewhere).
// The stories are written for the edge-gw policy versions in policies/ and policies/versions/.
//
// The gzip container is written by the local zlib; a different zlib build may frame the same
// events differently. The events themselves (and so the decompressed bytes) are always equal,
// and an existing events file whose content is unchanged is kept as it is, so the pin holds.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { prng } from "./prng.mjs";

const args = process.argv.slice(2);
const outRoot = args[0] === "--out" && args[1] ? args[1] : "policies/windows";

const iso = (ms) => new Date(ms).toISOString();
const at = (s) => Date.parse(s);
const round = (x, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

function window(spec) {
  const rnd = prng(spec.seed);
  const events = [];
  const add = (ts, e) => {
    if (ts < spec.startMs || ts > spec.endMs) return;
    events.push({ ts: Math.round(ts), seq: events.length, e });
  };
  spec.build({ add, rnd, start: spec.startMs, end: spec.endMs });
  // Stable merge of the sources: by time, then by the order they were produced.
  events.sort((a, b) => a.ts - b.ts || a.seq - b.seq);
  return events.map(({ ts, e }) => JSON.stringify({ ts: iso(ts), ...e })).join("\n") + "\n";
}

/** Background traffic of a healthy POP: resolver answers, flows, latency, jitter and loss gauges. */
function background({ add, rnd, start, end }, scope, opts = {}) {
  const hosts = opts.hosts ?? ["edge-12a", "edge-12b"];
  const qnames = ["api.example.net", "cdn.example.net", "www.example.com", "auth.example.com", "img.example.org"];
  for (let t = start + rnd() * 400; t <= end; t += 150 + rnd() * 250) {
    add(t, {
      signal: "dns",
      name: "dns.response",
      scope: { ...scope, host: hosts[Math.floor(rnd() * hosts.length)] },
      source: "resolver",
      attrs: { qname: qnames[Math.floor(rnd() * qnames.length)], qtype: rnd() < 0.8 ? "A" : "AAAA", rcode: rnd() < 0.995 ? "NOERROR" : "SERVFAIL", rtt_ms: round(2 + rnd() * 8) },
    });
  }
  for (let t = start + rnd() * 900; t <= end; t += 500 + rnd() * 700) {
    add(t, {
      signal: "flow",
      name: "flow.record",
      scope: { ...scope, host: hosts[Math.floor(rnd() * hosts.length)] },
      source: "sflow",
      attrs: { proto: rnd() < 0.9 ? "tcp" : "udp", dst_port: rnd() < 0.7 ? 443 : 53, bytes: Math.floor(800 + rnd() * 60000) },
    });
  }
  for (const host of hosts) {
    const phase = rnd() * 10_000;
    for (let t = start + phase; t <= end; t += 10_000) {
      const hi = opts.latencyHigh?.(t) ?? false;
      add(t, { signal: "metric", name: "http_latency_p99_ms", scope: { ...scope, host }, source: "prom", value: round(hi ? 380 + rnd() * 120 : 110 + rnd() * 40) });
      const jitterHi = opts.jitterHigh?.(t) ?? false;
      add(t + 1, { signal: "metric", name: "latency_jitter_ms", scope: { ...scope, host }, source: "prom", value: round(jitterHi ? 6 + rnd() * 5 : 1 + rnd() * 2.5, 2) });
      const lossHi = opts.lossHigh?.(t) ?? false;
      add(t + 2, { signal: "metric", name: "packet_loss_pct", scope: { ...scope, host }, source: "prom", value: round(lossHi ? 4 + rnd() * 5 : rnd() * 0.3, 2) });
    }
  }
}

const PREFIXES = ["203.0.113.0/24", "198.51.100.0/24", "192.0.2.0/24", "100.64.12.0/22", "100.64.16.0/22", "100.64.20.0/22"];

/** A flapping eBGP session: withdrawals of its prefixes, each followed by a re-announcement. */
function bgpFlap({ add, rnd }, scope, peer, asn, from, to, every) {
  for (let t = from + rnd() * every; t <= to; t += every * (0.6 + rnd() * 0.8)) {
    const prefix = PREFIXES[Math.floor(rnd() * PREFIXES.length)];
    add(t, { signal: "bgp", name: "bgp.withdraw", scope, source: "edge-rtr", attrs: { peer, peer_asn: asn, prefix } });
    add(t + 300 + rnd() * 900, { signal: "bgp", name: "bgp.announce", scope, source: "edge-rtr", attrs: { peer, peer_asn: asn, prefix, as_path: `${asn} 64496 64511` } });
  }
}

/** A burst of NXDOMAIN answers (a broken zone delegation, a typo in a deploy). */
function nxdomainSurge({ add, rnd }, scope, from, to, perSecond, hosts) {
  for (let t = from; t <= to; t += (1000 / perSecond) * (0.5 + rnd())) {
    add(t, {
      signal: "dns",
      name: "dns.response",
      scope: { ...scope, host: hosts[Math.floor(rnd() * hosts.length)] },
      source: "resolver",
      attrs: { qname: `svc-${Math.floor(rnd() * 40)}.edge.example.net`, qtype: "A", rcode: "NXDOMAIN", rtt_ms: round(1 + rnd() * 3) },
    });
  }
}

const SCOPE12 = { service: "edge-gw", region: "us-east-1", pop: "POP-12" };
const SCOPE7 = { service: "edge-gw", region: "eu-west-1", pop: "POP-7" };
const SCOPE9 = { service: "edge-gw", region: "us-west-2", pop: "POP-9" };

const WINDOWS = [
  {
    id: "2026-02-26-pop12-routing",
    title: "edge-gw POP-12 routing instability",
    start: "2026-02-26T10:12:00Z",
    end: "2026-02-26T10:16:00Z",
    captured_at: "2026-02-26T10:20:00Z",
    scope: SCOPE12,
    signals: ["flow", "bgp", "dns", "metric"],
    tags: ["routing", "dns"],
    seed: 12,
    expect: "  incidents: 1\n  together: [[bgp-flap, dns-nxdomain-surge]]\n  apart: []\n  actions: { drain-pop: would-run }\n",
    build(ctx) {
      const t0 = ctx.start;
      background(ctx, SCOPE12, { latencyHigh: (t) => t >= t0 + 60_000 && t <= t0 + 210_000 });
      bgpFlap(ctx, SCOPE12, "198.51.100.1", 64500, t0 + 30_000, t0 + 180_000, 1700);
      bgpFlap(ctx, SCOPE12, "198.51.100.2", 64501, t0 + 34_000, t0 + 178_000, 1750);
      nxdomainSurge(ctx, SCOPE12, t0 + 50_000, t0 + 170_000, 35, ["edge-12a", "edge-12b"]);
    },
  },
  {
    id: "2026-03-04-pop7-dns-latency",
    title: "edge-gw POP-7 NXDOMAIN surge with a latency spike",
    start: "2026-03-04T14:00:00Z",
    end: "2026-03-04T14:05:00Z",
    captured_at: "2026-03-04T14:30:00Z",
    scope: SCOPE7,
    signals: ["flow", "dns", "metric"],
    tags: ["dns", "latency"],
    seed: 7,
    expect: "  incidents: 1\n  together: [[dns-nxdomain-surge, latency-spike]]\n  actions: { drain-pop: none }\n",
    build(ctx) {
      const t0 = ctx.start;
      const hosts = ["edge-7a", "edge-7b"];
      background(ctx, SCOPE7, { hosts, latencyHigh: (t) => t >= t0 + 70_000 && t <= t0 + 180_000 });
      nxdomainSurge(ctx, SCOPE7, t0 + 60_000, t0 + 150_000, 30, hosts);
    },
  },
  {
    id: "2026-02-26-pop9-maintenance-loss",
    title: "edge-gw POP-9 packet loss and jitter during planned maintenance",
    start: "2026-02-26T10:20:00Z",
    end: "2026-02-26T10:28:00Z",
    captured_at: "2026-02-26T11:05:00Z",
    scope: SCOPE9,
    signals: ["flow", "dns", "metric", "alert"],
    tags: ["maintenance", "loss", "suppression"],
    seed: 9,
    expect: "  incidents: 0\n  actions: { drain-pop: none }\n",
    build(ctx) {
      const t0 = ctx.start;
      const hosts = ["edge-9a", "edge-9b"];
      const degraded = (t) => t >= t0 + 60_000 && t <= t0 + 360_000;
      background(ctx, SCOPE9, { hosts, lossHigh: degraded, jitterHigh: degraded });
      for (let t = t0 + 65_000; t <= t0 + 360_000; t += 60_000) {
        ctx.add(t, {
          signal: "alert",
          name: "link.degraded",
          scope: { ...SCOPE9, host: "edge-9a" },
          source: "upstream-monitor",
          severity: "major",
          attrs: { interface: "et-0/0/1", summary: "optical power low" },
        });
      }
    },
  },
  {
    id: "2026-03-18-pop12-quiet",
    title: "edge-gw POP-12 quiet hour (no incident expected)",
    start: "2026-03-18T09:00:00Z",
    end: "2026-03-18T09:05:00Z",
    captured_at: "2026-03-18T09:10:00Z",
    scope: SCOPE12,
    signals: ["flow", "dns", "metric"],
    tags: ["baseline"],
    seed: 18,
    expect: "  incidents: 0\n  actions: { drain-pop: none }\n",
    build(ctx) {
      background(ctx, SCOPE12, {});
    },
  },
];

const sha256 = (b) => createHash("sha256").update(b).digest("hex");

for (const w of WINDOWS) {
  const startMs = at(w.start),
    endMs = at(w.end);
  const text = window({ ...w, startMs, endMs });
  const dir = join(outRoot, w.id);
  mkdirSync(dir, { recursive: true });
  const eventsPath = join(dir, "events.ndjson.gz");
  let stored;
  if (existsSync(eventsPath) && gunzipSync(readFileSync(eventsPath)).toString("utf8") === text) stored = readFileSync(eventsPath);
  else {
    stored = gzipSync(Buffer.from(text, "utf8"), { level: 9 });
    writeFileSync(eventsPath, stored);
  }
  const count = text.split("\n").length - 1;
  const manifest = [
    `# Generated by scripts/gen-windows.mjs (seed ${w.seed}); regenerate with \`npm run gen:windows\`.`,
    `id: ${w.id}`,
    `title: ${w.title}`,
    `captured_at: ${w.captured_at}`,
    `start: ${w.start}`,
    `end: ${w.end}`,
    `scope: { service: ${w.scope.service}, region: ${w.scope.region}, pop: ${w.scope.pop} }`,
    `signals: [${w.signals.join(", ")}]`,
    `source: { environment: prod, agent: synthetic-generator }`,
    `events: { path: events.ndjson.gz, sha256: "${sha256(stored)}", count: ${count}, bytes: ${stored.length} }`,
    `tags: [${w.tags.join(", ")}]`,
    `expect:`,
    w.expect.trimEnd(),
    "",
  ].join("\n");
  writeFileSync(join(dir, "window.yaml"), manifest);
  console.log(`${dir}: ${count} events, ${stored.length} bytes`);
}
