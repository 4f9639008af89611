/**
 * Rule evaluation over a window (rules/group.go, rules/alerting.go): every group at multiples of
 * its interval from the window's start through its end, rules in order, recording rules written
 * back (with stale markers when a series disappears) so later rules see them, and Prometheus'
 * alert state machine — pending, firing after `for`, `keep_firing_for`, resolved.
 */
import type { z } from "zod";
import type { ruleStatsSchema } from "../../model/rules-replay.js";
import { Evaluator, DEFAULT_LOOKBACK_MS } from "../../promql/eval.js";
import { dropName, LabelMemo, labelsKey, type Labels } from "../../promql/labels.js";
import type { Storage } from "../../promql/storage.js";
import { EvalError, type Sample } from "../../promql/value.js";
import { firingEndsAt, needsSending, stillRetained } from "./notify.js";
import type { CompiledGroup, CompiledRule } from "./rules-file.js";
import type { TemplateData } from "./template.js";

/** How a window is evaluated. */
export interface RuleRunOptions {
  /** ms; groups without `interval` use it. Prometheus' default `evaluation_interval` is 1m. */
  readonly evaluationIntervalMs: number;
  /** Prometheus 2.x range selectors (closed) and rate extrapolation order; false = Prometheus 3. */
  readonly prometheus2: boolean;
  readonly externalLabels: Readonly<Record<string, string>>;
}

/** One alert episode: from the first pending evaluation to the one that found it gone. */
export interface AlertEpisode {
  readonly rule: string;
  readonly group: string;
  readonly labels: Labels;
  /** As rendered at the last evaluation that found the alert active. */
  annotations: Readonly<Record<string, string>>;
  readonly active_at: number;
  fired_at: number | null;
  resolved_at: number | null;
}

/** Per-rule counters, as the replay report prints them (mutable while the run counts). */
export type RuleStats = z.infer<typeof ruleStatsSchema>;

/** What a run of a rule file over a window produced. */
export interface RuleRun {
  readonly episodes: readonly AlertEpisode[];
  readonly stats: readonly RuleStats[];
  readonly evaluationTimes: number;
  /** The firing alerts after each evaluation time, for differential tests (only when asked). */
  readonly timeline: readonly { t: number; firing: { labels: Labels; annotations: Readonly<Record<string, string>> }[] }[];
}

/** An alert as Prometheus sends it to Alertmanager after an evaluation (notify.ts). */
export interface SentAlert {
  /** ms: the evaluation time, when Alertmanager receives it. */
  readonly at: number;
  readonly labels: Labels;
  readonly annotations: Readonly<Record<string, string>>;
  /** When the alert fired. */
  readonly startsAt: number;
  /** When it resolved, or `at + 4 × max(interval, resend_delay)` while firing. */
  readonly endsAt: number;
}

/** Receives the alerts Prometheus would send, in evaluation order. */
export interface SendHook {
  readonly resendDelayMs: number;
  send(alert: SentAlert): void;
}

interface ActiveAlert {
  labels: Labels;
  /** The alert's ALERTS series in each state, made once. */
  alertsSeries: { pending?: Labels; firing?: Labels };
  annotations: Readonly<Record<string, string>>;
  state: "pending" | "firing" | "inactive";
  activeAt: number;
  firedAt: number | null;
  resolvedAt: number | null;
  keepFiringSince: number | null;
  lastSentAt: number | null;
  episode: AlertEpisode;
}

/**
 * Evaluates `groups` over `[start, end]` reading and extending `storage`; `sender` receives the
 * alerts Prometheus would send after each successful evaluation of an alerting rule.
 */
