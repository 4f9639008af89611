#!/usr/bin/env node
// Capture benchmark (issue 6): generate a multi-hundred-MB Zeek dns.log (rows out of ts order,
// taps' duplicate rows), capture it in a child process, and report events/s and peak RSS — the
// point being that memory stays bounded by --sort-buffer, not by the input.
//
//   node scripts/bench-capture.mjs [--mb 300] [--sort-buffer 64MiB] [--heap 256] [--json]
//
// `--heap` caps the child's V8 old space (MiB; 0 = Node's default). Without a cap V8 grows the
// heap lazily and RSS shows slack, not need; with one, finishing proves the bound.
//
// `npm run bench` may import { benchCapture } instead. Files go to .bench/capture/ (git-ignored).
import { spawnSync } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { bundleSource } from "./bundle-ts.mjs";
import { prng } from "./prng.mjs";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const DIR = join(REPO, ".bench/capture");

const HEADER =
  [
    "#separator \\x09",
    "#set_separator\t,",
    "#empty_field\t(empty)",
    "#unset_field\t-",
    "#path\tdns",
    "#open\t2018-03-24-17-00-00",
    "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\ttrans_id\trtt\tquery\tqclass\tqclass_name\tqtype\tqtype_name\trcode\trcode_name\tAA\tTC\tRD\tRA\tZ\tanswers\tTTLs\trejected",
    "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tcount\tinterval\tstring\tcount\tstring\tcount\tstring\tcount\tstring\tbool\tbool\tbool\tbool\tcount\tvector[string]\tvector[interval]\tbool",
  ].join("\n") + "\n";

/** Writes about `mb` MiB of Zeek dns.log TSV; returns its path and row count. */
export async function generateZeekDns(mb, path) {
  const rand = prng(6);
  const out = createWriteStream(path);
  const names = ["ise.wrccdc.org", "talk.google.com", "videosearch.ubuntu.com", "mirrors.example.net", "api.example.com", "cdn.example.org"];
  const outcomes = [
    ["0", "NOERROR"],
    ["0", "NOERROR"],
    ["0", "NOERROR"],
    ["3", "NXDOMAIN"],
    ["2", "SERVFAIL"],
    ["-", "-"],
  ];
  let bytes = 0,
    rows = 0,
    t = 1521910000;
  const target = mb * 1024 * 1024;
  await new Promise((r) => out.write(HEADER, r));
  while (bytes < target) {
    let chunk = "";
    for (let i = 0; i < 2000; i++) {
      t += rand() * 0.0004;
      // Zeek writes a record when the query completes: the logged ts lags by up to ~2 s.
      const ts = (t - rand() * 2).toFixed(6);
      const [rcode, rcodeName] = outcomes[Math.floor(rand() * outcomes.length)];
      const host = `10.47.${Math.floor(rand() * 12)}.${Math.floor(rand() * 250)}`;
      const uid = `C${Math.floor(rand() * 1e15).toString(36)}`;
      const row = `${ts}\t${uid}\t${host}\t${1024 + Math.floor(rand() * 60000)}\t10.0.0.100\t53\tudp\t${Math.floor(rand() * 65535)}\t${rcode === "-" ? "-" : (rand() / 100).toFixed(6)}\t${names[Math.floor(rand() * names.length)]}\t1\tC_INTERNET\t1\tA\t${rcode}\t${rcodeName}\tF\tF\tT\tT\t0\t-\t-\tF\n`;
      chunk += row;
      rows++;
      // Taps see packets twice: every fifth row is logged again a few microseconds later.
      if (rand() < 0.2) {
        chunk += row.replace(ts, (Number(ts) + 0.000003).toFixed(6));
        rows++;
      }
    }
    bytes += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await new Promise((r) => out.once("drain", r));
  }
  await new Promise((r) => out.end(r));
  return { path, rows, bytes: statSync(path).size };
}

function bundle() {
  return bundleSource('export { runCapture } from "./src/io/capture/capture.ts"; export { parseCaptureArgv } from "./src/cli/capture-args.ts";', REPO, join(DIR, "capture.mjs"));
}

