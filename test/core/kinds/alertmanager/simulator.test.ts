import { describe, expect, it } from "vitest";
import { InputError } from "../../../../src/core/errors.js";
import type { NormalizedEvent } from "../../../../src/core/event.js";
import { loadAlertmanagerConfig } from "../../../../src/core/kinds/alertmanager/config.js";
import { alertmanagerKind, simulateAlertmanager, type AlertmanagerCompiled } from "../../../../src/core/kinds/alertmanager/index.js";
import { DEFAULT_OPTIONS, EMULATED_RELEASES, type PostedAlert, type SimulatorOptions } from "../../../../src/core/kinds/alertmanager/simulator.js";
import { containsTime, readTimeInterval, checkZone } from "../../../../src/core/kinds/alertmanager/time-intervals.js";
import { parseTree } from "../../../../src/core/kinds/alertmanager/yaml-tree.js";
import { diffAlertmanager } from "../../../../src/core/kinds/alertmanager/diff.js";

const T0 = Date.parse("2026-11-24T14:00:00Z");
const S = 1000;

function config(routeExtra = "", rest = "") {
  return loadAlertmanagerConfig(
    `route:
  receiver: r
  group_by: [alertname]
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 1h
${routeExtra}receivers:
  - name: r
    webhook_configs: [{ url: 'http://x/' }]
  - name: quiet
    webhook_configs: [{ url: 'http://x/', send_resolved: false }]
${rest}`,
    "am.yml",
  );
}

let ev = 0;
function alert(at: number, labels: Record<string, string>, extra: Partial<PostedAlert> = {}): PostedAlert {
  return { labels, received: T0 + at, event: ev++, ...extra };
}

function times(ns: readonly { at: number }[]): number[] {
  return ns.map((n) => (n.at - T0) / S);
}

function run(alerts: PostedAlert[], endSec: number, cfg = config(), options: SimulatorOptions = DEFAULT_OPTIONS) {
  return simulateAlertmanager(cfg, alerts, T0, T0 + endSec * S, options);
}

