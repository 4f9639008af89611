// Builds the committed dist/ bundles: the CLI and the Action, each one self-contained ESM file
// that runs on Node 20 and 24 without node_modules.
//   node scripts/build.mjs           # write dist/
//   node scripts/build.mjs --check   # build into a temporary folder; exit 1 when dist/ differs
import { build } from "esbuild";
import { existsSync } from "node:fs";
import { chmod, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NODE_BUNDLE, REQUIRE_BANNER } from "./bundle-ts.mjs";

const common = {
  ...NODE_BUNDLE,
  sourcemap: false,
  legalComments: "none",
  // Keep the bundle byte-stable across machines.
  charset: "utf8",
};

const entries = [{ entryPoints: ["src/cli/index.ts"], name: "cli.js", banner: { js: "#!/usr/bin/env node\n" + REQUIRE_BANNER } }];
if (existsSync("src/action/index.ts")) entries.push({ entryPoints: ["src/action/index.ts"], name: "index.js" });
// The replay worker (src/io/worker-pool.ts) is loaded from beside cli.js and index.js.
entries.push({ entryPoints: ["src/io/replay-worker.ts"], name: "replay-worker.js" });

/** Builds every bundle into `dir`. */
async function buildInto(dir) {
  for (const { name, ...entry } of entries) await build({ ...common, ...entry, outfile: join(dir, name) });
}

if (process.argv.includes("--check")) {
  const dir = await mkdtemp(join(tmpdir(), "rg-dist-"));
  try {
    await buildInto(dir);
    const stale = [];
    for (const { name } of entries) {
      const fresh = await readFile(join(dir, name));
      const committed = await readFile(join("dist", name)).catch(() => Buffer.alloc(0));
      if (!fresh.equals(committed)) stale.push(`dist/${name}`);
    }
    if (stale.length > 0) {
      console.error(`${stale.join(", ")} differ from the sources: run npm run build and commit dist/`);
      process.exitCode = 1;
    } else console.log("dist/ is fresh");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
} else {
  await buildInto("dist");
  await chmod("dist/cli.js", 0o755);
}
