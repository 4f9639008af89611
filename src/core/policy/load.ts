/** Policy text → validated, compiled policy, with located errors. */
import { sha256Hex } from "../hash.js";
import { parseYaml, validateYaml } from "../yaml.js";
import { compilePolicy, type CompiledPolicy } from "./compile.js";
import { policySchema, type PolicyDoc } from "./schema.js";

/** A loaded policy: where it came from, its document, its compiled form and its hash. */
export interface LoadedPolicy {
  /** The path as the user gave it (or `ref:path` for a git version). */
  readonly file: string;
  readonly doc: PolicyDoc;
  readonly compiled: CompiledPolicy;
  /** `sha256:` + hex of the file's bytes: what `policy_spec_hash` in a window refers to. */
  readonly specHash: string;
  /** The text, kept for semantic and text diffs. */
  readonly text: string;
  /** Line and column of a path in the file (or of its nearest existing ancestor). */
  readonly locate: (path: readonly PropertyKey[]) => { line: number; column: number } | undefined;
}

/** Parses, validates and compiles a policy. Throws InputError naming file, line, column and path. */
export function loadPolicyText(text: string, file: string): LoadedPolicy {
  const located = parseYaml(text, file);
  const doc = validateYaml(located, policySchema);
  return { file, doc, compiled: compilePolicy(doc), specHash: `sha256:${sha256Hex(text)}`, text, locate: (path) => located.locate(path) };
}
