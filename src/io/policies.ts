/** Reading policy files from disk. */
import { loadPolicyText, type LoadedPolicy } from "../core/policy/load.js";
import { loadAnyPolicy, type AnyPolicy } from "../core/kinds/any-policy.js";
import { readInputText } from "./read-input.js";

/** Reads, validates and compiles a policy file; errors name file, line, column and path. */
export async function readPolicyFile(path: string, cwd?: string): Promise<LoadedPolicy> {
  return loadPolicyText(await readInputText(path, "no such policy file", undefined, cwd), path);
}

/** Reads a policy file of any kind (recognised by content); errors name file, line, column and path. */
export async function readAnyPolicyFile(path: string, cwd?: string): Promise<AnyPolicy> {
  return loadAnyPolicy(await readInputText(path, "no such policy file", undefined, cwd), path);
}
