// Writes schema/replay.schema.json from the zod schema (run by `npm run schema`; a test fails when it is stale).
import { build } from "esbuild";
import { mkdirSync, writeFileSync } from "node:fs";
const out = ".bench/replay-schema.mjs";
await build({ entryPoints: ["src/core/report/replay-schema.ts"], outfile: out, bundle: true, platform: "node", format: "esm", logLevel: "warning" });
const { replayReportSchema } = await import(new URL(`../${out}`, import.meta.url));
const { z } = await import("zod");
mkdirSync("schema", { recursive: true });
writeFileSync("schema/replay.schema.json", JSON.stringify(z.toJSONSchema(replayReportSchema, { target: "draft-2020-12" }), null, 2) + "\n");
