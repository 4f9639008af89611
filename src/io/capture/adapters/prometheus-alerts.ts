/**
 * Alert streams derived from Prometheus' `ALERTS` series: a `/api/v1/query_range` response for
 * `ALERTS{alertstate="firing"}` (the `prometheus` adapter's input), turned into the alerts
 * Prometheus would have POSTed to Alertmanager, for an Alertmanager replay when no tap exists.
 *
 * Per series (labels without `__name__` and `alertstate`), consecutive samples form a firing run
 * (a gap longer than twice the series' smallest sample spacing ends it). Like Prometheus'
 * notifier, each run is sent at its first sample and then at most once a minute
 * (`resend_delay`), with `startsAt` = the run's first sample and `endsAt` = now + 4 minutes;
 * after the last sample it is sent resolved (`endsAt` = one spacing after it) once a minute for
 * 15 minutes. Approximations, documented: `startsAt` is the first firing sample (not the
 * rule's `activeAt`), and the send times follow the query's step, not the rule evaluations.
 * `pending` series are ignored. Never auto-detected (the input is any query_range response).
 */
import { epochNumberToMs } from "../../../core/capture/epoch.js";
import { DEFAULT_RESEND_DELAY_MS, firingEndsAt, stillRetained } from "../../../core/kinds/prometheus-rules/notify.js";
import { nullRecord, type FieldSource } from "../../../core/capture/record.js";
import { documentParser } from "./documents.js";
import { own, type JsonObject } from "./json-line.js";
import type { Adapter, AdapterContext } from "./types.js";

// Prometheus' send semantics (one definition, shared with the rule evaluator's chain); the
// query's step stands in for the evaluation interval, so endsAt uses the resend delay for both.
const RESEND_MS = DEFAULT_RESEND_DELAY_MS;
const NO_DEFAULTS: readonly string[] = [];

function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function emitAlert(ctx: AdapterContext, labels: Record<string, string>, ts: number, startsAt: number, endsAt: number): void {
  const fields: FieldSource = { get: (n) => (Object.hasOwn(labels, n) ? labels[n] : undefined), names: () => Object.keys(labels) };
  ctx.emit({ ts, signal: "alert", name: labels.alertname ?? "alert", source: labels.instance, fields, defaultAttrs: NO_DEFAULTS, labels: { ...labels }, starts_at: startsAt, ends_at: endsAt });
}

function readSeries(ctx: AdapterContext, lineNo: number, where: string, series: unknown): void {
  if (!isObject(series) || !isObject(own(series, "metric")) || !Array.isArray(own(series, "values"))) {
    ctx.reject(lineNo, `${where}: expected {metric, values} of a query_range (matrix) result`);
    return;
  }
  const metric = own(series, "metric") as JsonObject;
  if (metric.__name__ !== undefined && metric.__name__ !== "ALERTS") {
    ctx.reject(lineNo, `${where}.metric.__name__: expected ALERTS, found ${JSON.stringify(metric.__name__)}`);
    return;
  }
  if (metric.alertstate !== "firing") {
    ctx.ignore();
    return;
  }
  const labels = nullRecord<string>();
  for (const k of Object.keys(metric)) if (k !== "__name__" && k !== "alertstate" && typeof metric[k] === "string" && metric[k] !== "") labels[k] = metric[k] as string;
  if (Object.keys(labels).length === 0) {
    ctx.reject(lineNo, `${where}.metric: at least one label pair required`);
    return;
  }
  const times: number[] = [];
  for (const [j, s] of (own(series, "values") as unknown[]).entries()) {
    const ts = Array.isArray(s) && typeof s[0] === "number" ? epochNumberToMs(s[0]) : undefined;
    if (ts === undefined) {
      ctx.reject(lineNo, `${where}.values[${j}]: expected [unix_seconds, "1"]`);
      return;
    }
    if (times.length > 0 && ts <= times[times.length - 1]!) {
      ctx.reject(lineNo, `${where}.values[${j}]: samples must be in increasing time order`);
      return;
    }
    times.push(ts);
  }
  if (times.length === 0) return;
  let spacing = Infinity;
  for (let i = 1; i < times.length; i++) spacing = Math.min(spacing, times[i]! - times[i - 1]!);
  if (!Number.isFinite(spacing)) spacing = RESEND_MS;
  let runStart = 0;
  for (let i = 0; i < times.length; i++) {
    const last = i === times.length - 1 || times[i + 1]! - times[i]! > 2 * spacing;
    if (!last) continue;
    const startsAt = times[runStart]!;
    let sent = -Infinity;
    for (let k = runStart; k <= i; k++) {
      const t = times[k]!;
      if (t - sent < RESEND_MS) continue;
      emitAlert(ctx, labels, t, startsAt, firingEndsAt(t, RESEND_MS, RESEND_MS));
      sent = t;
    }
    const resolvedAt = times[i]! + spacing;
    // A new run of the same series replaces the resolved alert (Prometheus keeps one per label set).
    const nextRun = i + 1 < times.length ? times[i + 1]! : Infinity;
    for (let t = resolvedAt; stillRetained(resolvedAt, t) && t < nextRun; t += RESEND_MS) emitAlert(ctx, labels, t, startsAt, resolvedAt);
    runStart = i + 1;
  }
}

function readResponse(ctx: AdapterContext, doc: unknown, lineNo: number): void {
  const data = isObject(doc) && isObject(own(doc, "data")) ? (own(doc, "data") as JsonObject) : doc;
  if (!isObject(data) || own(data, "resultType") !== "matrix" || !Array.isArray(own(data, "result"))) {
    ctx.reject(lineNo, 'expected a query_range response (resultType "matrix") for ALERTS{alertstate="firing"}');
    return;
  }
  (own(data, "result") as unknown[]).forEach((s, i) => readSeries(ctx, lineNo, `data.result[${i}]`, s));
}

export const prometheusAlertsAdapter: Adapter = {
  name: "prometheus-alerts",
  aliases: ["alerts-series"],
  description: 'a Prometheus query_range of ALERTS{alertstate="firing"} → the alerts Prometheus would have POSTed (for Alertmanager replays)',
  detect: () => false,
  createParser(ctx) {
    return documentParser(ctx, (doc, lineNo) => readResponse(ctx, doc, lineNo));
  },
};
