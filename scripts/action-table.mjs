#!/usr/bin/env node
// Renders the README's table of the Action's inputs and outputs from action.yml, between the
// markers below, so the front page can never drift from the action's real interface:
//   node scripts/action-table.mjs           # rewrite README.md
//   node scripts/action-table.mjs --check   # exit 1 when README.md is stale (npm run ci runs it)
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parse } from "yaml";

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..");
export const START = "<!-- action-table:start — generated from action.yml by `node scripts/action-table.mjs`; edit action.yml, not this table -->";
export const END = "<!-- action-table:end -->";

/** A table cell: one line, pipes escaped so a description cannot break the table. */
const cell = (text) => String(text).replace(/\s+/g, " ").trim().replace(/\|/g, "\\|");
const code = (text) => `\`${String(text).replace(/`/g, "")}\``;

/** The Markdown tables of action.yml's inputs and outputs, in action.yml's order. */
export function renderActionTable(actionYaml) {
  const doc = parse(actionYaml);
  if (doc === null || typeof doc !== "object" || typeof doc.inputs !== "object" || typeof doc.outputs !== "object") {
    throw new Error("action.yml has no inputs or outputs map");
  }
  const lines = ["| input | default | description |", "|---|---|---|"];
  for (const [name, spec] of Object.entries(doc.inputs)) {
    const def = spec?.default === undefined || spec.default === "" ? "—" : code(spec.default);
    lines.push(`| ${code(name)} | ${def} | ${cell(spec?.description ?? "")} |`);
  }
  lines.push("", "| output | description |", "|---|---|");
  for (const [name, spec] of Object.entries(doc.outputs)) lines.push(`| ${code(name)} | ${cell(spec?.description ?? "")} |`);
  return lines.join("\n");
}

/** README text with the generated block replaced; throws when the markers are missing. */
export function withActionTable(readme, actionYaml) {
  const start = readme.indexOf(START),
    end = readme.indexOf(END);
  if (start === -1 || end === -1 || end < start) throw new Error(`README.md lacks the markers ${START} … ${END}`);
  return `${readme.slice(0, start)}${START}\n${renderActionTable(actionYaml)}\n${readme.slice(end)}`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const readmePath = join(REPO, "README.md");
  const readme = readFileSync(readmePath, "utf8");
  const fresh = withActionTable(readme, readFileSync(join(REPO, "action.yml"), "utf8"));
  if (process.argv.includes("--check")) {
    if (fresh !== readme) {
      process.stderr.write("README.md's inputs/outputs table is stale: run `node scripts/action-table.mjs` and commit README.md\n");
      process.exitCode = 1;
    } else process.stdout.write("README.md's inputs/outputs table matches action.yml\n");
  } else if (fresh !== readme) {
    writeFileSync(readmePath, fresh);
    process.stdout.write("wrote README.md's inputs/outputs table\n");
  }
}
