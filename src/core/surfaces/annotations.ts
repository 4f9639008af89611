/**
 * Annotations on the policy lines whose rules changed results. The runner shows at most
 * {@link MAX_ANNOTATIONS} of a kind per step; the last one shown counts the rest, which the
 * summary and report.json list.
 */
import { compareStrings } from "../compare.js";
import { forGitHubText } from "../neutralize.js";
import type { Report } from "../report/report-schema.js";
import { minOf } from "../arrays.js";
import { MAX_ANNOTATIONS } from "../limits.js";

/** One annotation to place (a file line), or the one that counts the rest (no file). */
export interface Annotation {
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly title: string;
  readonly message: string;
}

/** `ref:path` (a git version) → `path`. */
function repoPath(file: string): string {
  const colon = file.indexOf(":");
  return colon === -1 ? file : file.slice(colon + 1);
}

/** The annotations a report calls for: each changed rule of a policy whose windows changed. */
export function annotationsFor(report: Report): Annotation[] {
  const out: Annotation[] = [];
  for (const policy of report.policies) {
    if (policy.head === null) continue;
    const changedWindows = report.windows.filter((w) => w.policy === policy.name && w.status !== "identical");
    if (changedWindows.length === 0) continue;
    const parities = changedWindows.map((w) => w.parity).filter((p): p is number => p !== null);
    const worst = String(minOf(parities, "n/a"));
    for (const change of policy.semantic) {
      if (change.head_line === null) continue;
      out.push({
        file: repoPath(policy.head.file),
        line: change.head_line,
        title: forGitHubText(`replay-gate: ${change.section}${change.id === null ? "" : ` ${change.id}`} ${change.change}`),
        message: forGitHubText(
          `${changedWindows.length} window(s) changed under ${policy.name} (lowest parity ${worst}): ${changedWindows
            .map((w) => w.id)
            .sort(compareStrings)
            .join(", ")}`,
        ),
      });
    }
  }
  return out;
}

/** What to emit within the runner's limit, and how many changes were left unannotated. */
export function fitAnnotations(all: readonly Annotation[]): { readonly emit: readonly Annotation[]; readonly dropped: number } {
  if (all.length <= MAX_ANNOTATIONS) return { emit: all, dropped: 0 };
  const shown = all.slice(0, MAX_ANNOTATIONS - 1);
  const dropped = all.length - shown.length;
  const more: Annotation = {
    file: undefined,
    line: undefined,
    title: "replay-gate: more changes",
    message: `${dropped} more changed rule(s) not annotated (the runner shows ${MAX_ANNOTATIONS} per step); see the job summary and report.json.`,
  };
  return { emit: [...shown, more], dropped };
}
