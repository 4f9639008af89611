/**
 * An Alertmanager configuration as a policy kind (docs/alertmanager.md): recognised by a top-level
 * `route:`, validated as Alertmanager 0.25 validates it, replayed by the virtual-time
 * simulator over a window of POSTed alerts. Incidents are the aggregation groups' episodes.
 */
import { InputError } from "../../errors.js";
import type { NormalizedEvent } from "../../event.js";
import type { Incident, ScopeValues } from "../../engine/types.js";
import { sha256Hex, shortId } from "../../hash.js";
import { compareStrings } from "../../compare.js";
import type { KindResult, PolicyKind, WindowFrame } from "../kind.js";
import { loadAlertmanagerConfig, type AmConfig } from "./config.js";
import { diffAlertmanager } from "./diff.js";
import { amKindDiffSchema } from "./diff-schema.js";
import { AlertmanagerSimulator, DEFAULT_OPTIONS, formatLabelSet, type AlertFate, type GroupEpisode, type Notification, type PostedAlert, type SimulatorOptions } from "./simulator.js";

/** What only an Alertmanager replay has. */
export interface AlertmanagerExtras {
  readonly notifications: readonly Notification[];
  readonly fates: readonly AlertFate[];
  readonly episodes: readonly GroupEpisode[];
  /** Events that were not alerts (`signal` other than `alert`), ignored. */
  readonly ignored_events: number;
}

export interface AlertmanagerCompiled {
  readonly config: AmConfig;
  readonly options: SimulatorOptions;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function baseName(file: string): string {
  const b = file.split(/[\\/]/).pop() ?? file;
  return b.replace(/\.(ya?ml)$/i, "");
}

/** An alert event as the PostableAlert Alertmanager received; throws InputError when it has no labels. */
export function eventToPostedAlert(e: NormalizedEvent, id: number, window: string): PostedAlert {
  const labels = e.labels ?? {};
  const nonEmpty = Object.keys(labels).filter((k) => labels[k] !== "");
  if (nonEmpty.length === 0) {
    throw new InputError([
      { file: window, line: id + 1, path: "labels", message: "an alert needs at least one label pair (Alertmanager rejects it)", hint: "capture the alert's labels, alertname at least" },
    ]);
  }
  if (e.starts_at !== undefined && e.ends_at !== undefined && e.ends_at < e.starts_at) {
    throw new InputError([{ file: window, line: id + 1, path: "ends_at", message: "start time must be before end time (Alertmanager rejects the alert)" }]);
  }
  return { labels, annotations: e.annotations, startsAt: e.starts_at, endsAt: e.ends_at, received: e.ts, event: id };
}

const SEVERITY_OF: Readonly<Record<string, Incident["severity"]>> = { critical: "critical", page: "critical", error: "major", warning: "major", info: "info" };

function toIncident(e: GroupEpisode, scopes: ReadonlyMap<number, NormalizedEvent["scope"]>, severities: ReadonlyMap<number, string | undefined>): Incident {
  const scope: Record<keyof ScopeValues, Set<string>> = { service: new Set(), region: new Set(), pop: new Set(), host: new Set() };
  let sev: Incident["severity"] = "info";
  const rank = { info: 0, minor: 1, major: 2, critical: 3 } as const;
  for (const id of e.events) {
    const s = scopes.get(id) ?? {};
    for (const k of ["service", "region", "pop", "host"] as const) if (s[k] !== undefined) scope[k].add(s[k]);
    const v = SEVERITY_OF[severities.get(id) ?? ""] ?? "minor";
    if (rank[v] > rank[sev]) sev = v;
  }
  const events = [...new Set(e.events)].sort((a, b) => a - b);
  return {
    id: shortId("inc", `${e.group_key}\u0000${e.start}`),
    title: `${e.receiver} ${formatLabelSet(e.group_labels)}`,
    rules: [e.route],
    signals: ["alert"],
    scope: { service: [...scope.service].sort(compareStrings), region: [...scope.region].sort(compareStrings), pop: [...scope.pop].sort(compareStrings), host: [...scope.host].sort(compareStrings) },
    start: e.start,
    end: e.end,
    severity: sev,
    confidence: 1,
    alerts: e.alerts.length,
    groups: [shortId("g", e.group_key)],
    events,
  };
}

/** The same compiled configuration, replayed with another release's behaviour. */
export function withOptions(c: AlertmanagerCompiled, options: SimulatorOptions): AlertmanagerCompiled {
  return { ...c, options };
}

/** Replays POSTed alerts through a compiled configuration (what the Prometheus-rules kind chains into). */
export function simulateAlertmanager(config: AmConfig, alerts: Iterable<PostedAlert>, start: number, end: number, options: SimulatorOptions = DEFAULT_OPTIONS) {
  const sim = new AlertmanagerSimulator(config, start, options);
  for (const a of alerts) sim.receive(a);
  return sim.finish(end);
}

export const alertmanagerKind: PolicyKind<AlertmanagerCompiled, AlertmanagerExtras> = {
  id: "alertmanager",
  label: "Alertmanager configuration (top-level route:)",
  allowsYamlAliases: true,
  signals: ["alert"],
  compare(base, head) {
    const empty = { notifications: [], fates: [] };
    // Parsing fixes key order and proves the diff matches the report's documented shape.
    return amKindDiffSchema.parse({ kind: "alertmanager", ...diffAlertmanager(base?.extras ?? empty, head?.extras ?? empty) });
  },
  recognise: (doc) => isRecord(doc) && isRecord(doc.route) && doc.kind === undefined,
  compile(yaml, text) {
    const config = loadAlertmanagerConfig(text, yaml.file);
    return { name: baseName(yaml.file), version: sha256Hex(text).slice(0, 12), scope: {}, compiled: { config, options: DEFAULT_OPTIONS } };
  },
  start(compiled, window: WindowFrame) {
    const sim = new AlertmanagerSimulator(compiled.config, window.start, compiled.options);
    const scopes = new Map<number, NormalizedEvent["scope"]>();
    const severities = new Map<number, string | undefined>();
    let events = 0;
    let ignored = 0;
    let last = -Infinity;
    return {
      push(event, id) {
        events++;
        if (event.signal !== "alert") {
          ignored++;
          return;
        }
        if (event.ts < last) {
          throw new InputError([{ file: window.id, line: id + 1, path: "ts", message: "alerts must be in received order (ts never decreases)", hint: "sort the window's events by ts" }]);
        }
        last = event.ts;
        const posted = eventToPostedAlert(event, id, window.id);
        scopes.set(id, event.scope);
        severities.set(id, posted.labels.severity);
        sim.receive(posted);
      },
      finish(): KindResult<AlertmanagerExtras> {
        const r = sim.finish(window.end);
        const incidents = r.episodes.map((e) => toIncident(e, scopes, severities)).sort((a, b) => a.start - b.start || compareStrings(a.id, b.id));
        return {
          kind: "alertmanager",
          counts: { events, alerts: r.alerts_received, groups: r.groups_created, incidents: incidents.length },
          incidents,
          trace_signature: r.trace_signature,
          timeline_signature: r.timeline_signature,
          extras: { notifications: r.notifications, fates: r.fates, episodes: r.episodes, ignored_events: ignored },
        };
      },
    };
  },
};
