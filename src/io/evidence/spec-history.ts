/**
 * Pipeline version resolution: which policy version (and commit) a `policy_spec_hash` stands
 * for. Scans the history of the policy paths with the real git — every committed version of
 * every `.yaml`/`.yml` file under them that is a CorrelationPolicy — plus the working-tree files
 * (commit null when uncommitted). The earliest commit holding a given text wins.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";
import type { PolicyVersion } from "../../core/evidence/enforce.js";
import { sha256Hex } from "../../core/hash.js";
import { git, isGitRepo } from "../git.js";
import { appendAll } from "../../core/arrays.js";

const isYaml = (p: string) => p.endsWith(".yaml") || p.endsWith(".yml");

/** name and version when `text` is a CorrelationPolicy; null otherwise (windows, configs, broken YAML). */
function policyIdentity(text: string): { name: string; version: string } | null {
  try {
    const doc = parse(text, { maxAliasCount: 0 }) as { kind?: unknown; metadata?: { name?: unknown; version?: unknown } } | null;
    if (doc === null || typeof doc !== "object" || doc.kind !== "CorrelationPolicy") return null;
    const name = doc.metadata?.name,
      version = doc.metadata?.version;
    return { name: typeof name === "string" ? name : "?", version: typeof version === "string" || typeof version === "number" ? String(version) : "?" };
  } catch {
    return null;
  }
}

async function workingTreeFiles(path: string, cwd: string): Promise<string[]> {
  const abs = path.startsWith("/") ? path : join(cwd, path);
  let s;
  try {
    s = await stat(abs);
  } catch {
    return [];
  }
  if (s.isFile()) return isYaml(path) ? [path] : [];
  if (!s.isDirectory()) return [];
  const out: string[] = [];
  for (const e of (await readdir(abs, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (e.isDirectory()) appendAll(out, await workingTreeFiles(join(path, e.name), cwd));
    else if (e.isFile() && isYaml(e.name)) out.push(join(path, e.name));
  }
  return out;
}

/** Spec hash → policy version, for every version of the policies under `paths` (relative to `cwd`). */
export async function scanPolicyHistory(paths: readonly string[], cwd: string): Promise<Map<string, PolicyVersion>> {
  const found = new Map<string, PolicyVersion>();
  if (await isGitRepo(cwd)) {
    const commits = (await git(["log", "--reverse", "--format=%H", "--end-of-options", "HEAD", "--", ...paths], cwd).catch(() => "")).split("\n").filter((l) => l.length > 0);
    const seenBlobs = new Set<string>();
    for (const commit of commits) {
      const listing = await git(["ls-tree", "-r", "-z", commit, "--", ...paths], cwd);
      for (const entry of listing.split("\0")) {
        const m = /^\d+ blob ([0-9a-f]{40,64})\t(.+)$/s.exec(entry);
        if (m === null || !isYaml(m[2]!) || seenBlobs.has(m[1]!)) continue;
        seenBlobs.add(m[1]!);
        const text = await git(["cat-file", "blob", m[1]!], cwd);
        const id = policyIdentity(text);
        if (id === null) continue;
        const spec = `sha256:${sha256Hex(text)}`;
        if (!found.has(spec)) found.set(spec, { spec_hash: spec, name: id.name, version: id.version, commit, path: m[2]! });
      }
    }
  }
  for (const p of paths) {
    for (const file of await workingTreeFiles(p, cwd)) {
      const text = await readFile(file.startsWith("/") ? file : join(cwd, file), "utf8");
      const id = policyIdentity(text);
      if (id === null) continue;
      const spec = `sha256:${sha256Hex(text)}`;
      if (!found.has(spec)) found.set(spec, { spec_hash: spec, name: id.name, version: id.version, commit: null, path: file });
    }
  }
  return found;
}
