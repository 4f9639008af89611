/**
 * Annotations on the policy lines whose rules changed results. The runner shows at most 10
 * annotations of a kind per step; the rest are counted in one more notice and listed in the summary.
 */
import { log } from "./log.js";
import { compareStrings } from "../core/compare.js";
import { forGitHubText } from "../core/neutralize.js";
import type { Report } from "../core/report/report-schema.js";
import { minOf } from "../core/arrays.js";

/** The runner keeps at most this many annotations of one kind per step. */
export const MAX_ANNOTATIONS = 10;

/** One annotation to place. */
export interface Annotation {
  readonly file: string;
  readonly line: number;
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
        message: forGitHubText(`${changedWindows.length} window(s) changed under ${policy.name} (lowest parity ${worst}): ${changedWindows.map((w) => w.id).sort(compareStrings).join(", ")}`),
      });
    }
  }
  return out;
}

/** Emits up to {@link MAX_ANNOTATIONS} notices and one that counts the rest; returns how many were dropped. */
export function emitAnnotations(annotations: readonly Annotation[]): number {
  const shown = annotations.slice(0, MAX_ANNOTATIONS - 1 < annotations.length - 1 ? MAX_ANNOTATIONS - 1 : MAX_ANNOTATIONS);
  for (const a of shown) log.notice(a.message, { title: a.title, file: a.file, startLine: a.line });
  const rest = annotations.length - shown.length;
  if (rest > 0) log.notice(`${rest} more changed rule(s) not annotated (the runner shows ${MAX_ANNOTATIONS} per step); see the job summary and report.json.`, { title: "replay-gate: more changes" });
  return rest;
}
