// Writes the committed JSON Schemas in schema/ from their zod schemas, so they can never drift
// from the code (`npm run schema`). `--check` exits 1 when a committed file is stale (`npm run ci`
// runs it). The TypeScript is bundled with esbuild to a temporary module first.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { importSource } from "./bundle-ts.mjs";

const ENTRY = [
  'export * from "./src/core/model/json-schema.ts";',
  'export { auditJsonSchema } from "./src/core/evidence/audit-record.ts";',
  'export { decisionLogJsonSchema } from "./src/core/evidence/decision-log.ts";',
].join("\n");

const dir = await mkdtemp(join(tmpdir(), "rg-schema-"));
try {
  const outfile = join(dir, "schemas.mjs");
  const m = await importSource(ENTRY, process.cwd(), outfile);
  /** Each committed schema file and the JSON Schema it must hold. */
  const schemas = [
    ["schema/report.schema.json", m.reportJsonSchema()],
    ["schema/replay.schema.json", m.replayJsonSchema()],
    ["schema/alertmanager-replay.schema.json", m.alertmanagerReplayJsonSchema()],
    ["schema/rules-replay.schema.json", m.rulesReplayJsonSchema()],
    ["schema/event.schema.json", m.eventJsonSchema()],
    ["schema/window.schema.json", m.windowJsonSchema()],
    ["schema/audit.schema.json", m.auditJsonSchema()],
    ["schema/decision-log.schema.json", m.decisionLogJsonSchema()],
  ];
  const check = process.argv.includes("--check");
  let stale = 0;
  for (const [file, schema] of schemas) {
    const text = `${JSON.stringify(schema, null, 2)}\n`;
    const current = await readFile(file, "utf8").catch(() => "");
    if (current === text) continue;
    if (check) {
      console.error(`${file} is stale; run npm run schema and commit it`);
      stale++;
    } else {
      await writeFile(file, text);
      console.log(`wrote ${file}`);
    }
  }
  if (check && stale > 0) process.exitCode = 1;
  else if (check) console.log(`the ${schemas.length} JSON Schemas in schema/ are fresh`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
