/**
 * Configurations for the amtool oracles, written from the shapes in Alertmanager's own
 * documentation and tests (not copied): what 0.25 accepts, and one of each thing it rejects.
 */

export const ROUTING_CONFIG = `global:
  resolve_timeout: 5m
route:
  receiver: default
  group_by: [alertname]
  routes:
    - matchers: ['team=~"db"']
      receiver: db
      continue: true
      routes:
        - matchers: [severity="critical"]
          receiver: db-pager
        - match: { instance: db1 }
          receiver: db-host
    - match_re: { severity: "crit.*|page" }
      receiver: pager
      group_by: ['...']
      continue: true
    - matchers: ['service=~"api|web"', 'severity!="warning"']
      receiver: web
    - matchers: ['team="net"', 'instance!~"i[3-9]"']
      receiver: net
receivers:
  - name: default
  - name: db
  - name: db-pager
  - name: db-host
  - name: pager
  - name: web
  - name: net
`;

const R = "receivers: [{name: a}]\n";
const ROOT = "route: {receiver: a}\n";

export interface CorpusEntry {
  readonly name: string;
  readonly valid: boolean;
  readonly text: string;
}

export const CHECK_CONFIG_CORPUS: readonly CorpusEntry[] = [
  { name: "minimal", valid: true, text: ROOT + R },
  { name: "routing example", valid: true, text: ROUTING_CONFIG },
  {
    name: "docs-like team routing with every integration",
    valid: true,
    text: `global:
  smtp_smarthost: 'localhost:25'
  smtp_from: 'alertmanager@example.org'
  slack_api_url: 'https://hooks.slack.com/services/x'
  opsgenie_api_key: k
  victorops_api_key: k
  wechat_api_secret: s
  wechat_api_corp_id: c
route:
  receiver: team-X-mails
  group_by: ['alertname', 'cluster', 'service']
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 3h
  routes:
    - matchers: [service=~"foo1|foo2|baz"]
      receiver: team-X-mails
      routes:
        - matchers: [severity="critical"]
          receiver: team-X-pager
    - matchers: [service="files"]
      receiver: team-Y-mails
      routes:
        - matchers: [severity="critical"]
          receiver: team-Y-pager
    - matchers: [service="database"]
      receiver: team-DB-pager
      group_by: [alertname, cluster, database]
      routes:
        - matchers: [owner="team-X"]
          receiver: team-X-pager
          continue: true
inhibit_rules:
  - source_matchers: [severity="critical"]
    target_matchers: [severity="warning"]
    equal: [alertname, cluster, service]
receivers:
  - name: team-X-mails
    email_configs: [{ to: 'team-X+alerts@example.org' }]
  - name: team-X-pager
    pagerduty_configs: [{ service_key: k }]
  - name: team-Y-mails
    slack_configs: [{ channel: '#y' }]
    opsgenie_configs: [{ responders: [{ name: ops, type: team }] }]
  - name: team-Y-pager
    victorops_configs: [{ routing_key: r }]
    wechat_configs: [{ message_type: markdown }]
  - name: team-DB-pager
    pushover_configs: [{ user_key: u, token: t }]
    telegram_configs: [{ bot_token: b, chat_id: 42 }]
    sns_configs: [{ topic_arn: 'arn:aws:sns:x', sigv4: { region: us-east-1 } }]
    discord_configs: [{ webhook_url: 'https://discord.example/x' }]
    webex_configs: [{ room_id: r, http_config: { authorization: { credentials: c } } }]
`,
  },
  {
    name: "time intervals with location and negative days",
    valid: true,
    text: `${ROOT.replace("}", ", routes: [{receiver: a, matchers: [x=y], mute_time_intervals: [offhours], active_time_intervals: [business]}]}")}${R}time_intervals:
  - name: offhours
    time_intervals:
      - times: [{ start_time: '18:00', end_time: '24:00' }]
        weekdays: ['monday:friday']
        location: Europe/Berlin
      - weekdays: [saturday, sunday]
      - days_of_month: ['-3:-1', '1']
        months: ['january:march', '12']
        years: ['2020:2030']
mute_time_intervals:
  - name: business
    time_intervals: [{ times: [{ start_time: '09:00', end_time: '17:00' }] }]
`,
  },
  {
    name: "yaml anchors and merge keys",
    valid: true,
    text:
      "route:\n  receiver: a\n  group_wait: &gw 10s\n  routes:\n    - &base {receiver: a, group_interval: 1m, matchers: [x=y]}\n    - <<: *base\n      group_wait: *gw\n      matchers: [x=z]\n" + R,
  },
  { name: "anchors under an unknown top-level key", valid: false, text: "x-defaults: &d\n  group_wait: 10s\nroute:\n  receiver: a\n  routes:\n    - <<: *d\n      receiver: a\n" + R },
  { name: "yes as a bool", valid: true, text: "route:\n  receiver: a\n  routes: [{receiver: a, continue: yes}]\n" + R },
  { name: "empty group_by inherits", valid: true, text: "route: {receiver: a, group_by: [x], routes: [{group_by: []}]}\n" + R },
  { name: "durations in days and weeks", valid: true, text: "route: {receiver: a, group_wait: 1d, group_interval: 1w, repeat_interval: 1y}\n" + R },
  { name: "legacy match_re anchored", valid: true, text: "route:\n  receiver: a\n  routes: [{receiver: a, match_re: {x: 'a|b'}}]\n" + R },
  { name: "inhibit rule legacy form", valid: true, text: ROOT + R + "inhibit_rules: [{source_match: {severity: critical}, target_match_re: {severity: 'warn.*'}, equal: [cluster]}]\n" },
  { name: "no route", valid: false, text: R },
  { name: "empty file", valid: false, text: "" },
  { name: "root without receiver", valid: false, text: "route: {group_by: [x]}\n" + R },
  { name: "root with matchers", valid: false, text: "route: {receiver: a, matchers: [x=y]}\n" + R },
  { name: "root with mute intervals", valid: false, text: "route: {receiver: a, mute_time_intervals: [t]}\n" + R + "time_intervals: [{name: t, time_intervals: [{years: ['2020']}]}]\n" },
  { name: "root with continue", valid: false, text: "route: {receiver: a, continue: true}\n" + R },
  { name: "unknown receiver", valid: false, text: "route: {receiver: b}\n" + R },
  { name: "unknown receiver in a child", valid: false, text: "route: {receiver: a, routes: [{receiver: b}]}\n" + R },
  { name: "duplicate receiver", valid: false, text: ROOT + "receivers: [{name: a}, {name: a}]\n" },
  { name: "receiver without name", valid: false, text: ROOT + "receivers: [{name: a}, {webhook_configs: [{url: 'http://x/'}]}]\n" },
  { name: "unknown top-level key", valid: false, text: ROOT + R + "silences: []\n" },
  { name: "unknown route key", valid: false, text: "route: {receiver: a, group_wiat: 1s}\n" + R },
  { name: "unknown webhook key", valid: false, text: ROOT + "receivers: [{name: a, webhook_configs: [{url: 'http://x/', sendresolved: true}]}]\n" },
  { name: "bad duration", valid: false, text: "route: {receiver: a, group_wait: 30}\n" + R },
  { name: "zero group_interval", valid: false, text: "route: {receiver: a, group_interval: 0s}\n" + R },
  { name: "zero repeat_interval", valid: false, text: "route: {receiver: a, repeat_interval: 0}\n" + R },
  { name: "wildcard and labels", valid: false, text: "route: {receiver: a, group_by: ['...', x]}\n" + R },
  { name: "duplicate group_by", valid: false, text: "route: {receiver: a, group_by: [x, x]}\n" + R },
  { name: "invalid group_by label", valid: false, text: "route: {receiver: a, group_by: ['a-b']}\n" + R },
  { name: "bad matcher", valid: false, text: "route: {receiver: a, routes: [{matchers: ['x']}]}\n" + R },
  { name: "regex RE2 rejects", valid: false, text: "route: {receiver: a, routes: [{matchers: ['x=~\"(?=y)\"']}]}\n" + R },
  { name: "legacy regex RE2 rejects", valid: false, text: "route: {receiver: a, routes: [{match_re: {x: 'a(b'}}]}\n" + R },
  { name: "invalid label name in match", valid: false, text: "route: {receiver: a, routes: [{match: {'a-b': c}}]}\n" + R },
  { name: "webhook without url", valid: false, text: ROOT + "receivers: [{name: a, webhook_configs: [{send_resolved: true}]}]\n" },
  { name: "webhook with ftp url", valid: false, text: ROOT + "receivers: [{name: a, webhook_configs: [{url: 'ftp://x/'}]}]\n" },
  { name: "email without smarthost", valid: false, text: ROOT + "receivers: [{name: a, email_configs: [{to: x@example.org, from: y@example.org}]}]\n" },
  { name: "slack without url", valid: false, text: ROOT + "receivers: [{name: a, slack_configs: [{channel: x}]}]\n" },
  { name: "pagerduty without key", valid: false, text: ROOT + "receivers: [{name: a, pagerduty_configs: [{severity: x}]}]\n" },
  { name: "opsgenie without key", valid: false, text: ROOT + "receivers: [{name: a, opsgenie_configs: [{message: x}]}]\n" },
  { name: "telegram without chat", valid: false, text: ROOT + "receivers: [{name: a, telegram_configs: [{bot_token: x}]}]\n" },
  { name: "undefined time interval", valid: false, text: "route: {receiver: a, routes: [{mute_time_intervals: [t]}]}\n" + R },
  { name: "duplicate time interval", valid: false, text: ROOT + R + "time_intervals: [{name: t}, {name: t}]\n" },
  { name: "time interval and mute interval share a name", valid: false, text: ROOT + R + "time_intervals: [{name: t}]\nmute_time_intervals: [{name: t}]\n" },
  { name: "monday:sunday", valid: false, text: ROOT + R + "time_intervals: [{name: t, time_intervals: [{weekdays: ['monday:sunday']}]}]\n" },
  { name: "bad time of day", valid: false, text: ROOT + R + "time_intervals: [{name: t, time_intervals: [{times: [{start_time: '9:00', end_time: '17:00'}]}]}]\n" },
  { name: "start after end", valid: false, text: ROOT + R + "time_intervals: [{name: t, time_intervals: [{times: [{start_time: '17:00', end_time: '09:00'}]}]}]\n" },
  { name: "day of month zero", valid: false, text: ROOT + R + "time_intervals: [{name: t, time_intervals: [{days_of_month: ['0']}]}]\n" },
  { name: "unknown location", valid: false, text: ROOT + R + "time_intervals: [{name: t, time_intervals: [{location: Mars/Olympus}]}]\n" },
  { name: "duplicate key", valid: false, text: "route: {receiver: a}\nroute: {receiver: a}\n" + R },
  { name: "inhibit with bad equal label", valid: false, text: ROOT + R + "inhibit_rules: [{source_matchers: [a=b], equal: ['x-y']}]\n" },
];