describe("the Alertmanager simulator (0.25 semantics)", () => {
  it("flushes a new group after group_wait, then every group_interval, until the window's end even with no later alert", () => {
    const far = { endsAt: T0 + 7200 * S };
    const r = run([alert(0, { alertname: "A", i: "1" }, far), alert(60 * S, { alertname: "A", i: "2" }, far)], 700);
    expect(times(r.notifications)).toEqual([30, 330]);
    expect(r.notifications[1]!.firing.map((a) => a.labels.i)).toEqual(["1", "2"]);
    expect(r.notifications[0]!.firing.map((a) => a.labels.i)).toEqual(["1"]);
  });

  it("flushes at once when startsAt + group_wait has passed, and (0.25) also for an old alert joining before the first flush", () => {
    const old = { startsAt: T0 - 600 * S };
    const alerts = () => [alert(0, { alertname: "A", i: "1" }), alert(10 * S, { alertname: "A", i: "2" }, old)];
    expect(times(run(alerts(), 100).notifications)).toEqual([10]);
    expect(times(run(alerts(), 100, config(), { ...DEFAULT_OPTIONS, immediate_flush: "at-creation" }).notifications)).toEqual([30]);
  });

  it("resolves an alert without endsAt at received + resolve_timeout and notifies the resolution", () => {
    const r = run([alert(0, { alertname: "A" })], 700);
    expect(times(r.notifications)).toEqual([30, 330]);
    expect(r.notifications[1]!.firing).toEqual([]);
    expect(r.notifications[1]!.resolved.map((a) => a.ends_at! - T0)).toEqual([300 * S]);
  });

  it("keeps the earliest startsAt when an alert is re-sent", () => {
    const r = run([alert(0, { alertname: "A" }, { startsAt: T0 - 5 * S }), alert(20 * S, { alertname: "A" }, { startsAt: T0 + 10 * S })], 100);
    expect(r.notifications[0]!.firing[0]!.starts_at).toBe(T0 - 5 * S);
  });

  it("does not send a resolved-only flush to an integration with send_resolved false", () => {
    const cfg = config("  routes: [{ matchers: [x=q], receiver: quiet }]\n");
    const r = run([alert(0, { alertname: "A", x: "q" }, { endsAt: T0 + 100 * S })], 700, cfg);
    expect(times(r.notifications)).toEqual([30]);
  });

  it("repeats an unchanged group once repeat_interval has passed, checked at ticks", () => {
    const r = run([alert(0, { alertname: "A" }, { endsAt: T0 + 7200 * S })], 5000);
    expect(times(r.notifications)).toEqual([30, 3930]);
  });

  it("inhibits at flush time with equal labels, a missing label equal to the empty one, and releases when the source resolves", () => {
    const cfg = config("", "inhibit_rules:\n  - source_matchers: [severity=critical]\n    target_matchers: [severity=warning]\n    equal: [cluster]\n");
    const r = run(
      [
        alert(0, { alertname: "Src", severity: "critical" }, { endsAt: T0 + 200 * S }),
        alert(1 * S, { alertname: "Tgt", severity: "warning" }, { endsAt: T0 + 7200 * S }),
        alert(1 * S, { alertname: "Other", severity: "warning", cluster: "c2" }),
      ],
      400,
      cfg,
    );
    const fate = (name: string) => r.fates.find((f) => f.labels.alertname === name)!;
    expect(fate("Tgt").inhibited).toEqual({ rule: 0, source: { alertname: "Src", severity: "critical" } });
    expect(fate("Other").inhibited).toBeNull();
    expect(fate("Tgt").first_notified.r).toBe(T0 + 331 * S);
  });

  it("checks every live source (0.25) or only the latest-ending one per equal set (0.30+, a knob)", () => {
    const cfg = config("", "inhibit_rules:\n  - source_matchers: [kind=src]\n    target_matchers: [t=yes]\n");
    const alerts = () => [
      alert(0, { alertname: "S1", kind: "src" }, { endsAt: T0 + 500 * S }),
      alert(0, { alertname: "S2", kind: "src", t: "yes" }, { endsAt: T0 + 2000 * S }),
      alert(0, { alertname: "X", kind: "src", t: "yes" }, { endsAt: T0 + 1000 * S }),
    ];
    const inhibitedX = (o: SimulatorOptions) => run(alerts(), 100, cfg, o).fates.find((f) => f.labels.alertname === "X")!.inhibited;
    expect(inhibitedX(DEFAULT_OPTIONS)).toEqual({ rule: 0, source: { alertname: "S1", kind: "src" } });
    expect(inhibitedX(EMULATED_RELEASES["0.30"])).toBeNull();
  });

  it("mutes the whole flush inside a mute time interval and records which", () => {
    const cfg = config("  routes: [{ matchers: [x=m], receiver: r, mute_time_intervals: [tuesday] }]\n", "time_intervals: [{ name: tuesday, time_intervals: [{ weekdays: [tuesday] }] }]\n");
    const r = run([alert(0, { alertname: "A", x: "m" })], 100, cfg);
    expect(r.notifications).toEqual([]);
    expect(r.fates[0]!.muted).toEqual(["mute:tuesday"]);
  });

  it("keeps an emptied group's tick phase until the 30 s cleanup (0.25), or starts over (after-flush)", () => {
    const cfg = loadAlertmanagerConfig("route: {receiver: r, group_by: [a], group_wait: 2s, group_interval: 10s}\nreceivers: [{name: r}]\n", "am.yml");
    const alerts = () => [alert(0, { a: "1" }, { endsAt: T0 + 1 * S }), alert(5 * S, { a: "1", b: "2" })];
    const ticks = (o: SimulatorOptions) => {
      const rr = simulateAlertmanager(cfg, alerts(), T0, T0 + 60 * S, o);
      return rr.episodes.map((e) => [(e.start - T0) / S, (e.end - T0) / S]);
    };
    expect(ticks(DEFAULT_OPTIONS)).toEqual([
      [0, 2],
      [5, 60],
    ]);
    expect(ticks({ ...DEFAULT_OPTIONS, empty_groups: "after-flush" })).toEqual([
      [0, 2],
      [5, 60],
    ]);
    const withReceiver = loadAlertmanagerConfig("route: {receiver: r, group_by: [a], group_wait: 2s, group_interval: 10s}\nreceivers: [{name: r, webhook_configs: [{url: 'http://x/'}]}]\n", "am.yml");
    const at = (o: SimulatorOptions) => times(simulateAlertmanager(withReceiver, alerts(), T0, T0 + 30 * S, o).notifications);
    expect(at(DEFAULT_OPTIONS)).toEqual([12]);
    expect(at({ ...DEFAULT_OPTIONS, empty_groups: "after-flush" })).toEqual([7]);
  });

  it("gives byte-identical results whatever the order of label keys", () => {
    const a = run([alert(0, { alertname: "A", b: "1", c: "2" }), alert(1, { alertname: "A", c: "3", b: "1" })], 400);
    const b = run([alert(0, { c: "2", b: "1", alertname: "A" }), alert(1, { b: "1", alertname: "A", c: "3" })], 400);
    expect(JSON.stringify(b.notifications)).toBe(JSON.stringify(a.notifications));
  });
});

