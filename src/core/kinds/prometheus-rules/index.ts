/**
 * Prometheus rule files and `PrometheusRule` resources as a policy kind (docs/prometheus-rules.md): a metric
 * window's samples are evaluated under the file's groups; the result is the alert episodes
 * (incidents: one per episode that fired) and per-rule statistics.
 */
import { compareNumbers, compareStrings } from "../../compare.js";
import type { Incident, ScopeValues } from "../../engine/types.js";
import type { NormalizedEvent, Severity } from "../../event.js";
import { canonicalJson, sha256Hex, shortId } from "../../hash.js";
import { formatLabels, labelsKey, type Labels } from "../../promql/labels.js";
import { Storage } from "../../promql/storage.js";
import { formatDuration } from "../../time.js";
import type { AmConfig } from "../alertmanager/config.js";
import type { AmSide } from "../alertmanager/diff.js";
import { AlertmanagerSimulator, type PostedAlert, type SimulatorOptions } from "../alertmanager/simulator.js";
import type { KindResult, PolicyKind, WindowFrame } from "../kind.js";
import { diffRules } from "./diff.js";
import { rulesKindDiffSchema } from "./diff-schema.js";
import { runRules, type AlertEpisode, type RuleRunOptions, type RuleStats, type SentAlert } from "./evaluate.js";
import { compileRulesFile, isRulesDocument, type CompiledGroup } from "./rules-file.js";

/**
 * A rule file chained into an Alertmanager configuration (`prometheus_rules.alertmanager` in the
 * gate config): the alerts each replay sends go through the simulator, so a window of metrics
 * yields notifications.
 */
export interface RulesChain {
  /** Where the configuration was read from, for reports. */
  readonly file: string;
  readonly config: AmConfig;
  readonly simulator: SimulatorOptions;
  /** `--rules.alert.resend-delay` (default 1m). */
  readonly resendDelayMs: number;
}

/** A rule as the diff shows it next to the alerts it changed. */
export interface RuleDefinition {
  readonly group: string;
  readonly rule: string;
  readonly kind: "alert" | "record";
  readonly expr: string;
  /** As Prometheus writes durations (`5m`); null when unset or 0. */
  readonly for: string | null;
  readonly keep_firing_for: string | null;
}

/** A compiled rule file with the options its replays use. */
export interface CompiledRules {
  readonly groups: readonly CompiledGroup[];
  readonly options: RuleRunOptions;
  /** null: alerts are not followed into an Alertmanager configuration. */
  readonly chain?: RulesChain | null | undefined;
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
  /** The window's end (ms): an episode still firing there overlaps everything after its start. */
  readonly window_end: number;
  readonly definitions: readonly RuleDefinition[];
  /** With a chain: what the Alertmanager configuration made of the alerts sent; else null. */
  readonly chained: AmSide | null;
  /** With a chain: how many alerts Prometheus would have sent (re-sends included). */
  readonly sent_alerts: number;
}

const SEVERITY_BY_LABEL: Readonly<Record<string, Severity>> = {
  critical: "critical",
  page: "critical",
  emergency: "critical",
  major: "major",
  error: "major",
  high: "major",
  warning: "minor",
  warn: "minor",
  minor: "minor",
  medium: "minor",
  info: "info",
  low: "info",
  none: "info",
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
  return { ...compiled, options: { ...compiled.options, ...options } };
}

/** Returns `compiled` chained into an Alertmanager configuration (or unchained with null). */
export function withChain(compiled: CompiledRules, chain: RulesChain | null): CompiledRules {
  return { ...compiled, chain };
}

/** Each rule's definition, in file order. */
export function ruleDefinitions(groups: readonly CompiledGroup[]): RuleDefinition[] {
  const dur = (ms: number) => (ms > 0 ? formatDuration(ms) : null);
  return groups.flatMap((g) => g.rules.map((r) => ({ group: g.name, rule: r.name, kind: r.kind, expr: r.exprText.trim(), for: dur(r.forMs), keep_firing_for: dur(r.keepFiringForMs) })));
}

