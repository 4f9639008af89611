#!/usr/bin/env node
// Rebuilds the Alertmanager example library, byte for byte, from a seed:
//   node scripts/gen-alertmanager-examples.mjs           # write examples/alertmanager/{taps,windows}
//   node scripts/gen-alertmanager-examples.mjs --check   # regenerate into .bench/ and compare
//
// Each story is a recorded alert stream as Prometheus would POST it to /api/v2/alerts (every
// firing alert re-sent each minute with endsAt = now + 4m, resolved ones for 15 minutes), written
// as an `alertmanager-post` tap, then pinned into a window with the real capture code.
import { build } from "esbuild";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { prng } from "./prng.mjs";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const LIB = "examples/alertmanager";
const CAPTURED_AT = "2026-11-30T00:00:00Z";
const MIN = 60_000;

const iso = (ms) => new Date(ms).toISOString();

/**
 * Alerts as Prometheus sends them: `alerts` are {labels, from, to} (ms; `to` undefined = still
 * firing at the end); evaluation every minute starting at `t0` with a per-stream phase.
 */
function prometheusPosts(alerts, t0, end, rand) {
  const phase = Math.floor(rand() * 50_000) + 5_000;
  const lines = [];
  for (let t = t0 + phase; t <= end; t += MIN) {
    const batch = [];
    for (const a of alerts) {
      if (t < a.from) continue;
      const resolved = a.to !== undefined && t >= a.to;
      if (resolved && t > a.to + 15 * MIN) continue;
      batch.push({
        labels: a.labels,
        annotations: { summary: `${a.labels.alertname} on ${a.labels.instance ?? a.labels.cluster}` },
        startsAt: iso(a.from),
        endsAt: iso(resolved ? a.to : t + 4 * MIN),
        generatorURL: `http://prometheus.example:9090/graph?g0.expr=${encodeURIComponent(a.labels.alertname)}`,
      });
    }
    if (batch.length > 0) lines.push(JSON.stringify({ received_at: iso(t + Math.floor(rand() * 900)), alerts: batch }));
  }
  return lines;
}

/** The stories: a POP outage that pages once under head instead of forty times; a database failover the head config no longer pages for; edge warnings during maintenance. */
export function stories() {
  const rand = prng(20261130);
  const out = [];
  {
    const t0 = Date.parse("2026-11-24T14:00:00Z");
    const alerts = [];
    for (let i = 1; i <= 40; i++) {
      const host = `edge-${String(i).padStart(2, "0")}.pop12`;
      const from = t0 + 3 * MIN + Math.floor(rand() * 90_000);
      alerts.push({
        labels: { alertname: "EdgeHighLatency", severity: "critical", team: "edge", pop: "POP-12", cluster: "edge-eu", instance: host, job: "edge-exporter" },
        from,
        to: t0 + 21 * MIN + Math.floor(rand() * 120_000),
      });
      if (i % 4 === 0)
        alerts.push({
          labels: { alertname: "Edge5xxRate", severity: "warning", team: "edge", pop: "POP-12", cluster: "edge-eu", instance: host, job: "edge-exporter" },
          from: from + 60_000,
          to: t0 + 22 * MIN,
        });
    }
    alerts.push({
      labels: { alertname: "EdgeHighLatency", severity: "warning", team: "edge", pop: "POP-03", cluster: "edge-us", instance: "edge-07.pop03", job: "edge-exporter" },
      from: t0 + 10 * MIN,
      to: t0 + 16 * MIN,
    });
    out.push({ id: "2026-11-24-pop12-outage", title: "POP-12 outage: 40 edge hosts page for latency at once", start: t0, end: t0 + 45 * MIN, lines: prometheusPosts(alerts, t0, t0 + 45 * MIN, rand) });
  }
  {
    const t0 = Date.parse("2026-11-26T09:00:00Z");
    const alerts = [
      { labels: { alertname: "PostgresPrimaryDown", severity: "critical", team: "database", cluster: "db-eu", instance: "pg-1", job: "postgres" }, from: t0 + 5 * MIN, to: t0 + 19 * MIN },
      { labels: { alertname: "PostgresReplicationLag", severity: "warning", team: "database", cluster: "db-eu", instance: "pg-2", job: "postgres" }, from: t0 + 6 * MIN, to: t0 + 24 * MIN },
      { labels: { alertname: "PostgresReplicationLag", severity: "warning", team: "database", cluster: "db-eu", instance: "pg-3", job: "postgres" }, from: t0 + 6 * MIN + 20_000, to: t0 + 24 * MIN },
      { labels: { alertname: "PostgresConnectionsHigh", severity: "critical", team: "database", cluster: "db-us", instance: "pg-7", job: "postgres" }, from: t0 + 12 * MIN, to: t0 + 30 * MIN },
    ];
    out.push({
      id: "2026-11-26-db-failover",
      title: "Database failover: the primary goes down and replicas lag",
      start: t0,
      end: t0 + 40 * MIN,
      lines: prometheusPosts(alerts, t0, t0 + 40 * MIN, rand),
    });
  }
  {
    const t0 = Date.parse("2026-11-29T02:10:00Z");
    const alerts = [];
    for (let i = 1; i <= 6; i++)
      alerts.push({
        labels: { alertname: "EdgeLinkFlap", severity: "warning", team: "edge", pop: "POP-07", cluster: "edge-ap", instance: `edge-0${i}.pop07`, job: "edge-exporter" },
        from: t0 + i * MIN,
        to: t0 + (20 + i) * MIN,
      });
    out.push({
      id: "2026-11-29-maintenance-flaps",
      title: "Sunday maintenance: link flaps on POP-07 stay muted",
      start: t0,
      end: t0 + 40 * MIN,
      lines: prometheusPosts(alerts, t0, t0 + 40 * MIN, rand),
    });
  }
  return out;
}

