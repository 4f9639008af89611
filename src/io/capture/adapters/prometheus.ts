/**
 * Prometheus HTTP API responses: `/api/v1/query_range` (`resultType: matrix`, `values: [[t, "v"], …]`)
 * and `/api/v1/query` (`vector`, `value: [t, "v"]`), whole responses or just their `data`.
 * Each sample → one `metric` event: `name` is the series' `__name__` (or `unnamed_series`),
 * `value` the sample parsed from its string, and the series' label set in `labels`, whole and
 * unchanged (`__name__` included when the series has one) whatever the mapping says: a rules
 * replay needs the exact label set. Each label but `__name__` is also a field, kept in attrs by
 * default, so correlation policies can match on it.
 * Missing samples stay missing: a gap in `values` is no event, never an interpolated one.
 * `NaN` and `±Inf` samples cannot be event values and are rejected (counted, located).
 */
import { epochNumberToMs } from "../../../core/capture/epoch.js";
import { nullRecord, type FieldSource } from "../../../core/capture/record.js";
import { FORBIDDEN_KEYS } from "../../../core/event.js";
import { documentParser } from "./documents.js";
import { own, type JsonObject } from "./json-line.js";
import type { Adapter, AdapterContext } from "./types.js";

const DEFAULTS: readonly string[] = ["*"];
export const UNNAMED_SERIES = "unnamed_series";

function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function readSample(ctx: AdapterContext, lineNo: number, where: string, sample: unknown): { ts: number; value: number } | undefined {
  if (!Array.isArray(sample) || sample.length !== 2 || typeof sample[0] !== "number" || typeof sample[1] !== "string") {
    ctx.reject(lineNo, `${where}: expected [unix_seconds, "value"]`);
    return undefined;
  }
  const ts = epochNumberToMs(sample[0]);
  const value = Number(sample[1]);
  if (ts === undefined) {
    ctx.reject(lineNo, `${where}: time ${sample[0]} is not epoch seconds`);
    return undefined;
  }
  if (!Number.isFinite(value) || sample[1].trim() === "") {
    ctx.reject(lineNo, `${where}: value "${sample[1].slice(0, 20)}" is not a finite number`);
    return undefined;
  }
  return { ts, value };
}

function readResponse(ctx: AdapterContext, doc: unknown, lineNo: number): void {
  if (!isObject(doc)) {
    ctx.reject(lineNo, "expected a Prometheus API response object");
    return;
  }
  if (own(doc, "status") === "error") {
    ctx.reject(lineNo, `the response is an error: ${String(own(doc, "error") ?? "")}`.slice(0, 200));
    return;
  }
  const data = isObject(own(doc, "data")) ? (own(doc, "data") as JsonObject) : doc;
  const type = own(data, "resultType");
  const result = own(data, "result");
  if ((type !== "matrix" && type !== "vector") || !Array.isArray(result)) {
    ctx.reject(lineNo, `data: expected resultType matrix (query_range) or vector with a result list, found ${JSON.stringify(type)}`);
    return;
  }
  result.forEach((series, i) => {
    const where = `data.result[${i}]`;
    if (!isObject(series) || !isObject(own(series, "metric"))) {
      ctx.reject(lineNo, `${where}: expected {metric, ${type === "matrix" ? "values" : "value"}}`);
      return;
    }
    const metric = own(series, "metric") as JsonObject;
    const labels = nullRecord<string>();
    let name = UNNAMED_SERIES;
    for (const key of Object.keys(metric)) {
      const v = metric[key];
      if (typeof v !== "string") continue;
      if (key === "__name__") name = v;
      else labels[key] = v;
    }
    const reserved = Object.keys(labels).find((k) => FORBIDDEN_KEYS.has(k));
    if (reserved !== undefined) {
      ctx.reject(lineNo, `${where}.metric: the label name "${reserved}" cannot be stored in a window (reserved key)`);
      return;
    }
    // One plain object per series, shared by its samples' events.
    const labelSet: Record<string, string> = typeof metric.__name__ === "string" ? { __name__: name } : {};
    for (const k of Object.keys(labels)) labelSet[k] = labels[k]!;
    const labelNames = Object.keys(labels);
    const fields: FieldSource = { get: (n) => (Object.hasOwn(labels, n) ? labels[n] : undefined), names: () => labelNames };
    const source = labels.instance;
    const samples = type === "matrix" ? own(series, "values") : [own(series, "value")];
    if (!Array.isArray(samples)) {
      ctx.reject(lineNo, `${where}.values: expected a list`);
      return;
    }
    samples.forEach((sample, j) => {
      const s = readSample(ctx, lineNo, type === "matrix" ? `${where}.values[${j}]` : `${where}.value`, sample);
      if (s) ctx.emit({ ts: s.ts, signal: "metric", name, value: s.value, source, fields, defaultAttrs: DEFAULTS, labels: labelSet });
    });
  });
}

export const prometheusAdapter: Adapter = {
  name: "prometheus",
  aliases: ["prom"],
  description: "Prometheus /api/v1/query_range (matrix) or /api/v1/query (vector) JSON → metric events",
  detect(head) {
    return head.trimStart().startsWith("{") && head.includes('"resultType"');
  },
  createParser(ctx) {
    return documentParser(ctx, (doc, lineNo) => readResponse(ctx, doc, lineNo));
  },
};
