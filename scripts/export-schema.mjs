// Writes schema/report.schema.json from the zod schema in src/core/report/report-schema.ts, so
// the JSON Schema can never drift from the code. `--check` exits 1 when the committed file is stale
// (CI runs it). The TypeScript is bundled with esbuild to a temporary module first.
import { build } from "esbuild";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const OUT = "schema/report.schema.json";
const dir = await mkdtemp(join(tmpdir(), "rg-schema-"));
try {
  const outfile = join(dir, "report-schema.mjs");
  await build({ entryPoints: ["src/core/report/report-schema.ts"], outfile, bundle: true, platform: "node", format: "esm", logLevel: "warning", banner: { js: "import { createRequire as __rgCreateRequire } from 'node:module'; const require = __rgCreateRequire(import.meta.url);" } });
  const { reportJsonSchema } = await import(pathToFileURL(outfile).href);
  const text = `${JSON.stringify(reportJsonSchema(), null, 2)}\n`;
  if (process.argv.includes("--check")) {
    const current = await readFile(OUT, "utf8").catch(() => "");
    if (current !== text) {
      console.error(`${OUT} is stale; run node scripts/export-schema.mjs`);
      process.exitCode = 1;
    }
  } else {
    await writeFile(OUT, text);
    console.log(`wrote ${OUT}`);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