export function runRules(groups: readonly CompiledGroup[], storage: Storage, start: number, end: number, options: RuleRunOptions, withTimeline = false, sender?: SendHook): RuleRun {
  const schedule: { t: number; g: number }[] = [];
  groups.forEach((g, gi) => {
    const iv = g.intervalMs ?? options.evaluationIntervalMs;
    for (let t = Math.ceil(start / iv) * iv; t <= end; t += iv) schedule.push({ t, g: gi });
  });
  // Time order, groups in file order at one instant (as promtool evaluates them).
  schedule.sort((a, b) => a.t - b.t || a.g - b.g);
  const episodes: AlertEpisode[] = [];
  const stats: RuleStats[] = [];
  const state = groups.map((g) =>
    g.rules.map((r) => {
      const st: RuleStats = { group: g.name, rule: r.name, kind: r.kind, evaluations: 0, samples_read: 0, samples_produced: 0, series_produced: 0, errors: 0, first_error: null };
      stats.push(st);
      return { active: new Map<string, ActiveAlert>(), previous: new Map<string, Labels>(), produced: new Set<string>(), stats: st, outputs: outputCache(r) };
    }),
  );
  const evaluators = groups.map((g) => new Evaluator(storage, { lookbackMs: DEFAULT_LOOKBACK_MS, closedRanges: options.prometheus2, intervalMs: g.intervalMs ?? options.evaluationIntervalMs }));
  const timeline: { t: number; firing: { labels: Labels; annotations: Readonly<Record<string, string>> }[] }[] = [];
  const times = new Set<number>();
  for (let k = 0; k < schedule.length; k++) {
    const { t, g } = schedule[k]!;
    times.add(t);
    const group = groups[g]!;
    const ev = evaluators[g]!;
    group.rules.forEach((rule, ri) => {
      const rs = state[g]![ri]!;
      rs.stats.evaluations++;
      const before = ev.stats.samplesRead;
      let vector: readonly Sample[] | undefined;
      try {
        const v = ev.eval(rule.expr, t);
        vector = v.kind === "vector" ? v.samples : v.kind === "scalar" ? [{ labels: {}, v: v.v, t }] : undefined;
        if (vector === undefined) throw new EvalError("rule expression must return a vector or scalar");
        if (group.limit > 0 && rule.kind === "record" && vector.length > group.limit) throw new EvalError(`exceeded limit of ${group.limit} with ${vector.length} series`);
      } catch (e) {
        if (!(e instanceof EvalError)) throw e;
        rs.stats.errors++;
        rs.stats.first_error ??= e.message;
        vector = undefined;
      }
      rs.stats.samples_read += ev.stats.samplesRead - before;
      if (vector === undefined) return;
      const outputs = rule.kind === "record" ? recordOutputs(rule, vector, rs.stats, rs.outputs) : alertOutputs(rule, group, vector, t, rs.active, episodes, options, rs.stats, rs.outputs);
      if (outputs === undefined) return;
      if (sender !== undefined && rule.kind === "alert") sendAlerts(rs.active, t, group.intervalMs ?? options.evaluationIntervalMs, sender);
      rs.stats.samples_produced += outputs.length;
      const now = new Map<string, Labels>();
      for (const o of outputs) {
        const key = labelsKey(o.labels);
        now.set(key, o.labels);
        rs.produced.add(key);
        storage.add(o.labels, t, o.v);
      }
      // A series the rule no longer produces gets a stale marker, as Prometheus writes one.
      for (const [key, labels] of rs.previous) if (!now.has(key)) storage.add(labels, t, NaN, true);
      rs.previous = now;
      rs.stats.series_produced = rs.produced.size;
    });
    if (withTimeline && (k === schedule.length - 1 || schedule[k + 1]!.t !== t)) {
      const firing: { labels: Labels; annotations: Readonly<Record<string, string>> }[] = [];
      for (const gs of state) for (const rs of gs) for (const a of rs.active.values()) if (a.state === "firing") firing.push({ labels: a.labels, annotations: a.annotations });
      timeline.push({ t, firing });
    }
  }
  return { episodes, stats, evaluationTimes: times.size, timeline };
}

function sendAlerts(active: ReadonlyMap<string, ActiveAlert>, t: number, intervalMs: number, sender: SendHook): void {
  for (const a of active.values()) {
    if (!needsSending(a, t, sender.resendDelayMs)) continue;
    a.lastSentAt = t;
    sender.send({ at: t, labels: a.labels, annotations: a.annotations, startsAt: a.firedAt!, endsAt: a.resolvedAt ?? firingEndsAt(t, intervalMs, sender.resendDelayMs) });
  }
}

/**
 * What a rule makes of an input label set, made once per label set: the output series (recording
 * rule) or the alert's label set and key (alerting rule whose labels have no templates; templated
 * labels may depend on the value, so those are rendered every time and interned by key instead).
 */
interface OutputCache {
  readonly bySample: LabelMemo<{ labels: Labels; key: string }>;
  readonly byKey: Map<string, Labels>;
  readonly staticLabels: boolean;
  /** The annotations when none has a template, shared by every alert of the rule. */
  readonly staticAnnotations: Readonly<Record<string, string>> | undefined;
}

function outputCache(rule: CompiledRule): OutputCache {
  const isStatic = (tmpls: CompiledRule["labels"]) => tmpls.every(([, t]) => !t.source.includes("{{"));
  let staticAnnotations: Record<string, string> | undefined;
  if (isStatic(rule.annotations)) {
    staticAnnotations = {};
    for (const [k, t] of rule.annotations) staticAnnotations[k] = t.source;
  }
  return { bySample: new LabelMemo(), byKey: new Map(), staticLabels: rule.kind === "record" || isStatic(rule.labels), staticAnnotations };
}

function recordLabels(rule: CompiledRule, sample: Labels): { labels: Labels; key: string } {
  const l: Record<string, string> = {};
  for (const k in sample) l[k] = sample[k]!;
  l.__name__ = rule.name;
  for (const [k, tmpl] of rule.labels) {
    const v = tmpl.source;
    if (v === "") delete l[k];
    else l[k] = v;
  }
  return { labels: l, key: labelsKey(l) };
}

