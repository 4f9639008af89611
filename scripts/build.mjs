// Builds the committed dist/ bundles: the CLI and the Action, each one self-contained ESM file
// that runs on Node 20 and 24 without node_modules.
import { build } from "esbuild";

const banner = {
  // Bundled CommonJS dependencies call require(); ESM output needs it defined.
  js: "import { createRequire as __rgCreateRequire } from 'node:module'; const require = __rgCreateRequire(import.meta.url);",
};

const common = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: false,
  legalComments: "none",
  logLevel: "warning",
  banner,
  // Keep the bundle byte-stable across machines.
  charset: "utf8",
};

const entries = [
  { entryPoints: ["src/cli/index.ts"], outfile: "dist/cli.js", banner: { js: "#!/usr/bin/env node\n" + banner.js } },
];
import { existsSync } from "node:fs";
import { chmod } from "node:fs/promises";
if (existsSync("src/action/index.ts")) entries.push({ entryPoints: ["src/action/index.ts"], outfile: "dist/index.js" });

for (const entry of entries) await build({ ...common, ...entry });
await chmod("dist/cli.js", 0o755);
