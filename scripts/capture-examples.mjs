#!/usr/bin/env node
// Rebuilds the example windows captured from real exports (issue 6), byte for byte:
//   node scripts/capture-examples.mjs            # write policies/windows/<id>/
//   node scripts/capture-examples.mjs --check    # capture into a temporary directory and compare
//
// It bundles the capture module with esbuild (no dist/ needed), runs `capture` on the real samples
// in fixtures/realdata/ (see its SOURCES.tsv files) with the committed mappings in policies/mappings/, then adds each window's
// `expect:` block, written from what the engine shows on that data (see docs/capture.md).
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { importSource } from "./bundle-ts.mjs";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const REAL = "fixtures/realdata";
/** Pinned so that re-running writes the same window.yaml. */
const CAPTURED_AT = "2026-11-22T00:00:00Z";

export const EXAMPLES = [
  {
    id: "2016-08-11-rrc21-session-flap",
    argv: [
      "--from",
      `bgpdump:${REAL}/bgp/RIPE-NCC-bgpdump_test_expect_updates.20160811.1600.gz.bgp.gz`,
      "--mapping",
      "policies/mappings/rrc21-franceix.yaml",
      "--start",
      "2016-08-11T16:00:00Z",
      "--end",
      "2016-08-11T16:04:59Z",
      "--scope",
      "pop=PAR-FRANCEIX",
      "--title",
      "RIS rrc21 (France-IX Paris): three peers' sessions flap every ~65 s for five minutes",
      "--tag",
      "routing",
      "--tag",
      "real-data",
    ],
    expect: {
      incidents: 1,
      together: [["session-flap", "withdraw-burst"]],
      apart: [],
      actions: { "hold-peer-sessions": "would-run" },
    },
  },
  {
    id: "2018-03-24-wrccdc-dns-failure-storm",
    argv: [
      "--from",
      `zeek:${REAL}/zeek/brimdata-zed-sample-data_wrccdc_dns_2018-03-24T1719-1722Z.log.gz`,
      "--from",
      `prometheus:${REAL}/zeek/prom-query_range-shaped_wrccdc-dns-outcomes_2018-03-24T1719-1722Z.json`,
      "--mapping",
      "policies/mappings/wrccdc-dns.yaml",
      "--start",
      "2018-03-24T17:19:00Z",
      "--end",
      "2018-03-24T17:21:59Z",
      "--scope",
      "pop=WRCCDC-CORE",
      "--title",
      "WRCCDC 2018: queries to the root servers go unanswered while NXDOMAIN rises",
      "--tag",
      "dns",
      "--tag",
      "real-data",
    ],
    expect: {
      incidents: 1,
      together: [["dns-no-response-surge", "dns-nxdomain-surge", "root-no-response-rate"]],
      apart: [],
      actions: { "fail-over-resolvers": "would-run" },
    },
  },
];

/** Bundles the capture module (no dist/ needed) into `workdir` and imports it. */
export async function loadCapture(workdir) {
  const entry = [
    'export { runCapture, renderCaptureOutcome } from "./src/io/capture/capture.ts"; export { parseCaptureArgv } from "./src/cli/capture-args.ts";',
    'export { renderManifest } from "./src/core/capture/manifest-text.ts";',
    'export { parseYaml, validateYaml } from "./src/core/yaml.ts";',
    'export { manifestSchema } from "./src/core/window/manifest.ts";',
  ].join("\n");
  return importSource(entry, REPO, join(workdir, "capture.mjs"));
}

/** Captures every example into `root/<id>`; returns the window directories. */
export async function captureExamples(root, { quiet = false } = {}) {
  const work = await mkdtemp(join(tmpdir(), "rg-examples-"));
  try {
    const cap = await loadCapture(work);
    const dirs = [];
    for (const ex of EXAMPLES) {
      const out = join(root, ex.id);
      const args = cap.parseCaptureArgv([
        ...ex.argv,
        "--out",
        relative(REPO, out) || ".",
        "--id",
        ex.id,
        "--captured-at",
        CAPTURED_AT,
        // The samples live in the checkout; the library is the examples' own folder.
        "--library",
        relative(REPO, root),
        "--force",
      ]);
      const outcome = await cap.runCapture(args, { cwd: REPO, stderr: (t) => process.stderr.write(t), stderrIsTTY: false });
      if (!quiet) process.stdout.write(cap.renderCaptureOutcome(outcome, "text"));
      if (outcome.kind !== "written") throw new Error(`${ex.id}: not written (${outcome.kind})`);
      const path = join(out, "window.yaml");
      const manifest = cap.validateYaml(cap.parseYaml(await readFile(path, "utf8"), path), cap.manifestSchema);
      const header = "# Captured from real exports by scripts/capture-examples.mjs; regenerate with `node scripts/capture-examples.mjs`.\n";
      await writeFile(path, header + cap.renderManifest({ ...manifest, expect: ex.expect }));
      dirs.push(out);
    }
    return dirs;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const check = process.argv.includes("--check");
  // A check captures inside the workspace (as capture requires) but under the git-ignored .bench/.
  if (check) await mkdir(join(REPO, ".bench"), { recursive: true });
  const root = check ? await mkdtemp(join(REPO, ".bench", "capture-check-")) : join(REPO, "policies/windows");
  try {
    await captureExamples(root, { quiet: check });
    if (check) {
      let stale = 0;
      for (const ex of EXAMPLES) {
        for (const f of ["window.yaml", "events.ndjson.gz"]) {
          const want = await readFile(join(root, ex.id, f));
          const have = await readFile(join(REPO, "policies/windows", ex.id, f)).catch(() => Buffer.alloc(0));
          if (!want.equals(have)) {
            stale++;
            process.stderr.write(`stale: policies/windows/${ex.id}/${f}\n`);
          }
        }
      }
      if (stale > 0) {
        process.stderr.write("run `node scripts/capture-examples.mjs` and commit the result\n");
        process.exitCode = 1;
      } else process.stdout.write("example windows are up to date\n");
    }
  } finally {
    if (check) await rm(root, { recursive: true, force: true });
  }
}
