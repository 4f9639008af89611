/**
 * The replay report of an Alertmanager policy: per window, the notifications in time order
 * and every alert's fate (routed to which receivers, inhibited by which rule and source, muted
 * by which interval, never notified), as JSON and as text. The JSON's shape is declared in
 * core/model/alertmanager-replay.ts (`schema/alertmanager-replay.schema.json`).
 */
import { formatTimestampMs } from "../../capture/serialize.js";
import type { Incident } from "../../engine/types.js";
import type { AmReplayReport, AmWindowReport } from "../../model/alertmanager-replay.js";
import type { KindCounts } from "../../model/results.js";
import type { AlertFate, Notification } from "./simulator.js";
import { formatLabelSet } from "./simulator.js";

function sortedLabels(l: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(l).sort()) out[k] = l[k]!;
  return out;
}

/** The fate in one word: notified beats muted beats inhibited beats never notified. */
export function fateOf(f: AlertFate): AmWindowReport["alerts"][number]["fate"] {
  if (f.notified.length > 0) return "notified";
  if (f.muted.length > 0) return "muted";
  if (f.inhibited) return "inhibited";
  return "never-notified";
}

export function buildAmWindowReport(
  w: { id: string; dir: string; start: number; end: number },
  counts: KindCounts,
  extras: { notifications: readonly Notification[]; fates: readonly AlertFate[]; ignored_events: number },
  incidents: readonly Incident[],
  traceSignature: string,
): AmWindowReport {
  return {
    id: w.id,
    dir: w.dir,
    start: formatTimestampMs(w.start),
    end: formatTimestampMs(w.end),
    counts: { ...counts, notifications: extras.notifications.length, ignored_events: extras.ignored_events },
    trace_signature: traceSignature,
    notifications: extras.notifications.map((n) => ({
      at: formatTimestampMs(n.at),
      receiver: n.receiver,
      integration: n.integration,
      route: n.route,
      group_labels: sortedLabels(n.group_labels),
      firing: n.firing.map((a) => ({ labels: sortedLabels(a.labels), starts_at: formatTimestampMs(a.starts_at) })),
      resolved: n.resolved.map((a) => ({ labels: sortedLabels(a.labels), starts_at: formatTimestampMs(a.starts_at), ends_at: formatTimestampMs(a.ends_at!) })),
    })),
    alerts: extras.fates.map((f) => {
      const first: Record<string, string> = {};
      for (const [r, t] of Object.entries(f.first_notified)) first[r] = formatTimestampMs(t);
      return {
        labels: sortedLabels(f.labels),
        fate: fateOf(f),
        routes: f.routes,
        receivers: f.receivers,
        first_notified: first,
        inhibited: f.inhibited ? { rule: f.inhibited.rule, source: sortedLabels(f.inhibited.source) } : null,
        muted: f.muted,
      };
    }),
    incidents: incidents.map((i) => ({ id: i.id, title: i.title, start: formatTimestampMs(i.start), end: formatTimestampMs(i.end), alerts: i.alerts, events: i.events.length })),
  };
}

/** Text for a terminal: one line per notification, then the fates that need a look. */
export function renderAmReplayText(r: AmReplayReport): string {
  const out: string[] = [`Alertmanager configuration ${r.policy.name} (${r.policy.version}), ${r.policy.file}`];
  for (const w of r.windows) {
    const c = w.counts;
    out.push("", `window ${w.id}  ${w.start} → ${w.end}`, `  ${c.alerts} alerts received, ${c.groups} aggregation groups, ${c.notifications} notifications, ${c.incidents} group episodes`);
    for (const n of w.notifications) {
      const parts = [`${n.firing.length} firing`];
      if (n.resolved.length > 0) parts.push(`${n.resolved.length} resolved`);
      out.push(`  ${n.at}  ${n.receiver} ${n.integration}  ${formatLabelSet(n.group_labels)}  ${parts.join(", ")}`);
    }
    const by = (fate: string) => w.alerts.filter((a) => a.fate === fate);
    for (const a of by("inhibited")) out.push(`  inhibited  ${formatLabelSet(a.labels)} by inhibit_rules[${a.inhibited!.rule}] source ${formatLabelSet(a.inhibited!.source)}`);
    for (const a of by("muted")) out.push(`  muted      ${formatLabelSet(a.labels)} (${a.muted.join(", ")})`);
    for (const a of by("never-notified")) out.push(`  never notified  ${formatLabelSet(a.labels)} → ${a.receivers.join(", ")}`);
  }
  return `${out.join("\n")}\n`;
}