/** The alert as Alertmanager receives it: external labels added where the alert lacks them (the notifier does). */
function posted(a: SentAlert, external: Readonly<Record<string, string>>, n: number): PostedAlert {
  let labels = a.labels;
  for (const k of Object.keys(external)) if (labels[k] === undefined) labels = { ...labels, [k]: external[k]! };
  return { labels, annotations: a.annotations, startsAt: a.startsAt, endsAt: a.endsAt, received: a.at, event: n };
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

/** 32-bit FNV-1a of a string: cheap, deterministic, enough to tell alerts apart within a window. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/**
 * An episode's "events" for the shared parity (docs/parity.md): one id per evaluation at which the
 * alert was firing, derived from the alert's identity and the time — the same on both sides — so
 * base and head episodes that fire the same alert at the same evaluations are the same cluster,
 * a shifted episode overlaps its counterpart, and a lost one lowers the B-cubed score.
 */
function firingPoints(e: AlertEpisode, intervalMs: number, window: WindowFrame): number[] {
  const alert = fnv1a(`${e.rule}\u0000${labelsKey(e.labels)}`) * 2 ** 21;
  const out: number[] = [];
  const until = e.resolved_at ?? window.end + 1;
  for (let t = e.fired_at!; t < until; t += intervalMs) out.push(alert + (Math.floor((t - window.start) / 1000) % 2 ** 21));
  return [...new Set(out)].sort(compareNumbers);
}

/** Replays a rule file over one window: the shared result and the episodes. */
export function replayRules(compiled: CompiledRules, window: WindowFrame, storage: Storage, events: number): KindResult<RulesExtras> {
  const chain = compiled.chain ?? null;
  // Alerts go to the simulator as they are sent (evaluation order is time order): memory stays
  // bounded by Alertmanager's open groups, not by the sends of the whole window.
  const sim = chain === null ? null : new AlertmanagerSimulator(chain.config, window.start, chain.simulator);
  let sent = 0;
  const sender = sim === null ? undefined : { resendDelayMs: chain!.resendDelayMs, send: (a: SentAlert) => sim.receive(posted(a, compiled.options.externalLabels, sent++)) };
  const run = runRules(compiled.groups, storage, window.start, window.end, compiled.options, false, sender);
  const am = sim === null ? null : sim.finish(window.end);
  const episodes = [...run.episodes].sort(compareEpisodes);
  const intervalOf = new Map(compiled.groups.map((g) => [g.name, g.intervalMs ?? compiled.options.evaluationIntervalMs]));
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
      events: firingPoints(e, intervalOf.get(e.group)!, window),
    }));
  const alerts: EpisodeOut[] = episodes.map((e) => ({
    rule: e.rule,
    group: e.group,
    labels: e.labels,
    annotations: e.annotations,
    active_at: e.active_at,
    fired_at: e.fired_at,
    resolved_at: e.resolved_at,
  }));
  const timeline = alerts.map((a) => ({ l: labelsKey(a.labels), a: a.active_at, f: a.fired_at, r: a.resolved_at }));
  // A chained replay's signatures cover the notifications too: a change of the Alertmanager
  // configuration alone is a change of the window's result.
  const chained = am === null ? null : { notifications: am.notifications, fates: am.fates };
  return {
    kind: "prometheus-rules",
    counts: { events, alerts: alerts.length, groups: compiled.groups.length, incidents: incidents.length },
    incidents,
    trace_signature: sha256Hex(canonicalJson({ alerts, rules: run.stats, ...(am === null ? {} : { notifications: am.trace_signature }) })),
    timeline_signature: sha256Hex(canonicalJson(am === null ? timeline : { timeline, notifications: am.timeline_signature })),
    extras: {
      alerts,
      rules: run.stats,
      evaluations: run.evaluationTimes,
      samples: events,
      series: storage.size,
      window_end: window.end,
      definitions: ruleDefinitions(compiled.groups),
      chained,
      sent_alerts: sent,
    },
  };
}

export const prometheusRulesKind: PolicyKind<CompiledRules, RulesExtras> = {
  id: "prometheus-rules",
  label: "Prometheus rule file (groups:) or PrometheusRule resource",
  signals: ["metric"],
  recognise: isRulesDocument,
  compare(base, head) {
    // Parsing fixes key order and proves the diff matches the report's documented shape.
    return rulesKindDiffSchema.parse({ kind: "prometheus-rules", ...diffRules(base?.extras ?? null, head?.extras ?? null) });
  },
  compile(yaml, text) {
    const { name, groups } = compileRulesFile(yaml, text);
    const base = yaml.file.replace(/^.*[\\/]/, "").replace(/\.ya?ml$/i, "");
    return { name: name ?? base, version: sha256Hex(text).slice(0, 12), scope: {}, compiled: { groups, options: DEFAULT_RULE_OPTIONS, chain: null } };
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
