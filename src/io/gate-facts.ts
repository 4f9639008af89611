/**
 * Facts the gate decision needs that both shells read the same way: the policies across a
 * change with the environments of the windows each covers, and the files a working tree changes
 * since a commit (for `check`; the Action asks GitHub).
 */
import { join } from "node:path";
import type { PolicyChange } from "../core/approvals/types.js";
import { sortedUnique } from "../core/compare.js";
import type { Report } from "../core/report/report-schema.js";
import { git } from "./git.js";
import { readWindowManifest } from "./window.js";

/** Repository-relative path of a report's `ref:path` or local file. */
const repoPath = (file: string) => (file.includes(":") ? file.slice(file.indexOf(":") + 1) : file);

/** The policies across the change, with the environments of the windows each covers. */
export async function policyChanges(report: Report, cwd: string): Promise<PolicyChange[]> {
  const envOfWindow = new Map<string, string | undefined>();
  for (const w of report.inputs.windows) {
    try {
      envOfWindow.set(w.id, (await readWindowManifest(join(cwd, w.dir))).manifest.source?.["environment"]);
    } catch {
      envOfWindow.set(w.id, undefined);
    }
  }
  return report.policies.map((p) => ({
    name: p.name,
    file: repoPath((p.head ?? p.base)!.file),
    baseMode: p.base?.mode ?? null,
    headMode: p.head?.mode ?? null,
    environments: sortedUnique(
      report.inputs.windows
        .filter((w) => w.policies.includes(p.name))
        .flatMap((w) => {
          const env = envOfWindow.get(w.id);
          return env === undefined ? [] : [env];
        }),
    ),
  }));
}

/** Files the working tree changes since `commit`: committed, staged, unstaged and untracked (not ignored). */
export async function changedFilesSince(commit: string, cwd: string): Promise<string[]> {
  const tracked = await git(["diff", "--name-only", "-z", "--no-renames", commit, "--"], cwd);
  const untracked = await git(["ls-files", "-z", "--others", "--exclude-standard"], cwd);
  return sortedUnique([...tracked.split("\0"), ...untracked.split("\0")].filter((p) => p !== ""));
}
