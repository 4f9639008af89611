/**
 * Differential scenarios: an Alertmanager configuration (webhook receivers on a loopback
 * base URL) and alerts POSTed at offsets from the start. Times are chosen clear of flush
 * ticks: POSTs and endsAt fall on half seconds; group_wait is 1.5 s and group_interval whole
 * seconds, so ticks fall on whole seconds (except immediate flushes, placed by hand).
 */
import { prng } from "../../../../scripts/prng.mjs";

export interface ScenarioAlert {
  readonly labels: Record<string, string>;
  /** Seconds from the start (negative = before it). */
  readonly startsAt?: number;
  readonly endsAt?: number;
}
export interface Scenario {
  readonly name: string;
  readonly config: (hook: string) => string;
  readonly posts: readonly { readonly at: number; readonly alerts: readonly ScenarioAlert[] }[];
  /** Seconds; under 25 so that Alertmanager 0.25's 30 s empty-group cleanup never runs. */
  readonly duration: number;
}

const hooks = (hook: string, names: readonly string[], noResolved: readonly string[] = []) =>
  names.map((n) => `  - name: ${n}\n    webhook_configs:\n      - url: '${hook}/${n}'\n        send_resolved: ${noResolved.includes(n) ? "false" : "true"}\n`).join("");

const TIMERS = "group_wait: 1500ms\n  group_interval: 2s\n  repeat_interval: 5s";

export const HAND_WRITTEN: readonly Scenario[] = [
  {
    name: "routing: continue, nested routes, regex anchoring, group_by ['...']",
    duration: 12.5,
    config: (hook) => `route:
  receiver: default
  group_by: [alertname]
  ${TIMERS}
  routes:
    - matchers: ['team=~"db"']
      receiver: db
      continue: true
      routes:
        - matchers: [severity="critical"]
          receiver: db-pager
    - matchers: [severity=~"crit.*"]
      receiver: pager
      group_by: ['...']
    - match_re: { service: "api|web" }
      receiver: web
receivers:
${hooks(hook, ["default", "db", "db-pager", "pager", "web"])}`,
    posts: [
      { at: 0.5, alerts: [{ labels: { alertname: "DiskFull", team: "db", severity: "critical", instance: "db1" } }, { labels: { alertname: "DiskFull", team: "dbx", severity: "warning" } }] },
      { at: 2.5, alerts: [{ labels: { alertname: "Latency", service: "api", severity: "critical" } }, { labels: { alertname: "Latency", service: "apiserver" } }] },
      { at: 4.5, alerts: [{ labels: { alertname: "DiskFull", team: "db", severity: "warning", instance: "db2" } }] },
      { at: 6.5, alerts: [{ labels: { alertname: "Latency", service: "web", severity: "critical", instance: "w1" } }] },
    ],
  },
  {
    name: "inhibition with equal, a missing label equal to the empty one, a resolving source",
    duration: 14.5,
    config: (hook) => `route:
  receiver: default
  group_by: [alertname, cluster]
  ${TIMERS}
receivers:
${hooks(hook, ["default"])}
inhibit_rules:
  - source_matchers: [severity=critical]
    target_matchers: [severity=warning]
    equal: [cluster]
`,
    posts: [
      { at: 0.5, alerts: [{ labels: { alertname: "NodeDown", severity: "critical", cluster: "c1" }, endsAt: 7.5 }, { labels: { alertname: "NodeDown", severity: "critical" } }] },
      {
        at: 1.5,
        alerts: [
          { labels: { alertname: "Slow", severity: "warning", cluster: "c1" } },
          { labels: { alertname: "Slow", severity: "warning", cluster: "c2" } },
          { labels: { alertname: "Slow", severity: "warning" } },
        ],
      },
      { at: 5.5, alerts: [{ labels: { alertname: "Slow", severity: "warning", cluster: "c1" } }] },
    ],
  },
  {
    name: "send_resolved false, repeat_interval, explicit endsAt",
    duration: 16.5,
    config: (hook) => `route:
  receiver: quiet
  group_by: [alertname]
  ${TIMERS}
  routes:
    - matchers: [team=b]
      receiver: loud
receivers:
${hooks(hook, ["quiet", "loud"], ["quiet"])}`,
    posts: [
      {
        at: 0.5,
        alerts: [
          { labels: { alertname: "A", team: "a" }, endsAt: 20 },
          { labels: { alertname: "B", team: "b" }, endsAt: 20 },
        ],
      },
      {
        at: 2.5,
        alerts: [
          { labels: { alertname: "A", team: "a", x: "2" }, endsAt: 5.5 },
          { labels: { alertname: "B", team: "b", x: "2" }, endsAt: 5.5 },
        ],
      },
    ],
  },
  {
    name: "resolve_timeout and re-sends (earliest startsAt kept)",
    duration: 16.5,
    config: (hook) => `global:
  resolve_timeout: 4s
route:
  receiver: default
  group_by: [alertname]
  ${TIMERS}
receivers:
${hooks(hook, ["default"])}`,
    posts: [
      { at: 0.5, alerts: [{ labels: { alertname: "Flap", instance: "a" } }, { labels: { alertname: "Flap", instance: "b" } }] },
      { at: 3.5, alerts: [{ labels: { alertname: "Flap", instance: "a" } }] },
      { at: 6.5, alerts: [{ labels: { alertname: "Flap", instance: "a" } }] },
    ],
  },
  {
    name: "an old startsAt flushes at once (0.25: on every insert before the first flush)",
    duration: 10.5,
    config: (hook) => `route:
  receiver: default
  group_by: [alertname]
  group_wait: 3s
  group_interval: 4s
  repeat_interval: 1h
receivers:
${hooks(hook, ["default"])}`,
    posts: [
      { at: 0.5, alerts: [{ labels: { alertname: "Old", instance: "a" } }] },
      { at: 1.5, alerts: [{ labels: { alertname: "Old", instance: "b" }, startsAt: -120 }] },
      { at: 3.5, alerts: [{ labels: { alertname: "Fresh", instance: "c" }, startsAt: -120 }] },
    ],
  },
];

