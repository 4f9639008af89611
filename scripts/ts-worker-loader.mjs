// The module hooks of ts-worker-hooks.mjs (they run on the loader thread).
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { transform } from "esbuild";

/** `./x.js` imported from a `.ts` source is `./x.ts` when only that exists. */
export async function resolve(specifier, context, next) {
  if (context.parentURL?.endsWith(".ts") && specifier.startsWith(".") && specifier.endsWith(".js")) {
    const ts = new URL(specifier.slice(0, -3) + ".ts", context.parentURL);
    if (!existsSync(fileURLToPath(new URL(specifier, context.parentURL))) && existsSync(fileURLToPath(ts))) return { url: ts.href, shortCircuit: true };
  }
  return next(specifier, context);
}

/** TypeScript sources become ES modules. */
export async function load(url, context, next) {
  if (!url.endsWith(".ts")) return next(url, context);
  const source = await readFile(fileURLToPath(url), "utf8");
  const out = await transform(source, { loader: "ts", format: "esm", target: "node20", sourcefile: fileURLToPath(url) });
  return { format: "module", source: out.code, shortCircuit: true };
}
