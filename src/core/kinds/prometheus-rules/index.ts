/**
 * Prometheus rule files and `PrometheusRule` resources as a policy kind (DESIGN §9): a metric
 * window's samples are evaluated under the file's groups; the result is the alert episodes
 * (incidents: one per episode that fired) and per-rule statistics.
 */
import { compareNumbers, compareStrings } from "../../compare.js";
import type { Incident, ScopeValues } from "../../engine/types.js";
import type { NormalizedEvent, Severity } from "../../event.js";
import { canonicalJson, sha256Hex, shortId } from "../../hash.js";
import { formatLabels, labelsKey, type Labels } from "../../promql/labels.js";
import { Storage } from "../../promql/storage.js";
import type { KindResult, PolicyKind, WindowFrame } from "../kind.js";
import { runRules, type AlertEpisode, type RuleRunOptions, type RuleStats } from "./evaluate.js";
import { compileRulesFile, isRulesDocument, type CompiledGroup } from "./rules-file.js";

/** A compiled rule file with the options its replays use. */
export interface CompiledRules {
  readonly groups: readonly CompiledGroup[];
  readonly options: RuleRunOptions;
}

/** Prometheus' defaults: `evaluation_interval` 1m, Prometheus 3 range semantics, no external labels. */
export const DEFAULT_RULE_OPTIONS: RuleRunOptions = { evaluationIntervalMs: 60_000, prometheus2: false, externalLabels: {} };

/** An alert episode as reports print it (times ms UTC; the CLI renders RFC 3339). */
export interface EpisodeOut {
  readonly rule: string;
  readonly group: string;
  readonly labels: Labels;
  readonly annotations: Readonly<Record<string, string>>;
  readonly active_at: number;
  readonly fired_at: number | null;
  readonly resolved_at: number | null;
}

/** What only a rules replay has. */
export interface RulesExtras {
  readonly alerts: readonly EpisodeOut[];
  readonly rules: readonly RuleStats[];
  readonly evaluations: number;
  readonly samples: number;
  readonly series: number;
}

const SEVERITY_BY_LABEL: Readonly<Record<string, Severity>> = {
  critical: "critical", page: "critical", emergency: "critical", major: "major", error: "major", high: "major",
  warning: "minor", warn: "minor", minor: "minor", medium: "minor", info: "info", low: "info", none: "info",
};

function scopeOf(labels: Labels): ScopeValues {
  const one = (k: string) => (labels[k] === undefined ? [] : [labels[k]!]);
  return { service: one("service"), region: one("region"), pop: one("pop"), host: one("host") };
}

function compareEpisodes(a: AlertEpisode, b: AlertEpisode): number {
  return compareNumbers(a.active_at, b.active_at) || compareStrings(labelsKey(a.labels), labelsKey(b.labels));
}

/** Returns `compiled` with different run options (evaluation interval, Prometheus 2 knob). */
export function withRuleOptions(compiled: CompiledRules, options: Partial<RuleRunOptions>): CompiledRules {
  return { groups: compiled.groups, options: { ...compiled.options, ...options } };
}

/**
 * The Prometheus label set of a metric event: `labels` when the window carries it; otherwise
 * `__name__` from `name` plus every attr (the `prometheus` capture adapter keeps each label in
 * `attrs` under the default mapping, so windows captured before `labels` existed still work).
 */
export function metricLabels(event: NormalizedEvent): Labels {
  if (event.labels !== undefined) return event.labels.__name__ === undefined ? { ...event.labels, __name__: event.name } : event.labels;
  const out: Record<string, string> = {};
  if (event.attrs !== undefined) for (const k of Object.keys(event.attrs)) out[k] = String(event.attrs[k]);
  out.__name__ = event.name;
  return out;
}

/** Adds a metric event's sample to the storage; other events are not samples. */
export function addMetricEvent(storage: Storage, event: NormalizedEvent): boolean {
  if (event.signal !== "metric" || event.value === undefined) return false;
  storage.add(metricLabels(event), event.ts, event.value);
  return true;
}

/** Replays a rule file over one window: the shared result and the episodes. */
export function replayRules(compiled: CompiledRules, window: WindowFrame, storage: Storage, events: number): KindResult<RulesExtras> {
  const run = runRules(compiled.groups, storage, window.start, window.end, compiled.options);
  const episodes = [...run.episodes].sort(compareEpisodes);
  const incidents: Incident[] = episodes
    .filter((e) => e.fired_at !== null)
    .map((e) => ({
      id: shortId("inc", `${labelsKey(e.labels)}\u0000${e.active_at}`),
      title: formatLabels(e.labels),
      rules: [e.rule],
      signals: ["metric"],
      scope: scopeOf(e.labels),
      start: e.fired_at!,
      end: e.resolved_at ?? window.end,
      severity: SEVERITY_BY_LABEL[(e.labels.severity ?? "").toLowerCase()] ?? "info",
      confidence: 1,
      alerts: 1,
      groups: [],
      events: [],
    }));
  const alerts: EpisodeOut[] = episodes.map((e) => ({ rule: e.rule, group: e.group, labels: e.labels, annotations: e.annotations, active_at: e.active_at, fired_at: e.fired_at, resolved_at: e.resolved_at }));
  const timeline = alerts.map((a) => ({ l: labelsKey(a.labels), a: a.active_at, f: a.fired_at, r: a.resolved_at }));
  return {
    kind: "prometheus-rules",
    counts: { events, alerts: alerts.length, groups: compiled.groups.length, incidents: incidents.length },
    incidents,
    trace_signature: sha256Hex(canonicalJson({ alerts, rules: run.stats })),
    timeline_signature: sha256Hex(canonicalJson(timeline)),
    extras: { alerts, rules: run.stats, evaluations: run.evaluationTimes, samples: events, series: storage.size },
  };
}

export const prometheusRulesKind: PolicyKind<CompiledRules, RulesExtras> = {
  id: "prometheus-rules",
  label: "Prometheus rule file (groups:) or PrometheusRule resource",
  recognise: isRulesDocument,
  compile(yaml, text) {
    const { name, groups } = compileRulesFile(yaml, text);
    const base = yaml.file.replace(/^.*[\\/]/, "").replace(/\.ya?ml$/i, "");
    return { name: name ?? base, version: sha256Hex(text).slice(0, 12), scope: {}, compiled: { groups, options: DEFAULT_RULE_OPTIONS } };
  },
  start(compiled, window) {
    const storage = new Storage();
    let events = 0;
    return {
      push(event) {
        if (addMetricEvent(storage, event)) events++;
      },
      finish: () => replayRules(compiled, window, storage, events),
    };
  },
};