const CHILD = `
const [bundlePath, ...argv] = process.argv.slice(2);
const { runCapture, parseCaptureArgv } = await import(bundlePath);
const t0 = process.hrtime.bigint();
const cpu0 = process.cpuUsage();
const out = await runCapture(parseCaptureArgv(argv), { cwd: process.cwd(), stderr: (t) => process.stderr.write(t), stderrIsTTY: false });
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const cpu = process.cpuUsage(cpu0);
const cpu_seconds = (cpu.user + cpu.system) / 1e6;
const m = out.kind === "written" ? out.manifest.events : { count: out.count, bytes: 0 };
const records = out.sources.reduce((n, s) => n + s.records, 0);
process.stdout.write(JSON.stringify({ seconds, cpu_seconds, records, events: m.count, events_bytes: m.bytes, duplicates: out.dropped.duplicates, spills: out.spills, peak_rss_bytes: process.resourceUsage().maxRSS * 1024 }));
`;

/** Runs the benchmark; returns the figures. */
export async function benchCapture({ mb = 300, sortBuffer = "64MiB", heapMiB = 256 } = {}) {
  mkdirSync(DIR, { recursive: true });
  const input = join(DIR, `dns-${mb}MiB.log`);
  const gen = existsSync(input) ? { path: input, bytes: statSync(input).size } : await generateZeekDns(mb, input);
  const bundlePath = await bundle();
  const childPath = join(DIR, "child.mjs");
  writeFileSync(childPath, CHILD);
  const out = join(DIR, "window");
  rmSync(out, { recursive: true, force: true });
  const mapping = join(DIR, "map.yaml");
  writeFileSync(
    mapping,
    "apiVersion: replay-gate/v1\nkind: CaptureMapping\nscope: { service: { value: bench }, pop: { field: src, prefixes: { 10.47.0.0/16: POP-1 } } }\nattrs: { keep: [qname, qtype, rcode, src, uid] }\n",
  );
  const heapFlag = heapMiB > 0 ? [`--max-old-space-size=${heapMiB}`] : [];
  const r = spawnSync(
    process.execPath,
    [...heapFlag, childPath, pathToFileURL(bundlePath).href, "--from", `zeek:${input}`, "--mapping", mapping, "--out", out, "--sort-buffer", sortBuffer, "--library", join(DIR, "none")],
    { cwd: REPO, encoding: "utf8", maxBuffer: 1 << 20 },
  );
  if (r.status !== 0) throw new Error(`capture failed (${r.status ?? r.signal}): ${r.stderr}${r.error ?? ""}`);
  const res = JSON.parse(r.stdout);
  return {
    input_bytes: gen.bytes,
    sort_buffer: sortBuffer,
    heap_cap_mib: heapMiB,
    ...res,
    records_per_second: Math.round(res.records / res.seconds),
    // Wall time on a shared machine varies with its load; CPU time of the capture process is steadier.
    records_per_cpu_second: Math.round(res.records / res.cpu_seconds),
    input_mib_per_second: Math.round((gen.bytes / 1048576 / res.seconds) * 10) / 10,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { values } = parseArgs({ options: { mb: { type: "string" }, "sort-buffer": { type: "string" }, heap: { type: "string" }, json: { type: "boolean" } } });
  const res = await benchCapture({ mb: Number(values.mb ?? 300), sortBuffer: values["sort-buffer"] ?? "64MiB", heapMiB: Number(values.heap ?? 256) });
  if (values.json) process.stdout.write(JSON.stringify(res) + "\n");
  else {
    process.stdout.write(
      `capture of ${(res.input_bytes / 1048576).toFixed(0)} MiB Zeek dns.log: ${res.records} records → ${res.events} events (${res.duplicates} duplicates) in ${res.seconds.toFixed(1)} s (${res.cpu_seconds.toFixed(1)} s CPU)\n`,
    );
    process.stdout.write(
      `  ${res.records_per_second} records/s (${res.records_per_cpu_second} per CPU second) · ${res.input_mib_per_second} MiB/s · peak RSS ${(res.peak_rss_bytes / 1048576).toFixed(0)} MiB · ${res.spills} sorted runs spilled (sort buffer ${res.sort_buffer}, heap cap ${res.heap_cap_mib || "none"} MiB)\n`,
    );
  }
}
