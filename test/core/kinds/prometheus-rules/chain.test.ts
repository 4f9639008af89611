/**
 * Rules → Alertmanager: alerts sent as Prometheus sends them (resend_delay, endsAt = t + 4 ×
 * max(interval, resend_delay), resolved alerts re-sent for 15 minutes), fed to the Alertmanager
 * simulator, so a metric window yields notifications; the diff shows pages lost and gained when
 * the rule file or the Alertmanager configuration changes, and the gate fails on pages lost.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_THRESHOLDS } from "../../../../src/core/config.js";
import type { NormalizedEvent } from "../../../../src/core/event.js";
import { evaluateThresholds } from "../../../../src/core/gate/thresholds.js";
import { runRules, type SentAlert } from "../../../../src/core/kinds/prometheus-rules/evaluate.js";
import type { CompiledRules, RulesExtras } from "../../../../src/core/kinds/prometheus-rules/index.js";
import type { RulesKindDiff } from "../../../../src/core/kinds/prometheus-rules/diff-schema.js";
import { loadKindPolicy } from "../../../../src/core/kinds/registry.js";
import { withKindSettings, type KindSettings } from "../../../../src/core/kinds/settings.js";
import { Storage } from "../../../../src/core/promql/storage.js";
import type { WindowResult } from "../../../../src/core/report/report-schema.js";

const M = 60_000;
const RULES = (threshold = 0) => `groups:
  - name: edge
    rules:
      - alert: BgpSessionDown
        expr: bgp_session_up == ${threshold}
        labels: { severity: page }
`;
const AM = (pageTo: string) => `route:
  receiver: chat
  group_by: [alertname]
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 4h
  routes:
    - matchers: ['severity="page"']
      receiver: ${pageTo}
receivers:
  - name: chat
    webhook_configs: [{ url: "http://chat.example/hook" }]
  - name: pager
    webhook_configs: [{ url: "http://pager.example/hook" }]
`;
/** The session is down from minute 2 to minute 5 and back up at minute 6. */
const UP = [1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1];

function sends(resendDelayMs: number): SentAlert[] {
  const compiled = loadKindPolicy(RULES(), "rules.yaml").compiled as CompiledRules;
  const storage = new Storage();
  UP.forEach((v, i) => storage.add({ __name__: "bgp_session_up", peer: "a" }, i * M, v));
  const out: SentAlert[] = [];
  runRules(compiled.groups, storage, 0, 30 * M, compiled.options, false, { resendDelayMs, send: (a) => out.push(a) });
  return out;
}

function replay(rules: string, am: string | null, settings: KindSettings = {}) {
  const loaded = withKindSettings(loadKindPolicy(rules, "rules.yaml"), settings, { file: "alertmanager.yml", text: am });
  const run = loaded.kind.start(loaded.compiled, { id: "w", start: 0, end: 30 * M, scope: {} });
  UP.forEach((v, i) => run.push({ ts: i * M, signal: "metric", name: "bgp_session_up", scope: {}, value: v, labels: { __name__: "bgp_session_up", peer: "a" } } satisfies NormalizedEvent, i));
  return { loaded, result: run.finish() };
}

function compare(base: { rules: string; am: string | null }, head: { rules: string; am: string | null }): RulesKindDiff {
  const b = replay(base.rules, base.am),
    h = replay(head.rules, head.am);
  const d = h.loaded.kind.compare!(b.result, h.result);
  if (d.kind !== "prometheus-rules") throw new Error("expected a rules diff");
  return d;
}

