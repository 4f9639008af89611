/**
 * The one resolver from a `policies:` / `windows:` spec to the paths it names at a git commit,
 * used by `diff --base <ref>` (policies at a ref) and by the Action's evidence digest at an older
 * commit (policies and windows as committed there), so both read a spec alike.
 */
import { basename, dirname } from "node:path";
import { isGlob, matchSegmentGlob } from "../core/path-glob.js";
import { git, isTreeAt, listFiles } from "./git.js";

/** What a spec names: policy files, or window directories. */
export type SpecTarget = "policies" | "windows";

/** The paths a spec named at a commit, and which form of spec it was (for the caller's messages). */
export interface SpecPaths {
  /** Repository paths relative to the checkout, sorted; empty when the spec names nothing there. */
  readonly paths: readonly string[];
  /** `glob`: the last segment is a glob; `directory`: a directory; `path`: anything else, taken as is. */
  readonly form: "glob" | "directory" | "path";
}

const POLICY_EXTENSIONS = [".yaml", ".yml"];

/** True for the file names a policies directory contributes (`.yaml`, `.yml`). */
export function isPolicyFileName(name: string): boolean {
  return POLICY_EXTENSIONS.some((ext) => name.endsWith(ext));
}

async function blobAt(commit: string, path: string, cwd: string): Promise<boolean> {
  try {
    return (await git(["cat-file", "-t", `${commit}:./${path}`], cwd)).trim() === "blob";
  } catch {
    return false;
  }
}

/**
 * The paths `spec` names at `commit`: a last segment that is a glob (`policies/*.yaml`,
 * `policies/windows/*`) names the matching entries of its directory; a directory names its policy
 * files (`policies`) or, for `windows`, itself when it holds a window.yaml and its entries
 * otherwise; any other spec names itself (whether it exists is the reader's question).
 */
export async function specPathsAtCommit(commit: string, spec: string, cwd: string, target: SpecTarget): Promise<SpecPaths> {
  const name = basename(spec);
  if (isGlob(name)) {
    const entries = await listFiles(commit, dirname(spec), cwd).catch(() => [] as string[]);
    return { paths: entries.filter((p) => matchSegmentGlob(name, basename(p))), form: "glob" };
  }
  if (await isTreeAt(commit, spec, cwd)) {
    const entries = await listFiles(commit, spec, cwd);
    if (target === "policies") return { paths: entries.filter(isPolicyFileName), form: "directory" };
    return { paths: (await blobAt(commit, `${spec}/window.yaml`, cwd)) ? [spec] : entries, form: "directory" };
  }
  return { paths: [spec], form: "path" };
}
