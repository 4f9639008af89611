/**
 * The thresholds part of the verdict (docs/gate.md): per window, parity at least `min_parity`, at
 * most `max_added_incidents` / `max_removed_incidents`, expectations holding on head when
 * `required`, head replayed twice giving equal signatures when `determinism`, and — over all
 * windows — no more changed services, regions or POPs than `blast_radius` allows. And evidence
 * (fail closed): nothing replayed is never a pass, and a changed policy needs
 * `min_windows_per_changed_policy` windows and a window that exercises each rule it adds or
 * changes; for other kinds, their own thresholds on `kind_diff` (pages lost, alerts lost). Approvals and posture are decided later by the Action, on top of this result.
 */
import { compareStrings } from "../compare.js";
import { parseDuration } from "../time.js";
import type { Thresholds } from "../config.js";
import type { Coverage, Evaluation, PolicyDiff, Reason, WindowResult } from "../report/report-schema.js";

const ORDER: Readonly<Record<Reason["code"], number>> = {
  "nothing-replayed": -2,
  "no-evidence": -1,
  "pages-lost": -0.5,
  "alerts-lost": -0.4,
  "expectation-regression": 0,
  "expectation-failed": 1,
  nondeterministic: 2,
  "parity-below-min": 3,
  "incidents-added": 4,
  "incidents-removed": 5,
  "blast-radius": 6,
  "notifications-added": 7,
  "notification-delayed": 8,
  "alerts-added": 9,
};

/** What the evidence check reads besides the windows: the policies' changes and the rule coverage. */
export interface EvidenceFacts {
  readonly policies: readonly Pick<PolicyDiff, "name" | "status" | "windows">[];
  readonly coverage: Pick<Coverage, "untested">;
}

/** One `no-evidence` reason per policy the change touches that the library does not exercise. */
function evidenceReasons(facts: EvidenceFacts, t: Thresholds): Reason[] {
  const out: Reason[] = [];
  for (const p of facts.policies) {
    if (p.status === "unchanged") continue;
    const untested = facts.coverage.untested.filter((u) => u.policy === p.name).map((u) => `${u.section} ${u.id}`);
    const few = p.windows.length < t.min_windows_per_changed_policy;
    if (!few && untested.length === 0) continue;
    const why = [
      ...(few ? [`replayed in ${p.windows.length} window(s), min_windows_per_changed_policy is ${t.min_windows_per_changed_policy}`] : []),
      ...(untested.length > 0 ? [`no window exercises ${untested.join(", ")} under base or head`] : []),
    ];
    out.push({ code: "no-evidence", window: null, policy: p.name, message: `no evidence for ${p.name}: ${why.join("; ")}`, value: p.windows.length, limit: t.min_windows_per_changed_policy });
  }
  return out;
}

type Push = (code: Reason["code"], message: string, value: number | null, limit: number | null) => void;
type AmTotals = Extract<NonNullable<WindowResult["kind_diff"]>, { kind: "alertmanager" }>["totals"];

/** The Alertmanager thresholds on one window's notification totals (an Alertmanager policy's, or a rule file's chained one). */
function amReasons(d: AmTotals, t: Thresholds, key: string, push: Push, at: string): void {
  const am = t.alertmanager ?? { max_lost_pages: 0 };
  if (d.pages_lost > am.max_lost_pages)
    push(
      "pages-lost",
      `${at}: ${d.pages_lost} page(s) lost — an alert a receiver got under base and never under head — at most ${am.max_lost_pages} allowed (${key}.max_lost_pages)`,
      d.pages_lost,
      am.max_lost_pages,
    );
  const more = d.notifications.head - d.notifications.base;
  if (am.max_added_notifications !== undefined && more > am.max_added_notifications)
    push("notifications-added", `${at}: ${more} more notification(s), at most ${am.max_added_notifications} allowed (${key}.max_added_notifications)`, more, am.max_added_notifications);
  const maxDelay = am.max_added_delay === undefined ? undefined : parseDuration(am.max_added_delay);
  if (maxDelay !== undefined && d.max_added_delay_ms > maxDelay)
    push(
      "notification-delayed",
      `${at}: a first notification comes ${d.max_added_delay_ms / 1000}s later than under base, at most ${am.max_added_delay} allowed (${key}.max_added_delay)`,
      d.max_added_delay_ms,
      maxDelay,
    );
}

