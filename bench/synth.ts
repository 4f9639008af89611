/**
 * A seeded synthetic library for the benchmark: many windows of edge telemetry with routing
 * episodes, DNS surges, latency and loss excursions, written as pinned windows.
 */
import { createHash } from "node:crypto";
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createGzip } from "node:zlib";
import { prng } from "../scripts/prng.mjs";

export const SYNTH_VERSION = 1;

const iso = (ms: number) => new Date(ms).toISOString();
const QNAMES = ["api.example.net", "cdn.example.net", "www.example.com", "auth.example.com", "img.example.org"];
const PREFIXES = ["203.0.113.0/24", "198.51.100.0/24", "192.0.2.0/24", "100.64.12.0/22", "100.64.16.0/22", "100.64.20.0/22"];

/** Writes one window of `count` events (about 200 events per second of telemetry). */
async function writeWindow(dir: string, id: string, count: number, seed: number): Promise<void> {
  const rnd = prng(seed);
  const pop = `POP-${1 + (seed % 40)}`;
  const scope = { service: "edge-gw", region: "us-east-1", pop };
  const hosts = [`edge-${seed}a`, `edge-${seed}b`, `edge-${seed}c`];
  const start = Date.UTC(2026, 0, 1) + seed * 86_400_000;
  const durationMs = Math.ceil(count / 200) * 1000;
  const end = start + durationMs;
  // Episodes: a routing flap with a DNS surge and a latency excursion every ~10 minutes of data.
  const episodes: { from: number; to: number }[] = [];
  for (let t = start + 60_000; t < end - 240_000; t += 400_000 + rnd() * 400_000) episodes.push({ from: t, to: t + 150_000 });
  const inEpisode = (t: number) => episodes.some((e) => t >= e.from && t <= e.to);
  mkdirSync(join(dir, id), { recursive: true });
  const path = join(dir, id, "events.ndjson.gz");
  const writer = eventsWriter(path);
  const step = durationMs / count;
  for (let i = 0; i < count; i++) {
    const t = Math.floor(start + i * step);
    const host = hosts[Math.floor(rnd() * hosts.length)]!;
    const r = rnd();
    const ep = inEpisode(t);
    let e: Record<string, unknown>;
    if (r < 0.45) {
      const nx = ep ? rnd() < 0.5 : rnd() < 0.01;
      e = {
        signal: "dns",
        name: "dns.response",
        scope: { ...scope, host },
        source: "resolver",
        attrs: { qname: QNAMES[Math.floor(rnd() * 5)], qtype: "A", rcode: nx ? "NXDOMAIN" : "NOERROR", rtt_ms: Math.round(rnd() * 100) / 10 },
      };
    } else if (r < 0.75) {
      e = { signal: "flow", name: "flow.record", scope: { ...scope, host }, source: "sflow", attrs: { proto: rnd() < 0.9 ? "tcp" : "udp", dst_port: 443, bytes: Math.floor(rnd() * 60000) } };
    } else if (r < 0.9) {
      const metric = ["http_latency_p99_ms", "latency_jitter_ms", "packet_loss_pct"][Math.floor(rnd() * 3)]!;
      const high = ep && rnd() < 0.9;
      const value =
        metric === "http_latency_p99_ms" ? (high ? 300 + rnd() * 200 : 100 + rnd() * 50) : metric === "latency_jitter_ms" ? (high ? 5 + rnd() * 5 : rnd() * 3) : high ? 3 + rnd() * 4 : rnd() * 0.5;
      e = { signal: "metric", name: metric, scope: { ...scope, host }, source: "prom", value: Math.round(value * 100) / 100 };
    } else if (r < 0.98) {
      const withdraw = ep ? rnd() < 0.7 : rnd() < 0.02;
      e = {
        signal: "bgp",
        name: withdraw ? "bgp.withdraw" : "bgp.announce",
        scope,
        source: "edge-rtr",
        attrs: { peer: `198.51.100.${1 + Math.floor(rnd() * 3)}`, peer_asn: 64500, prefix: PREFIXES[Math.floor(rnd() * PREFIXES.length)] },
      };
    } else {
      e = { signal: "log", name: "syslog", scope: { ...scope, host }, source: "rsyslog", severity: rnd() < 0.1 ? "major" : "info", attrs: { facility: "daemon", msg: "link state change" } };
    }
    await writer.line(JSON.stringify({ ts: iso(t), ...e }));
  }
  const pin = await writer.close();
  const manifest = [
    `id: ${id}`,
    `title: synthetic ${pop} window ${seed}`,
    `captured_at: ${iso(end)}`,
    `start: ${iso(start)}`,
    `end: ${iso(end)}`,
    `scope: { service: edge-gw, region: us-east-1, pop: ${pop} }`,
    `signals: [flow, bgp, dns, metric, log]`,
    `events: { path: events.ndjson.gz, sha256: "${pin.sha256}", count: ${count}, bytes: ${pin.bytes} }`,
    "",
  ].join("\n");
  writeFileSync(join(dir, id, "window.yaml"), manifest);
}

/** Generates (or reuses) a library of `windows` windows of `perWindow` events under `root`. */
export async function ensureLibrary(root: string, windows: number, perWindow: number, log: (s: string) => void): Promise<string[]> {
  const dir = join(root, `lib-v${SYNTH_VERSION}-${windows}x${perWindow}`);
  const stamp = join(dir, "COMPLETE");
  const ids = Array.from({ length: windows }, (_, i) => `synth-${String(i).padStart(3, "0")}`);
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === ids.join("\n")) return ids.map((id) => join(dir, id));
  log(`generating ${windows} windows × ${perWindow} events in ${dir} …`);
  for (let i = 0; i < windows; i++) await writeWindow(dir, ids[i]!, perWindow, i + 1);
  writeFileSync(stamp, ids.join("\n"));
  return ids.map((id) => join(dir, id));
}

/**
 * A gzip'd events file written as lines stream in, with the pin (sha256 and size of the
 * stored bytes) computed on the same pass. Lines are batched into 1 MiB writes.
 */
export function eventsWriter(path: string): { line(text: string): Promise<void>; close(): Promise<{ sha256: string; bytes: number }> } {
  const gzip = createGzip({ level: 6 });
  const out = createWriteStream(path);
  gzip.pipe(out);
  const hash = createHash("sha256");
  let bytes = 0;
  gzip.on("data", (chunk: Buffer) => {
    hash.update(chunk);
    bytes += chunk.length;
  });
  let buffer = "";
  return {
    async line(text) {
      buffer += text + "\n";
      if (buffer.length > 1 << 20) {
        if (!gzip.write(buffer)) await new Promise((r) => gzip.once("drain", r));
        buffer = "";
      }
    },
    async close() {
      gzip.end(buffer);
      await new Promise<void>((resolve, reject) => out.on("finish", resolve).on("error", reject));
      return { sha256: hash.digest("hex"), bytes };
    },
  };
}
