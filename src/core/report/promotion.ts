/**
 * A promotion (a policy's `mode` going dry-run → enforce) is the headline of a change, not a side
 * effect buried in a window table: the decisions that were `would-run` and now are `gated` (wait
 * for an approval) or `run` (fire automatically) are what a reviewer must see first.
 */
import { compareStrings } from "../compare.js";
import type { Report } from "./report-schema.js";

/** One decision that a promotion turns from would-run into gated or run. */
export interface PromotedDecision {
  readonly window: string;
  readonly action: string;
  /** The head incident (its base counterpart when paired under another id). */
  readonly incident: string;
  readonly head: "gated" | "run";
}

/** One promoted policy and the decisions its promotion changes. */
export interface Promotion {
  readonly policy: string;
  readonly from: "dry-run" | null;
  readonly decisions: readonly PromotedDecision[];
}

/** The policies the change promotes to enforce, with the decisions that now gate or run. Pure. */
export function promotionsOf(r: Report): Promotion[] {
  const out: Promotion[] = [];
  for (const p of r.policies) {
    if (p.head?.mode !== "enforce" || p.base?.mode === "enforce") continue;
    const decisions: PromotedDecision[] = [];
    for (const w of r.windows.filter((x) => x.policy === p.name)) {
      const baseIdOf = new Map(w.matching.pairs.map((pair) => [pair.head, pair.base]));
      for (const d of w.decisions.head) {
        if (d.decision !== "gated" && d.decision !== "run") continue;
        const baseId = baseIdOf.get(d.incident) ?? d.incident;
        const before = w.decisions.base.find((b) => b.action === d.action && b.incident === baseId);
        if (before !== undefined && before.decision !== "would-run") continue;
        decisions.push({ window: w.id, action: d.action, incident: d.incident, head: d.decision });
      }
    }
    decisions.sort((a, b) => compareStrings(a.window, b.window) || compareStrings(a.action, b.action) || compareStrings(a.incident, b.incident));
    out.push({ policy: p.name, from: p.base === null ? null : "dry-run", decisions });
  }
  return out;
}

/** `promotion: edge-gw dry-run → enforce (2 decisions would-run → gated/run)`, or "" without one. */
export function promotionHeadline(promotions: readonly Promotion[]): string {
  if (promotions.length === 0) return "";
  const parts = promotions.map((p) => {
    const n = p.decisions.length;
    return `${p.policy} ${p.from ?? "new"} → enforce (${n} decision${n === 1 ? "" : "s"} would-run → gated/run)`;
  });
  return `promotion: ${parts.join("; ")}`;
}

/** Most promoted decisions listed under the headline; the rest are counted. */
export const MAX_PROMOTED_LISTED = 20;
