/**
 * Vitest global setup: builds dist/ from src/ once before any test runs, so the end-to-end tests
 * that start `dist/cli.js` and `dist/index.js` never test a bundle older than the sources.
 * (CI checks separately, before the tests, that the committed dist/ was already fresh.)
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..", "..");

export default function buildDist(): void {
  const r = spawnSync(process.execPath, [join(ROOT, "scripts", "build.mjs")], { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`building dist/ before the tests failed (node scripts/build.mjs, exit ${String(r.status)}):\n${r.stderr}${r.stdout}`);
}