function recordOutputs(rule: CompiledRule, vector: readonly Sample[], stats: RuleStats, cache: OutputCache): { labels: Labels; v: number }[] | undefined {
  const out: { labels: Labels; v: number }[] = [];
  const seen = new Set<string>();
  for (const s of vector) {
    const { labels, key } = cache.bySample.get(s.labels, (l) => recordLabels(rule, l));
    if (seen.has(key)) {
      stats.errors++;
      stats.first_error ??= "vector contains metrics with the same labelset after applying rule labels";
      return undefined;
    }
    seen.add(key);
    out.push({ labels, v: s.v });
  }
  return out;
}

/** The alert's label set (without `__name__`, rule labels applied, `alertname`) and its key. */
function alertLabels(rule: CompiledRule, data: TemplateData): { labels: Labels; key: string } {
  const l: Record<string, string> = { ...data.labels };
  for (const [k, tmpl] of rule.labels) {
    const v = tmpl.render(data);
    if (v === "") delete l[k];
    else l[k] = v;
  }
  l.alertname = rule.name;
  return { labels: l, key: labelsKey(l) };
}

function alertOutputs(
  rule: CompiledRule,
  group: CompiledGroup,
  vector: readonly Sample[],
  t: number,
  active: Map<string, ActiveAlert>,
  episodes: AlertEpisode[],
  options: RuleRunOptions,
  stats: RuleStats,
  cache: OutputCache,
): { labels: Labels; v: number }[] | undefined {
  const current = new Map<string, { labels: Labels; annotations: Readonly<Record<string, string>> }>();
  for (const s of vector) {
    const data: TemplateData = { labels: dropName(s.labels), externalLabels: options.externalLabels, value: s.v };
    let id: { labels: Labels; key: string };
    if (cache.staticLabels) id = cache.bySample.get(s.labels, () => alertLabels(rule, data));
    else {
      id = alertLabels(rule, data);
      // One object per alert identity, so its key and ALERTS series are found, not rebuilt.
      const known = cache.byKey.get(id.key);
      if (known === undefined) cache.byKey.set(id.key, id.labels);
      else id = { labels: known, key: id.key };
    }
    let annotations = cache.staticAnnotations;
    if (annotations === undefined) {
      const rendered: Record<string, string> = {};
      for (const [k, tmpl] of rule.annotations) rendered[k] = tmpl.render(data);
      annotations = rendered;
    }
    if (current.has(id.key)) {
      stats.errors++;
      stats.first_error ??= "vector contains metrics with the same labelset after applying alert labels";
      return undefined;
    }
    current.set(id.key, { labels: id.labels, annotations });
  }
  for (const [key, c] of current) {
    const a = active.get(key);
    if (a !== undefined && a.state !== "inactive") {
      a.annotations = c.annotations;
      a.episode.annotations = c.annotations;
      continue;
    }
    const episode: AlertEpisode = { rule: rule.name, group: group.name, labels: c.labels, annotations: c.annotations, active_at: t, fired_at: null, resolved_at: null };
    episodes.push(episode);
    active.set(key, {
      labels: c.labels,
      alertsSeries: a?.alertsSeries ?? {},
      annotations: c.annotations,
      state: "pending",
      activeAt: t,
      firedAt: null,
      resolvedAt: null,
      keepFiringSince: null,
      lastSentAt: null,
      episode,
    });
  }
  let numActive = 0;
  // Deleting the entry being visited is safe while iterating a Map.
  for (const [key, a] of active) {
    if (!current.has(key)) {
      let keepFiring = false;
      if (a.state === "firing" && rule.keepFiringForMs > 0) {
        a.keepFiringSince ??= t;
        if (t - a.keepFiringSince < rule.keepFiringForMs) keepFiring = true;
      }
      if (!keepFiring) {
        if (a.state === "pending" || (a.resolvedAt !== null && !stillRetained(a.resolvedAt, t))) active.delete(key);
        if (a.state !== "inactive") {
          a.state = "inactive";
          a.resolvedAt = t;
          a.episode.resolved_at = t;
        }
        continue;
      }
    } else if (a.state !== "inactive") {
      a.keepFiringSince = null;
    }
    numActive++;
    if (a.state === "pending" && t - a.activeAt >= rule.forMs) {
      a.state = "firing";
      a.firedAt = t;
      a.episode.fired_at = t;
    }
  }
  if (group.limit > 0 && numActive > group.limit) {
    active.clear();
    stats.errors++;
    stats.first_error ??= `exceeded limit of ${group.limit} with ${numActive} alerts`;
    return undefined;
  }
  // The ALERTS series later rules may read.
  const out: { labels: Labels; v: number }[] = [];
  for (const a of active.values()) {
    if (a.state === "inactive") continue;
    const labels = (a.alertsSeries[a.state] ??= { ...a.labels, __name__: "ALERTS", alertstate: a.state });
    out.push({ labels, v: 1 });
  }
  return out;
}
