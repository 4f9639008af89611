/**
 * Reading policies and config at a git ref with the real `git` (execFile, no shell: a ref or a
 * path is an argument, never shell text), so `--base origin/main` works in any clone.
 */
import { execFile } from "node:child_process";
import { InputError, fail } from "../core/errors.js";

/** Largest file `git show` may return: policies and configs are small. */
const MAX_GIT_OUTPUT = 16 * 1024 * 1024;

/** Runs git with `args` in `cwd`; resolves stdout, rejects with git's stderr. */
export function git(args: readonly string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      ["-c", "core.quotepath=off", ...args],
      { cwd, maxBuffer: MAX_GIT_OUTPUT, encoding: "utf8", env: { ...process.env, GIT_TERMINAL_PROMPT: "0", LC_ALL: "C" } },
      (err, stdout, stderr) => {
        if (err) {
          const e = err as NodeJS.ErrnoException;
          reject(new Error(e.code === "ENOENT" ? "git is not installed or not on PATH" : stderr.trim() || e.message));
        } else resolve(stdout);
      },
    );
  });
}

/** True when `cwd` is inside a git work tree. */
export async function isGitRepo(cwd: string): Promise<boolean> {
  try {
    return (await git(["rev-parse", "--is-inside-work-tree"], cwd)).trim() === "true";
  } catch {
    return false;
  }
}

/** The commit `ref` names, or null when it names none. */
export async function resolveCommit(ref: string, cwd: string): Promise<string | null> {
  if (ref.startsWith("-") || ref.length === 0) return null;
  try {
    const out = (await git(["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`], cwd)).trim();
    return /^[0-9a-f]{40,64}$/.test(out) ? out : null;
  } catch {
    return null;
  }
}

/**
 * The best common ancestor of `a` and `b` (`git merge-base`), or null when they share no history.
 * What a branch changes is measured from here: a commit made on the base branch after the branch
 * point is the base's change, not the branch's.
 */
export async function mergeBase(a: string, b: string, cwd: string): Promise<string | null> {
  try {
    const out = (await git(["merge-base", "--end-of-options", a, b], cwd)).trim();
    return /^[0-9a-f]{40,64}$/.test(out) ? out : null;
  } catch {
    return null;
  }
}

/** A path relative to `cwd`, as git's `<rev>:./<path>` syntax takes it. */
function relative(path: string): string {
  if (path.startsWith("/")) fail({ file: path, message: "a path at a git ref must be relative to the working directory" });
  return path.startsWith("./") ? path : `./${path}`;
}

/** The text of `path` (relative to `cwd`) at `commit`. Throws InputError when it does not exist there. */
export async function showFile(commit: string, ref: string, path: string, cwd: string): Promise<string> {
  try {
    return await git(["show", `${commit}:${relative(path)}`], cwd);
  } catch (err) {
    throw new InputError([{ file: `${ref}:${path}`, message: `not found at ${ref}: ${(err as Error).message.split("\n")[0]}` }]);
  }
}

/** Names of the files directly in `dir` (relative to `cwd`) at `commit`, as paths relative to `cwd`, sorted. */
export async function listFiles(commit: string, dir: string, cwd: string): Promise<string[]> {
  const prefix = dir === "." || dir === "" ? "" : `${dir.replace(/\/+$/, "")}/`;
  const out = await git(["ls-tree", "--name-only", "-z", commit, "--", prefix === "" ? "." : prefix], cwd);
  return out
    .split("\0")
    .filter((p) => p.length > 0)
    .sort();
}

/** True when `path` is a directory (tree) at `commit`. */
export async function isTreeAt(commit: string, path: string, cwd: string): Promise<boolean> {
  try {
    return (await git(["cat-file", "-t", `${commit}:${relative(path)}`], cwd)).trim() === "tree";
  } catch {
    return false;
  }
}
