/**
 * Alertmanager simulator benchmark: a stream of POSTed alerts as Prometheus sends them (each
 * firing alert re-sent every minute with endsAt = now + 4m; alerts come and go), through a
 * configuration with a 50-route tree, two inhibition rules and a mute interval. Prints one JSON
 * line: alerts, wall seconds, alerts/s, peak RSS. Generated on the fly (seeded): memory is
 * the simulator's, bounded by open groups and live alerts, not by the stream's length.
 */
import { loadAlertmanagerConfig } from "../src/core/kinds/alertmanager/config.js";
import { AlertmanagerSimulator, DEFAULT_OPTIONS } from "../src/core/kinds/alertmanager/simulator.js";
import { prng } from "../scripts/prng.mjs";

const total = Number(process.argv[process.argv.indexOf("--alerts") + 1] || 1_000_000);

function config(): string {
  const teams = Array.from({ length: 10 }, (_, i) => `team${i}`);
  const routes: string[] = [];
  for (const t of teams) {
    routes.push(`    - matchers: [team="${t}"]\n      receiver: ${t}\n      group_by: [alertname, cluster]\n      routes:`);
    routes.push(`        - matchers: [severity="critical"]\n          receiver: ${t}-pager\n          group_by: [alertname, instance]\n          continue: true`);
    routes.push(`        - matchers: ['service=~"svc[0-4]"']\n          receiver: ${t}\n          mute_time_intervals: [maintenance]`);
    routes.push(`        - matchers: ['service=~"svc[5-9]"', 'env!="dev"']\n          receiver: ${t}\n          group_by: ['...']`);
    routes.push(`        - match_re: { alertname: "Disk.*|Mem.*" }\n          receiver: ${t}`);
  }
  const receivers = teams.flatMap((t) => [`  - name: ${t}\n    webhook_configs: [{ url: 'http://x/' }]`, `  - name: ${t}-pager\n    pagerduty_configs: [{ routing_key: k }]`]);
  return `route:
  receiver: default
  group_by: [alertname]
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 4h
  routes:
${routes.join("\n")}
receivers:
  - name: default
${receivers.join("\n")}
inhibit_rules:
  - source_matchers: [severity=critical]
    target_matchers: [severity=warning]
    equal: [cluster, alertname]
  - source_matchers: [alertname=ClusterDown]
    target_matchers: ['alertname!=ClusterDown']
    equal: [cluster]
time_intervals:
  - name: maintenance
    time_intervals: [{ weekdays: [sunday], times: [{ start_time: '02:00', end_time: '04:00' }] }]
`;
}

const cfg = loadAlertmanagerConfig(config(), "bench.yml");
let routeCount = 0;
const walk = (r: typeof cfg.route): void => {
  routeCount++;
  r.routes.forEach(walk);
};
walk(cfg.route);

const rand = prng(13);
const start = Date.parse("2026-11-24T00:00:00Z");
const sim = new AlertmanagerSimulator(cfg, start, DEFAULT_OPTIONS);
interface Live {
  labels: Record<string, string>;
  startsAt: number;
  until: number;
}
const live: Live[] = [];
let sent = 0;
let t = start;
const names = ["HighLatency", "DiskFull", "MemPressure", "Errors5xx", "ClusterDown", "PodCrashLoop"];
const sevs = ["critical", "warning", "warning", "info"];
const t0 = process.hrtime.bigint();
while (sent < total) {
  // One evaluation minute: new alerts start, finished ones resolve, every live alert is re-sent.
  for (let k = 0; k < 40; k++) {
    const labels = {
      alertname: names[Math.floor(rand() * names.length)]!,
      team: `team${Math.floor(rand() * 10)}`,
      severity: sevs[Math.floor(rand() * sevs.length)]!,
      cluster: `c${Math.floor(rand() * 20)}`,
      instance: `i${Math.floor(rand() * 500)}`,
      service: `svc${Math.floor(rand() * 10)}`,
      env: rand() < 0.2 ? "dev" : "prod",
    };
    live.push({ labels, startsAt: t, until: t + Math.floor(rand() * 60) * 60_000 });
  }
  for (let i = live.length - 1; i >= 0 && sent < total; i--) {
    const a = live[i]!;
    const resolved = t >= a.until;
    sim.receive({ labels: a.labels, startsAt: a.startsAt, endsAt: resolved ? a.until : t + 240_000, received: t + (i % 50), event: sent++ });
    if (resolved && t >= a.until + 15 * 60_000) live.splice(i, 1);
  }
  t += 60_000;
}
const r = sim.finish(t);
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
process.stdout.write(
  `${JSON.stringify({
    alerts: sent,
    routes: routeCount,
    virtual_hours: Math.round((t - start) / 3_600_000),
    notifications: r.notifications.length,
    groups_created: r.groups_created,
    wall_seconds: Math.round(seconds * 100) / 100,
    alerts_per_second: Math.round(sent / seconds),
    peak_rss_bytes: process.resourceUsage().maxRSS * 1024,
  })}\n`,
);