async function loadCapture(workdir) {
  const outfile = join(workdir, "capture.mjs");
  await build({
    stdin: { contents: 'export { runCapture } from "./src/io/capture/capture.ts"; export { parseCaptureArgv } from "./src/cli/capture-args.ts";', resolveDir: REPO, loader: "ts" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile,
    logLevel: "warning",
    banner: { js: "import { createRequire as __rgCreateRequire } from 'node:module'; const require = __rgCreateRequire(import.meta.url);" },
  });
  return import(pathToFileURL(outfile).href);
}

async function generate(root) {
  const work = await mkdtemp(join(tmpdir(), "rg-am-examples-"));
  try {
    const cap = await loadCapture(work);
    await mkdir(join(root, "taps"), { recursive: true });
    for (const s of stories()) {
      const tap = join(root, "taps", `${s.id}.jsonl`);
      await writeFile(tap, `${s.lines.join("\n")}\n`);
      const args = cap.parseCaptureArgv([
        "--from",
        `alertmanager-post:${relative(REPO, tap)}`,
        "--out",
        relative(REPO, join(root, "windows", s.id)),
        "--id",
        s.id,
        "--start",
        iso(s.start),
        "--end",
        iso(s.end),
        "--title",
        s.title,
        "--tag",
        "alertmanager",
        "--tag",
        "synthetic",
        "--captured-at",
        CAPTURED_AT,
        "--library",
        relative(REPO, join(root, "windows")),
        "--max-reject-fraction",
        "0",
        "--force",
      ]);
      const outcome = await cap.runCapture(args, { cwd: REPO, stderr: (t) => process.stderr.write(t), stderrIsTTY: false });
      if (outcome.kind !== "written") throw new Error(`${s.id}: not written (${outcome.kind})`);
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const check = process.argv.includes("--check");
  if (check) await mkdir(join(REPO, ".bench"), { recursive: true });
  const root = check ? await mkdtemp(join(REPO, ".bench", "am-examples-")) : join(REPO, LIB);
  try {
    await generate(root);
    if (check) {
      let stale = 0;
      for (const s of stories()) {
        for (const f of [`taps/${s.id}.jsonl`, `windows/${s.id}/window.yaml`, `windows/${s.id}/events.ndjson.gz`]) {
          // The manifest names the tap it was captured from: compare as if captured in place.
          const raw = await readFile(join(root, f));
          const want = f.endsWith(".yaml") ? Buffer.from(raw.toString("utf8").replaceAll(relative(REPO, root), LIB)) : raw;
          const have = await readFile(join(REPO, LIB, f)).catch(() => Buffer.alloc(0));
          if (!want.equals(have)) {
            stale++;
            process.stderr.write(`stale: ${LIB}/${f}\n`);
          }
        }
      }
      if (stale > 0) process.exitCode = 1;
      else process.stdout.write("Alertmanager examples are up to date\n");
    }
  } finally {
    if (check) await rm(root, { recursive: true, force: true });
  }
}
