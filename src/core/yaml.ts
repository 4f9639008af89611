/**
 * YAML in, located problems out. Uses the `yaml` package because it keeps every node's
 * source range (so errors name line and column) and lets us refuse aliases outright:
 * policies and manifests never need them, and refusing them removes the "billion laughs"
 * expansion bomb by construction.
 */
import { isMap, isPair, isScalar, LineCounter, parseDocument, visit, type Document } from "yaml";
import type { z } from "zod";
import { FORBIDDEN_KEYS } from "./event.js";
import { compareStrings } from "./compare.js";
import { formatPath, InputError, type Problem } from "./errors.js";

/** A parsed YAML document that can say where any path of it is. */
export interface LocatedYaml {
  readonly file: string;
  readonly value: unknown;
  /** Line and column of the node at `path`, or of its nearest existing ancestor. */
  locate(path: readonly PropertyKey[]): { line: number; column: number } | undefined;
}

/** Largest policy, config or manifest read (bytes): hand-written files are far smaller. */
export const MAX_YAML_BYTES = 4 * 1024 * 1024;

/** Explicit tags that only restate what a plain value is; any other tag (`!!binary`, `!!set`, `!foo`) is refused. */
const PLAIN_TAGS: ReadonlySet<string> = new Set(["str", "int", "float", "bool", "null", "map", "seq"].map((t) => `tag:yaml.org,2002:${t}`));

function shortTag(tag: string): string {
  const shown = tag.startsWith("tag:yaml.org,2002:") ? `!!${tag.slice(18)}` : tag;
  return shown.length > 40 ? `${shown.slice(0, 40)}…` : shown;
}

/** Most problems reported for one YAML file: a hostile file should not print a hundred lines. */
const MAX_YAML_PROBLEMS = 10;

/** Options of {@link parseYaml}. */
export interface ParseYamlOptions {
  /**
   * Accept anchors, aliases and `<<` merge keys, expanding at most 100 aliases (the `yaml`
   * package's bound). Only for formats whose own tools accept them (Alertmanager configurations).
   */
  readonly allowAliases?: boolean;
}

/** Parses one YAML document; throws {@link InputError} naming file, line and column. */
export function parseYaml(text: string, file: string, options: ParseYamlOptions = {}): LocatedYaml {
  if (text.length > MAX_YAML_BYTES) {
    throw new InputError([{ file, message: `file is larger than ${MAX_YAML_BYTES} bytes`, hint: "a policy or manifest this large is not hand-written; check the path" }]);
  }
  const lineCounter = new LineCounter();
  const aliases = options.allowAliases === true;
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true, version: "1.2", merge: aliases });
  const problems: Problem[] = [];
  const at = (offset: number | undefined) => {
    if (offset === undefined) return {};
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  for (const err of doc.errors) problems.push({ file, ...at(err.pos[0]), message: `invalid YAML: ${firstLine(err.message)}` });
  if (problems.length === 0 && !aliases) {
    visit(doc, {
      Alias(_key, node) {
        problems.push({ file, ...at(node.range?.[0]), message: "YAML aliases (*name) are not allowed", hint: "write the value out in full" });
      },
      Node(_key, node) {
        if (node.anchor) problems.push({ file, ...at(node.range?.[0]), message: `YAML anchors (&${node.anchor}) are not allowed`, hint: "write the value out in full" });
        if (node.tag !== undefined && !PLAIN_TAGS.has(node.tag))
          problems.push({ file, ...at(node.range?.[0]), message: `YAML tag ${shortTag(node.tag)} is not allowed`, hint: "write a plain string, number, list or map" });
      },
      Pair(_key, pair) {
        if (pair.key !== null && !isScalar(pair.key)) {
          problems.push({
            file,
            ...at((pair.key as { range?: [number, number, number] }).range?.[0]),
            message: "complex YAML keys (a list or map as a key) are not allowed",
            hint: "keys are plain strings",
          });
        }
        if (isScalar(pair.key) && FORBIDDEN_KEYS.has(String(pair.key.value))) {
          problems.push({ file, ...at(pair.key.range?.[0]), message: `key "${String(pair.key.value)}" is not allowed` });
        }
        if (isScalar(pair.key) && pair.key.value === "<<") {
          problems.push({ file, ...at(pair.key.range?.[0]), message: "YAML merge keys (<<) are not allowed" });
        }
      },
    });
  }
  if (problems.length > 0) throw new InputError(capProblems(problems, file));
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: aliases ? 100 : 0 }) as unknown;
  } catch (e) {
    throw new InputError([{ file, message: `invalid YAML: ${firstLine((e as Error).message)}`, hint: "aliases expand too much; write the values out" }]);
  }
  return {
    file,
    value,
    locate(path) {
      return locateIn(doc, path, lineCounter);
    },
  };
}

function locateIn(doc: Document, path: readonly PropertyKey[], lc: LineCounter): { line: number; column: number } | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n) as unknown[], true) as unknown;
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (range) {
      // For a map value, point at its key: that is the line a person looks for.
      if (n > 0 && n < path.length + 1) {
        const parent = doc.getIn(path.slice(0, n - 1) as unknown[], true) as unknown;
        if (isMap(parent)) {
          const pair = parent.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === path[n - 1]);
          const keyRange = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
          if (keyRange) {
            const pos = lc.linePos(keyRange[0]);
            return { line: pos.line, column: pos.col };
          }
        }
      }
      const pos = lc.linePos(range[0]);
      return { line: pos.line, column: pos.col };
    }
  }
  return undefined;
}

/** Keeps the first {@link MAX_YAML_PROBLEMS} problems (in file order) and says how many more there were. */
function capProblems(problems: Problem[], file: string): Problem[] {
  if (problems.length <= MAX_YAML_PROBLEMS) return problems;
  const kept = [...problems].sort(compareProblems).slice(0, MAX_YAML_PROBLEMS);
  kept.push({ file, message: `${problems.length - MAX_YAML_PROBLEMS} more problems not shown`, hint: "fix the ones above first" });
  return kept;
}

function firstLine(s: string): string {
  return s.split("\n")[0] ?? s;
}

/** Validates a located document with a zod schema; every issue becomes a located problem. */
export function validateYaml<S extends z.ZodType>(doc: LocatedYaml, schema: S): z.output<S> {
  const result = schema.safeParse(doc.value);
  if (result.success) return result.data;
  const problems: Problem[] = result.error.issues.map((issue) => {
    const path = issue.path as PropertyKey[];
    const keys = issue.code === "unrecognized_keys" ? issue.keys : undefined;
    const fullPath = keys?.length ? [...path, keys[0]!] : path;
    return {
      file: doc.file,
      ...doc.locate(fullPath),
      path: formatPath(fullPath) || undefined,
      message: describeIssue(issue),
    };
  });
  problems.sort(compareProblems);
  throw new InputError(capProblems(problems, doc.file));
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "unrecognized_keys":
      return `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
    case "invalid_value":
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    default:
      return issue.message;
  }
}

/** Orders problems by position so the first printed is the first in the file. */
export function compareProblems(a: Problem, b: Problem): number {
  return (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0) || compareStrings(a.path ?? "", b.path ?? "");
}