describe("alerts sent as Prometheus sends them", () => {
  it("sends a firing alert when it fires, then only when more than resend_delay has passed, with endsAt 4 intervals ahead", () => {
    const firing = sends(M).filter((s) => s.endsAt !== 6 * M || s.at < 6 * M);
    expect(firing.map((s) => [s.at / M, s.startsAt / M, s.endsAt / M])).toEqual([
      [2, 2, 6],
      [4, 2, 8],
    ]);
  });

  it("sends the resolved alert at once, then every other evaluation for 15 minutes, endsAt = resolved time", () => {
    const resolved = sends(M).filter((s) => s.at >= 6 * M);
    expect(resolved.map((s) => s.at / M)).toEqual([6, 8, 10, 12, 14, 16, 18, 20]);
    expect(new Set(resolved.map((s) => s.endsAt))).toEqual(new Set([6 * M]));
  });

  it("with a resend_delay shorter than the interval, sends at every evaluation and keeps endsAt at 4 × the interval", () => {
    const s = sends(30_000);
    expect(s.filter((x) => x.at < 6 * M).map((x) => [x.at / M, x.endsAt / M])).toEqual([
      [2, 6],
      [3, 7],
      [4, 8],
      [5, 9],
    ]);
    expect(s.filter((x) => x.at >= 6 * M).map((x) => x.at / M)).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21]);
  });
});

describe("rules chained into an Alertmanager configuration", () => {
  it("turns a metric window into notifications: the page fires once and resolves once", () => {
    const { result } = replay(RULES(), AM("pager"));
    const chained = (result.extras as RulesExtras).chained!;
    expect(chained.notifications.map((n) => [n.receiver, n.at / 1000, n.firing.length, n.resolved.length])).toEqual([
      ["pager", 150, 1, 0],
      ["pager", 450, 0, 1],
    ]);
    expect((result.extras as RulesExtras).sent_alerts).toBe(10);
  });

  it("shows the pages lost when only the Alertmanager configuration changes, and fails the gate on them", () => {
    const d = compare({ rules: RULES(), am: AM("pager") }, { rules: RULES(), am: AM("chat") });
    expect(d.totals.lost).toBe(0);
    expect(d.notifications!.totals.pages_lost).toBe(1);
    expect(d.notifications!.receivers.find((r) => r.receiver === "pager")!.pages_lost).toEqual([{ alertname: "BgpSessionDown", peer: "a", severity: "page" }]);
    const window = {
      id: "w",
      policy: "rules",
      matching: { added: 0, removed: 0 },
      expectations: { regression: false, head: "n/a" },
      determinism: "equal",
      parity: 1,
      scope_changed: { service: [], region: [], pop: [] },
      kind_diff: d,
    } as unknown as WindowResult;
    const evaluation = evaluateThresholds([window], DEFAULT_THRESHOLDS, { policies: [], coverage: { untested: [] } });
    expect(evaluation.reasons.map((r) => r.code)).toEqual(["pages-lost"]);
    expect(evaluation.reasons[0]!.message).toContain("via prometheus_rules.alertmanager");
  });

  it("shows the alerts and pages lost when only the rule file changes", () => {
    const d = compare({ rules: RULES(), am: AM("pager") }, { rules: RULES(-1), am: AM("pager") });
    expect(d.totals.lost).toBe(1);
    expect(d.notifications!.totals).toMatchObject({ pages_lost: 1, pages_added: 0, notifications: { base: 2, head: 0 } });
  });

  it("counts every page as added when the base side has no Alertmanager configuration", () => {
    const d = compare({ rules: RULES(), am: null }, { rules: RULES(), am: AM("pager") });
    expect(d.notifications!.totals).toMatchObject({ pages_lost: 0, pages_added: 1 });
  });

  it("is parity-equal and identical when neither file changes", () => {
    const a = replay(RULES(), AM("pager")).result,
      b = replay(RULES(), AM("pager")).result;
    expect(a.trace_signature).toBe(b.trace_signature);
    const d = compare({ rules: RULES(), am: AM("pager") }, { rules: RULES(), am: AM("pager") });
    expect(d.notifications!.totals).toMatchObject({ pages_lost: 0, pages_added: 0 });
  });

  it("changes the trace signature when only the Alertmanager configuration changes", () => {
    expect(replay(RULES(), AM("pager")).result.trace_signature).not.toBe(replay(RULES(), AM("chat")).result.trace_signature);
  });
});
