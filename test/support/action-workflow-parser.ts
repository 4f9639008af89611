/**
 * @actions/workflow-parser imports its JSON schemas without import attributes, which Node's ESM
 * loader refuses; bundling it with esbuild (which inlines JSON) gives tests GitHub's own parser.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import type { NoOperationTraceWriter as TraceWriterClass, parseWorkflow as ParseWorkflow } from "@actions/workflow-parser";
import type { parseAction as ParseAction } from "@actions/workflow-parser/actions/index";

/** The parser's entry points. */
export interface WorkflowParser {
  parseWorkflow: typeof ParseWorkflow;
  parseAction: typeof ParseAction;
  NoOperationTraceWriter: typeof TraceWriterClass;
}

/** Bundles and loads the parser once per test file. */
export async function loadWorkflowParser(): Promise<WorkflowParser> {
  const dir = await mkdtemp(path.join(tmpdir(), "rg-workflow-parser-"));
  const outfile = path.join(dir, "parser.mjs");
  await build({
    stdin: {
      contents: 'export { parseWorkflow, NoOperationTraceWriter } from "@actions/workflow-parser"; export { parseAction } from "@actions/workflow-parser/actions/index";',
      resolveDir: path.resolve(import.meta.dirname, "../.."),
      loader: "js",
    },
    bundle: true,
    format: "esm",
    platform: "node",
    outfile,
    logLevel: "silent",
  });
  return (await import(pathToFileURL(outfile).href)) as WorkflowParser;
}
