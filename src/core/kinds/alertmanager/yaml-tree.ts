/**
 * Alertmanager reads its configuration with go-yaml v2 (YAML 1.1 scalars, `<<` merge keys,
 * anchors and aliases). Real configurations use anchors to share receiver or route blocks, so
 * this kind accepts them — unlike our own policies — with a bounded expansion: every alias
 * resolution costs the size of the aliased subtree, and the whole document may expand to at
 * most {@link MAX_EXPANDED_NODES} nodes (the "billion laughs" bomb fails fast, located).
 *
 * The tree keeps each scalar's source text and whether it was quoted, because go-yaml decodes
 * a plain `yes` into a bool field as true and any scalar into a string field as its text.
 */
import { appendAll } from "../../arrays.js";
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode } from "yaml";
import { FORBIDDEN_KEYS } from "../../event.js";
import { formatPath, InputError, type Problem } from "../../errors.js";

/** Nodes one document may expand to, aliases included. */
export const MAX_EXPANDED_NODES = 200_000;
const MAX_YAML_BYTES = 4 * 1024 * 1024;

export interface Pos {
  readonly line: number;
  readonly column: number;
}
export type TreeNode =
  | { readonly t: "map"; readonly pos: Pos; readonly entries: readonly MapEntry[] }
  | { readonly t: "seq"; readonly pos: Pos; readonly items: readonly TreeNode[] }
  | { readonly t: "scalar"; readonly pos: Pos; readonly text: string; readonly plain: boolean; readonly isNull: boolean };
export interface MapEntry {
  readonly key: string;
  readonly keyPos: Pos;
  readonly value: TreeNode;
}

/** A problem found while reading the tree; {@link ConfigReader} turns it into a located InputError. */
export class TreeError extends Error {
  constructor(
    readonly pos: Pos | undefined,
    readonly path: readonly PropertyKey[],
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** Parses `text` into a {@link TreeNode}; throws InputError naming file, line and column. */
export function parseTree(text: string, file: string): TreeNode {
  if (text.length > MAX_YAML_BYTES)
    throw new InputError([{ file, message: `file is larger than ${MAX_YAML_BYTES} bytes`, hint: "an Alertmanager configuration this large is not hand-written; check the path" }]);
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: false, merge: true, version: "1.1" });
  const at = (offset: number | undefined): Pos => {
    const p = lc.linePos(offset ?? 0);
    return { line: p.line, column: p.col };
  };
  if (doc.errors.length > 0) {
    throw new InputError(doc.errors.map((e) => ({ file, ...at(e.pos[0]), message: `invalid YAML: ${e.message.split("\n")[0] ?? e.message}` })));
  }
  let budget = MAX_EXPANDED_NODES;
  // yaml's Alias.resolve searches the whole document each time; resolve each alias once.
  const resolved = new Map<unknown, unknown>();
  const resolve = (a: { resolve(d: Document): unknown }): unknown => {
    if (!resolved.has(a)) resolved.set(a, a.resolve(doc as Document));
    return resolved.get(a);
  };
  const convert = (node: unknown, path: PropertyKey[], depth: number): TreeNode => {
    if (--budget < 0 || depth > 200) {
      const pos = at((node as { range?: number[] } | undefined)?.range?.[0]);
      throw new InputError([
        {
          file,
          ...pos,
          path: formatPath(path) || undefined,
          message: `the document expands to more than ${MAX_EXPANDED_NODES} nodes or nests deeper than 200`,
          hint: "YAML aliases are expanded in full; share less through anchors",
        },
      ]);
    }
    if (isAlias(node)) return convert(resolve(node), path, depth + 1);
    const pos = at((node as YamlNode | undefined)?.range?.[0]);
    if (node === null || node === undefined) return { t: "scalar", pos, text: "", plain: true, isNull: true };
    if (isScalar(node)) {
      const plain = node.type === "PLAIN";
      const text = plain ? String(node.source ?? "") : typeof node.value === "string" ? node.value : String(node.source ?? node.value);
      return { t: "scalar", pos, text, plain, isNull: node.value === null };
    }
    if (isSeq(node)) return { t: "seq", pos, items: node.items.map((it, i) => convert(it, [...path, i], depth + 1)) };
    if (isMap(node)) {
      const entries: MapEntry[] = [];
      const seen = new Set<string>();
      const push = (e: MapEntry) => {
        if (seen.has(e.key)) return; // an explicit key overrides a merged one
        seen.add(e.key);
        entries.push(e);
      };
      const merged: MapEntry[] = [];
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const k = pair.key as unknown;
        const keyNode = isAlias(k) ? resolve(k) : k;
        const keyText = isScalar(keyNode) ? String(keyNode.source ?? keyNode.value) : undefined;
        const keyPos = at((keyNode as YamlNode | undefined)?.range?.[0]);
        if (keyText === "<<" && isScalar(keyNode) && keyNode.type === "PLAIN") {
          const v = isAlias(pair.value) ? resolve(pair.value) : pair.value;
          const sources = isSeq(v) ? v.items.map((x) => (isAlias(x) ? resolve(x) : x)) : [v];
          for (const src of sources) {
            const conv = convert(src, path, depth + 1);
            if (conv.t !== "map") throw new InputError([{ file, ...keyPos, path: formatPath(path) || undefined, message: "a merge key (<<) must name a mapping or a list of mappings" }]);
            appendAll(merged, conv.entries);
          }
          continue;
        }
        if (keyText === undefined) throw new InputError([{ file, ...keyPos, path: formatPath(path) || undefined, message: "a mapping key must be a scalar" }]);
        if (FORBIDDEN_KEYS.has(keyText)) throw new InputError([{ file, ...keyPos, path: formatPath([...path, keyText]), message: `key "${keyText}" is not allowed` }]);
        push({ key: keyText, keyPos, value: convert(pair.value, [...path, keyText], depth + 1) });
      }
      for (const e of merged) push(e);
      return { t: "map", pos, entries };
    }
    throw new InputError([{ file, ...pos, path: formatPath(path) || undefined, message: "unsupported YAML node" }]);
  };
  return convert(doc.contents, [], 0);
}

/** Turns a {@link TreeError} into the project's located InputError. */
export function toProblem(file: string, e: TreeError): Problem {
  return { file, line: e.pos?.line, column: e.pos?.column, path: formatPath(e.path) || undefined, message: e.message, hint: e.hint };
}
