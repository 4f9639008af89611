/**
 * The commit status the gate leaves on the evaluated commit: its state and its one line, within
 * GitHub's {@link MAX_STATUS_CHARS}.
 */
import type { GateResult } from "../approvals/types.js";
import { anchoredDescription, type LogAnchor } from "../evidence/decision-log.js";
import { fitLine } from "../fit.js";
import { MAX_STATUS_CHARS } from "../limits.js";
import { forGitHubText } from "../neutralize.js";

/** The verdict's one line (also the comment's headline), cut at a word to fit a status. */
export function statusDescription(gate: GateResult): string {
  return fitLine(`${gate.verdict}: ${gate.summary}`.replace(/\s+/g, " "), MAX_STATUS_CHARS);
}

/**
 * The status state for a verdict: `pending` blocks the merge while approvals are missing, except
 * in a merge queue, where nobody can approve any more and waiting would stall the queue.
 */
export function statusState(verdict: GateResult["verdict"], mergeQueue: boolean): "success" | "pending" | "failure" {
  return verdict === "pass" ? "success" : verdict === "pending" && !mergeQueue ? "pending" : "failure";
}

/** The final status description: the verdict's line, ending with the decision log's anchor the next run checks. */
export function statusLine(gate: GateResult, anchor: LogAnchor): string {
  return anchoredDescription(forGitHubText(statusDescription(gate)), anchor, MAX_STATUS_CHARS);
}