/** Every threshold breach, missing evidence and regressions first; `fail` when there is any. */
export function evaluateThresholds(windows: readonly WindowResult[], t: Thresholds, facts: EvidenceFacts): Evaluation {
  const reasons: (Reason & { order: number })[] = [];
  if (windows.length === 0)
    reasons.push({ code: "nothing-replayed", window: null, policy: null, message: "no window was replayed under any policy: a gate without evidence does not pass", value: 0, limit: 1, order: 0 });
  evidenceReasons(facts, t).forEach((r, order) => reasons.push({ ...r, order }));
  windows.forEach((w, order) => {
    const at = `${w.id} (${w.policy})`;
    const push: Push = (code, message, value, limit) => reasons.push({ code, window: w.id, policy: w.policy, message, value, limit, order });
    if (t.expectations === "required") {
      if (w.expectations.regression) push("expectation-regression", `${at}: expectations pass on base and fail on head`, null, null);
      else if (w.expectations.head === "fail") push("expectation-failed", `${at}: expectations fail on head`, null, null);
    }
    if (t.determinism && w.determinism === "differs") push("nondeterministic", `${at}: head replayed twice gave different signatures`, null, null);
    if (w.parity !== null && w.parity < t.min_parity) push("parity-below-min", `${at}: parity ${w.parity} is below ${t.min_parity}`, w.parity, t.min_parity);
    const added = w.matching.added;
    if (added > t.max_added_incidents)
      push("incidents-added", `${at}: ${added} incident(s) added${w.status === "added" ? " (policy new in head)" : ""}, at most ${t.max_added_incidents} allowed`, added, t.max_added_incidents);
    if (w.kind_diff?.kind === "alertmanager") amReasons(w.kind_diff.totals, t, "thresholds.alertmanager", push, at);
    if (w.kind_diff?.kind === "prometheus-rules") {
      const pr = t.prometheus_rules ?? { max_lost_alerts: 0 };
      const d = w.kind_diff.totals;
      if (d.lost > pr.max_lost_alerts)
        push(
          "alerts-lost",
          `${at}: ${d.lost} alert(s) this change stops firing — fired under base, no overlapping episode under head — at most ${pr.max_lost_alerts} allowed (thresholds.prometheus_rules.max_lost_alerts)`,
          d.lost,
          pr.max_lost_alerts,
        );
      if (pr.max_added_alerts !== undefined && d.gained > pr.max_added_alerts)
        push(
          "alerts-added",
          `${at}: ${d.gained} alert(s) this change starts firing, at most ${pr.max_added_alerts} allowed (thresholds.prometheus_rules.max_added_alerts)`,
          d.gained,
          pr.max_added_alerts,
        );
      // Chained into an Alertmanager configuration: who gets paged is gated as for that kind.
      if (w.kind_diff.notifications !== null) amReasons(w.kind_diff.notifications.totals, t, "thresholds.alertmanager", push, `${at} via prometheus_rules.alertmanager`);
    }
    const removed = w.matching.removed;
    if (removed > t.max_removed_incidents)
      push(
        "incidents-removed",
        `${at}: ${removed} incident(s) removed${w.status === "removed" ? " (policy gone from head)" : ""}, at most ${t.max_removed_incidents} allowed`,
        removed,
        t.max_removed_incidents,
      );
  });
  if (t.blast_radius !== undefined) {
    for (const [dim, max] of [
      ["service", t.blast_radius.max_services],
      ["region", t.blast_radius.max_regions],
      ["pop", t.blast_radius.max_pops],
    ] as const) {
      if (max === undefined) continue;
      const changed = new Set(windows.flatMap((w) => w.scope_changed[dim]));
      if (changed.size > max) {
        const list = [...changed].sort(compareStrings).join(", ");
        reasons.push({
          code: "blast-radius",
          window: null,
          policy: null,
          message: `the change alters results in ${changed.size} ${dim}s (${list}), blast_radius.max_${dim}s is ${max}`,
          value: changed.size,
          limit: max,
          order: windows.length,
        });
      }
    }
  }
  reasons.sort((a, b) => ORDER[a.code] - ORDER[b.code] || a.order - b.order);
  return {
    verdict: reasons.length === 0 ? "pass" : "fail",
    thresholds: t,
    reasons: reasons.map(({ order: _order, ...r }) => r),
  };
}
