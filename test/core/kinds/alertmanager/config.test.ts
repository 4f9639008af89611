import { describe, expect, it } from "vitest";
import { InputError } from "../../../../src/core/errors.js";
import { loadAlertmanagerConfig, matchRoutes } from "../../../../src/core/kinds/alertmanager/config.js";
import { matchesAll, parseMatchers } from "../../../../src/core/kinds/alertmanager/matchers.js";
import { parseModelDuration } from "../../../../src/core/kinds/alertmanager/duration.js";
import { loadKindPolicy } from "../../../../src/core/kinds/registry.js";

const BASE = `
route:
  receiver: default
  group_by: [alertname]
  routes:
    - matchers: ['team="db"']
      receiver: db
      group_wait: 10s
      routes:
        - match_re: { severity: crit.* }
          receiver: pager
          continue: true
        - match: { env: prod }
    - matchers: [team=~"net|edge"]
      receiver: net
receivers:
  - name: default
  - name: db
    email_configs: [{ to: db@example.org, smarthost: "mx:25", from: am@example.org }]
  - name: pager
    pagerduty_configs: [{ routing_key: abc }]
  - name: net
    webhook_configs: [{ url: "http://127.0.0.1:9/x", send_resolved: false }]
`;

function problem(text: string): string {
  try {
    loadAlertmanagerConfig(text, "am.yml");
  } catch (e) {
    if (e instanceof InputError) return e.message;
    throw e;
  }
  throw new Error("config was accepted");
}

describe("Alertmanager configuration", () => {
  it("inherits receiver, group_by and timers from the parent route and keeps mute intervals per route", () => {
    const c = loadAlertmanagerConfig(BASE, "am.yml");
    const db = c.route.routes[0]!;
    expect(db.groupBy).toEqual(["alertname"]);
    expect(db.groupWait).toBe(10_000);
    expect(db.groupInterval).toBe(300_000);
    expect(db.routes[1]!.receiver).toBe("db");
    expect(db.routes[1]!.groupWait).toBe(10_000);
    expect(db.key).toBe('{}/{team="db"}');
    expect(c.receivers.get("net")!.integrations).toEqual([{ type: "webhook", index: 0, sendResolved: false }]);
    expect(c.receivers.get("db")!.integrations[0]!.sendResolved).toBe(false);
    expect(c.receivers.get("pager")!.integrations[0]!.sendResolved).toBe(true);
  });

  it("routes with continue and nested routes the way Route.Match does", () => {
    const c = loadAlertmanagerConfig(BASE, "am.yml");
    const ids = (l: Record<string, string>) => matchRoutes(c.route, l, matchesAll).map((r) => r.id);
    expect(ids({ team: "db", severity: "critical", env: "prod" })).toEqual(["root.0.0", "root.0.1"]);
    expect(ids({ team: "db", severity: "warning" })).toEqual(["root.0"]);
    expect(ids({ team: "netx" })).toEqual(["root"]);
    expect(ids({ team: "edge" })).toEqual(["root.1"]);
  });

  it("parses matchers quoted or not, several per string, with escapes", () => {
    const ms = parseMatchers('{a="1", b!~"x,y", c=~ z.* }');
    expect(typeof ms).not.toBe("string");
    expect((ms as { name: string; type: string; value: string }[]).map((m) => [m.name, m.type, m.value])).toEqual([
      ["a", "=", "1"],
      ["b", "!~", "x,y"],
      ["c", "=~", "z.*"],
    ]);
    expect(parseMatchers('a="unterminated')).toMatch(/unescaped double quote/);
    expect(parseMatchers("1a=b")).toMatch(/bad matcher format/);
  });

  it("parses Prometheus durations as model.ParseDuration does", () => {
    expect(parseModelDuration("1h30m")).toBe(5_400_000);
    expect(parseModelDuration("1d")).toBe(86_400_000);
    expect(parseModelDuration("250ms")).toBe(250);
    expect(parseModelDuration("0")).toBe(0);
    expect(typeof parseModelDuration("30")).toBe("string");
    expect(typeof parseModelDuration("5m1h")).toBe("string");
  });

  it.each([
    ["an unknown receiver", "route: {receiver: nope}\nreceivers: [{name: a}]\n", /am.yml:1:\d+: route.receiver: undefined receiver "nope" used in route/],
    ["a regex RE2 rejects", "route:\n  receiver: a\n  routes:\n    - matchers: ['x=~\"(?=y)\"']\nreceivers: [{name: a}]\n", /am.yml:4:\d+: route.routes\[0\].matchers\[0\]: error parsing regexp/],
    ["an unknown key", "route: {receiver: a, group_wiat: 1s}\nreceivers: [{name: a}]\n", /route.group_wiat: field group_wiat not found/],
    ["a missing route", "receivers: [{name: a}]\n", /no routes provided/],
    ["matchers on the root route", "route: {receiver: a, match: {x: y}}\nreceivers: [{name: a}]\n", /root route must not have any matchers/],
    ["a duplicate receiver", "route: {receiver: a}\nreceivers: [{name: a}, {name: a}]\n", /am.yml:2:\d+: receivers\[1\].name: notification config name "a" is not unique/],
    ["a wildcard with other group_by labels", "route: {receiver: a, group_by: ['...', x]}\nreceivers: [{name: a}]\n", /wildcard group_by/],
    ["a zero group_interval", "route: {receiver: a, group_interval: 0s}\nreceivers: [{name: a}]\n", /group_interval cannot be zero/],
    ["a webhook without url", "route: {receiver: a}\nreceivers: [{name: a, webhook_configs: [{}]}]\n", /missing URL in webhook config/],
    ["slack without a global api url", "route: {receiver: a}\nreceivers: [{name: a, slack_configs: [{channel: x}]}]\n", /no global Slack API URL set/],
    ["an undefined time interval", "route:\n  receiver: a\n  routes: [{receiver: a, mute_time_intervals: [x]}]\nreceivers: [{name: a}]\n", /undefined time interval "x" used in route/],
    ["monday:sunday", "route: {receiver: a}\nreceivers: [{name: a}]\ntime_intervals: [{name: t, time_intervals: [{weekdays: ['monday:sunday']}]}]\n", /start day cannot be before end day/],
    ["continue on the root route", "route: {receiver: a, continue: true}\nreceivers: [{name: a}]\n", /cannot have continue in root route/],
  ])("rejects %s with a located error", (_name, text, expected) => {
    expect(problem(text)).toMatch(expected);
  });

  it("accepts YAML anchors and merge keys, bounded, as Alertmanager does", () => {
    const text = "x: &w {url: 'http://h/'}\n".replace(
      "x:",
      "receivers:\n  - name: a\n    webhook_configs:\n      - &w {url: 'http://h/'}\n  - name: b\n    webhook_configs: [*w]\nroute: {receiver: a}\n#",
    );
    const c = loadAlertmanagerConfig(text, "am.yml");
    expect([...c.receivers.keys()]).toEqual(["a", "b"]);
    const bomb = [
      "a: &a [x,x,x,x,x,x,x,x,x,x]",
      "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]",
      "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]",
      "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]",
      "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]",
      "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]",
      "route: {receiver: r}",
    ].join("\n");
    expect(problem(bomb)).toMatch(/expands to more than/);
  });

  it("is recognised by content in the kind registry", () => {
    const loaded = loadKindPolicy(BASE, "deploy/alertmanager.yml");
    expect(loaded.kind.id).toBe("alertmanager");
    expect(loaded.name).toBe("alertmanager");
  });
});
