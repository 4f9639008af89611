/**
 * Typed reads of a {@link TreeNode} the way go-yaml v2's strict decoder reads Alertmanager's
 * structs: unknown keys are errors, a null leaves the zero value, any scalar decodes into a
 * string as its text, YAML 1.1 words decode into a bool.
 */
import { TreeError, type MapEntry, type Pos, type TreeNode } from "./yaml-tree.js";

export type Path = readonly PropertyKey[];

/** A mapping's entries by key, after checking every key is one the struct has. */
export function fields(node: TreeNode, path: Path, allowed: readonly string[], what: string): Map<string, MapEntry> | undefined {
  if (node.t === "scalar" && node.isNull) return undefined;
  if (node.t !== "map") throw new TreeError(node.pos, path, `expected a mapping (${what})`);
  const out = new Map<string, MapEntry>();
  for (const e of node.entries) {
    if (!allowed.includes(e.key)) {
      throw new TreeError(e.keyPos, [...path, e.key], `field ${e.key} not found in ${what}`, `allowed: ${allowed.join(", ")}`);
    }
    out.set(e.key, e);
  }
  return out;
}

export function isNull(node: TreeNode | undefined): boolean {
  return node === undefined || (node.t === "scalar" && node.isNull);
}

/** A string field: null is "", any scalar is its text. */
export function readString(f: Map<string, MapEntry> | undefined, key: string, path: Path): string {
  const e = f?.get(key);
  if (!e || isNull(e.value)) return "";
  if (e.value.t !== "scalar") throw new TreeError(e.value.pos, [...path, key], "expected a string");
  return e.value.text;
}

const TRUE_WORDS = new Set(["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"]);
const FALSE_WORDS = new Set(["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"]);

/** A bool field (YAML 1.1 words, as go-yaml v2 reads them); `undefined` when absent or null. */
export function readBool(f: Map<string, MapEntry> | undefined, key: string, path: Path): boolean | undefined {
  const e = f?.get(key);
  if (!e || isNull(e.value)) return undefined;
  const v = e.value;
  if (v.t === "scalar" && v.plain && TRUE_WORDS.has(v.text)) return true;
  if (v.t === "scalar" && v.plain && FALSE_WORDS.has(v.text)) return false;
  throw new TreeError(v.pos, [...path, key], "expected true or false");
}

/** A list of strings; `undefined` when absent or null. */
export function readStringList(f: Map<string, MapEntry> | undefined, key: string, path: Path): { values: string[]; pos: Pos[] } | undefined {
  const e = f?.get(key);
  if (!e || isNull(e.value)) return undefined;
  if (e.value.t !== "seq") throw new TreeError(e.value.pos, [...path, key], "expected a list of strings");
  const values: string[] = [];
  const pos: Pos[] = [];
  e.value.items.forEach((it, i) => {
    if (it.t !== "scalar") throw new TreeError(it.pos, [...path, key, i], "expected a string");
    values.push(it.isNull ? "" : it.text);
    pos.push(it.pos);
  });
  return { values, pos };
}

/** A mapping of strings to strings, in file order; `undefined` when absent or null. */
export function readStringMap(f: Map<string, MapEntry> | undefined, key: string, path: Path): { key: string; value: string; pos: Pos }[] | undefined {
  const e = f?.get(key);
  if (!e || isNull(e.value)) return undefined;
  if (e.value.t !== "map") throw new TreeError(e.value.pos, [...path, key], "expected a mapping of label names to strings");
  return e.value.entries.map((x) => {
    if (x.value.t !== "scalar") throw new TreeError(x.value.pos, [...path, key, x.key], "expected a string");
    return { key: x.key, value: x.value.isNull ? "" : x.value.text, pos: x.keyPos };
  });
}

/** A list field's items; `[]` when absent or null. */
export function readList(f: Map<string, MapEntry> | undefined, key: string, path: Path): readonly TreeNode[] {
  const e = f?.get(key);
  if (!e || isNull(e.value)) return [];
  if (e.value.t !== "seq") throw new TreeError(e.value.pos, [...path, key], "expected a list");
  return e.value.items;
}

/** Where a field is, or its mapping when it is absent. */
export function posOf(f: Map<string, MapEntry> | undefined, key: string, fallback: Pos): Pos {
  return f?.get(key)?.keyPos ?? fallback;
}

/** Prometheus' label-name syntax (Alertmanager 0.25 has no UTF-8 names). */
export function isLabelName(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
    if (!letter && !(i > 0 && c >= 48 && c <= 57)) return false;
  }
  return true;
}