describe("the Alertmanager kind", () => {
  const text = "route: {receiver: r, group_by: [alertname], group_wait: 10s}\nreceivers: [{name: r, webhook_configs: [{url: 'http://x/'}]}]\n";
  const compiled = alertmanagerKind.compile({ file: "am.yml", value: {}, locate: () => undefined }, text).compiled as AlertmanagerCompiled;
  const frame = { id: "w", start: T0, end: T0 + 600 * S, scope: {} };
  const event = (ts: number, labels?: Record<string, string>): NormalizedEvent => ({ ts, signal: "alert", name: "A", scope: { pop: "P1" }, ...(labels ? { labels } : {}) });

  it("turns aggregation-group episodes into incidents with event ids and scope", () => {
    const run = alertmanagerKind.start(compiled, frame);
    run.push(event(T0, { alertname: "A", i: "1" }), 0);
    run.push({ ts: T0 + 1, signal: "metric", name: "m", scope: {} }, 1);
    run.push(event(T0 + 2 * S, { alertname: "A", i: "2" }), 2);
    const r = run.finish();
    expect(r.counts).toEqual({ events: 3, alerts: 2, groups: 1, incidents: 1 });
    expect(r.incidents[0]).toMatchObject({ events: [0, 2], alerts: 2, scope: { pop: ["P1"] }, rules: ["root"] });
    expect(r.extras.ignored_events).toBe(1);
  });

  it("refuses an alert without labels and alerts out of received order", () => {
    expect(() => alertmanagerKind.start(compiled, frame).push(event(T0), 4)).toThrow(InputError);
    const run = alertmanagerKind.start(compiled, frame);
    run.push(event(T0 + 5, { a: "1" }), 0);
    expect(() => run.push(event(T0, { a: "1" }), 1)).toThrow(/received order/);
  });
});

describe("time intervals", () => {
  const ti = (yaml: string) => readTimeInterval(parseTree(yaml, "t.yml"), [], checkZone);

  it("evaluates negative days of the month, weekdays and times in the interval's location", () => {
    const lastDays = ti("days_of_month: ['-2:-1']");
    expect(containsTime(lastDays, Date.parse("2026-11-29T12:00:00Z"))).toBe(true);
    expect(containsTime(lastDays, Date.parse("2026-11-28T12:00:00Z"))).toBe(false);
    const berlinEvening = ti("times: [{start_time: '18:00', end_time: '24:00'}]\nweekdays: [monday]\nlocation: Europe/Berlin");
    expect(containsTime(berlinEvening, Date.parse("2026-11-30T17:30:00Z"))).toBe(true);
    expect(containsTime(berlinEvening, Date.parse("2026-11-30T16:30:00Z"))).toBe(false);
  });

  it("counts a 31-day month that loses an hour to daylight saving as 30 days, as 0.25 does", () => {
    const lastDay = ti("days_of_month: ['-1']\nlocation: Europe/Berlin");
    expect(containsTime(lastDay, Date.parse("2026-03-30T12:00:00Z"))).toBe(true);
    expect(containsTime(lastDay, Date.parse("2026-03-31T12:00:00Z"))).toBe(false);
  });

  it("refuses the machine-dependent Local zone and unknown zones", () => {
    expect(checkZone("Local")).toMatch(/depends on the machine/);
    expect(checkZone("Mars/Olympus")).toMatch(/unknown time zone/);
    expect(checkZone("europe/berlin")).toMatch(/unknown time zone/);
  });
});

describe("the Alertmanager diff", () => {
  it("reports lost pages per receiver and in the totals the gate holds against max_lost_pages", () => {
    const base = config("  routes: [{ matchers: [team=db], receiver: quiet }]\n");
    const head = config("  routes: [{ matchers: [team=dba], receiver: quiet }]\n");
    const alerts = () => [alert(0, { alertname: "A", team: "db" })];
    const d = diffAlertmanager(run(alerts(), 100, base), run(alerts(), 100, head));
    expect(d.receivers.map((r) => [r.receiver, r.pages_lost.length, r.pages_added.length])).toEqual([
      ["quiet", 1, 0],
      ["r", 0, 1],
    ]);
    expect(d.changed_alerts[0]!.base.routes).toEqual(["root.0"]);
    expect([d.totals.pages_lost, d.totals.pages_added]).toEqual([1, 1]);
  });
});
