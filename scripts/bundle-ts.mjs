// Bundles TypeScript from src/ into one ESM file with esbuild, for the scripts that run the
// sources without dist/ (schema export, example capture, capture benchmark), and for dist/ itself.
import { build } from "esbuild";
import { pathToFileURL } from "node:url";

/** Bundled CommonJS dependencies call require(); ESM output needs it defined. */
export const REQUIRE_BANNER = "import { createRequire as __rgCreateRequire } from 'node:module'; const require = __rgCreateRequire(import.meta.url);";

/** Options every bundle shares: one self-contained ESM file for Node 20 and later. */
export const NODE_BUNDLE = { bundle: true, platform: "node", format: "esm", target: "node20", logLevel: "warning", banner: { js: REQUIRE_BANNER } };

/** Bundles the TypeScript module text `contents` (imports resolved from `resolveDir`) to `outfile`. */
export async function bundleSource(contents, resolveDir, outfile) {
  await build({ ...NODE_BUNDLE, stdin: { contents, resolveDir, loader: "ts" }, outfile });
  return outfile;
}

/** Bundles `contents` to `outfile` and imports it. */
export async function importSource(contents, resolveDir, outfile) {
  return import(pathToFileURL(await bundleSource(contents, resolveDir, outfile)).href);
}