/** Time intervals depend on the wall clock: built around the current year so they are stable. */
export function timeIntervalScenario(year: number): Scenario {
  return {
    name: "mute and active time intervals (years, weekdays)",
    duration: 8.5,
    config: (hook) => `route:
  receiver: default
  group_by: [alertname]
  ${TIMERS}
  routes:
    - matchers: [route=muted]
      receiver: muted
      mute_time_intervals: [this-year]
    - matchers: [route=inactive]
      receiver: inactive
      active_time_intervals: [long-ago]
    - matchers: [route=open]
      receiver: open
      mute_time_intervals: [long-ago]
      active_time_intervals: [every-day]
receivers:
${hooks(hook, ["default", "muted", "inactive", "open"])}
time_intervals:
  - name: this-year
    time_intervals: [{ years: ['${year}'] }]
  - name: long-ago
    time_intervals: [{ years: ['2001:2002'], months: ['january:december'] }]
  - name: every-day
    time_intervals: [{ weekdays: ['sunday:saturday'], days_of_month: ['1:31'], times: [{ start_time: '00:00', end_time: '24:00' }] }]
`,
    posts: [{ at: 0.5, alerts: ["muted", "inactive", "open"].map((r) => ({ labels: { alertname: "T", route: r } })) }],
  };
}

/** The project's seeded generator (mulberry32): the same seed, the same scenario. */
const rng = prng;

const RANDOM_CONFIG = (hook: string) => `global:
  resolve_timeout: 6s
route:
  receiver: default
  group_by: [alertname]
  ${TIMERS}
  routes:
    - matchers: [team=db]
      receiver: db
      group_by: [alertname, cluster]
      continue: true
    - matchers: ['severity=~"crit|page"']
      receiver: pager
      group_by: ['...']
      repeat_interval: 3s
    - matchers: [team=net]
      receiver: net
      routes:
        - matchers: ['instance=~"i[12]"']
          receiver: net-edge
          group_interval: 3s
receivers:
${hooks(hook, ["default", "db", "pager", "net", "net-edge"], ["db", "net-edge"])}
inhibit_rules:
  - source_matchers: [severity=crit]
    target_matchers: [severity=warn]
    equal: [cluster]
`;

/** A randomized scenario: posts on half seconds, re-sends, explicit and implicit ends. */
export function randomScenario(seed: number): Scenario {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const posts: { at: number; alerts: ScenarioAlert[] }[] = [];
  const known: Record<string, string>[] = [];
  for (let k = 0; k < 18; k++) {
    if (r() < 0.45) continue;
    const at = k + 0.5;
    const alerts: ScenarioAlert[] = [];
    const n = 1 + Math.floor(r() * 3);
    for (let i = 0; i < n; i++) {
      let labels: Record<string, string>;
      if (known.length > 0 && r() < 0.3) labels = pick(known);
      else {
        labels = { alertname: pick(["Down", "Slow", "Errors"]), team: pick(["db", "net", "web"]), severity: pick(["crit", "warn", "page", "info"]), instance: pick(["i1", "i2", "i3"]) };
        if (r() < 0.7) labels.cluster = pick(["c1", "c2"]);
        known.push(labels);
      }
      const endsAt = r() < 0.3 ? at + 1 + Math.floor(r() * 6) : undefined;
      alerts.push(endsAt === undefined ? { labels } : { labels, endsAt });
    }
    posts.push({ at, alerts });
  }
  return { name: `randomized, seed ${seed}`, duration: 22.5, config: RANDOM_CONFIG, posts };
}
