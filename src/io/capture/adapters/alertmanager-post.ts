/**
 * A tap of what was POSTed to Alertmanager's `/api/v2/alerts`, one JSON object per line:
 * `{"received_at": "<RFC 3339>", "alerts": [<PostableAlert>, ...]}` (labels, annotations,
 * startsAt, endsAt, generatorURL). This is the unbiased input of an Alertmanager replay: every
 * alert as the senders sent it, before routing, grouping, inhibition or silencing.
 *
 * Each alert becomes an `alert` event at `received_at`, named after its `alertname`, with its
 * label set, annotations and `starts_at` / `ends_at` kept whole. Re-sends are kept: Alertmanager
 * merges them, and so does the replay. An alert Alertmanager would reject (no labels, an invalid
 * label name, `endsAt` before `startsAt`) is rejected here with its line and index.
 */
import { GO_ZERO_TIME } from "../../../core/capture/epoch.js";
import { alertFields, nullRecord } from "../../../core/capture/record.js";
import type { AttrValue, Severity } from "../../../core/event.js";
import { FORBIDDEN_KEYS } from "../../../core/event.js";
import { parseTimestamp } from "../../../core/time.js";
import { firstLine, jsonLineParser, own, ownString, type JsonObject } from "./json-line.js";
import type { Adapter, AdapterContext } from "./types.js";

const DEFAULTS: readonly string[] = ["generator_url"];
const SEVERITY = new Map<string, Severity>([
  ["critical", "critical"],
  ["page", "critical"],
  ["error", "major"],
  ["major", "major"],
  ["warning", "minor"],
  ["warn", "minor"],
  ["minor", "minor"],
  ["info", "info"],
  ["none", "info"],
]);
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A label or annotation map as Alertmanager validates it; an error message when it would refuse it. */
function readLabelMap(v: unknown, where: string, dropEmpty: boolean): Record<string, string> | string {
  if (v === undefined || v === null) return nullRecord<string>();
  if (!isObject(v)) return `${where}: expected an object of strings`;
  const out = nullRecord<string>();
  for (const k of Object.keys(v)) {
    const val = v[k];
    if (typeof val !== "string") return `${where}.${k}: expected a string`;
    if (!LABEL_NAME.test(k) || FORBIDDEN_KEYS.has(k)) return `${where}.${k}: invalid label name`;
    if (dropEmpty && val === "") continue;
    out[k] = val;
  }
  return out;
}

function readTime(o: JsonObject, key: string): number | undefined | string {
  const v = own(o, key);
  if (v === undefined || v === null || v === "" || v === GO_ZERO_TIME) return undefined;
  if (typeof v !== "string") return `${key}: expected an RFC 3339 time`;
  return parseTimestamp(v) ?? `${key}: expected an RFC 3339 time like 2026-02-26T10:12:00.123Z`;
}

function readLine(ctx: AdapterContext, o: JsonObject, lineNo: number): void {
  const receivedText = ownString(o, "received_at");
  const received = receivedText === undefined ? undefined : parseTimestamp(receivedText);
  if (received === undefined) {
    ctx.reject(lineNo, "received_at: expected the RFC 3339 time Alertmanager received the POST");
    return;
  }
  const alerts = own(o, "alerts");
  if (!Array.isArray(alerts)) {
    ctx.reject(lineNo, "alerts: expected the POSTed array of alerts");
    return;
  }
  if (alerts.length === 0) ctx.ignore();
  alerts.forEach((a: unknown, i) => {
    const where = `alerts[${i}]`;
    if (!isObject(a)) return ctx.reject(lineNo, `${where}: expected an object`);
    const labels = readLabelMap(own(a, "labels"), `${where}.labels`, true);
    if (typeof labels === "string") return ctx.reject(lineNo, labels);
    if (Object.keys(labels).length === 0) return ctx.reject(lineNo, `${where}.labels: at least one label pair required`);
    const annotations = readLabelMap(own(a, "annotations"), `${where}.annotations`, false);
    if (typeof annotations === "string") return ctx.reject(lineNo, annotations);
    const startsAt = readTime(a, "startsAt");
    if (typeof startsAt === "string") return ctx.reject(lineNo, `${where}.${startsAt}`);
    const endsAt = readTime(a, "endsAt");
    if (typeof endsAt === "string") return ctx.reject(lineNo, `${where}.${endsAt}`);
    if (startsAt !== undefined && endsAt !== undefined && endsAt < startsAt) return ctx.reject(lineNo, `${where}: start time must be before end time`);
    const generator = own(a, "generatorURL");
    const computed: Record<string, AttrValue | undefined> = { generator_url: typeof generator === "string" && generator !== "" ? generator : undefined };
    const fields = alertFields(computed, labels, annotations, () => [...Object.keys(labels), "generator_url"]);
    const sev = labels.severity === undefined ? undefined : SEVERITY.get(labels.severity.toLowerCase());
    ctx.emit({
      ts: received,
      signal: "alert",
      name: labels.alertname ?? "alert",
      severity: sev,
      source: labels.instance,
      fields,
      defaultAttrs: DEFAULTS,
      labels: { ...labels },
      ...(Object.keys(annotations).length > 0 ? { annotations: { ...annotations } } : {}),
      ...(startsAt !== undefined ? { starts_at: startsAt } : {}),
      ...(endsAt !== undefined ? { ends_at: endsAt } : {}),
    });
  });
}

export const alertmanagerPostAdapter: Adapter = {
  name: "alertmanager-post",
  aliases: ["am-post"],
  description: "a JSON-lines tap of POSTs to Alertmanager's /api/v2/alerts ({received_at, alerts}) → alert events with labels",
  detect(head) {
    const line = firstLine(head);
    return line.startsWith("{") && line.includes('"received_at"') && line.includes('"alerts"');
  },
  createParser(ctx) {
    return jsonLineParser(ctx, (o, _text, lineNo) => readLine(ctx, o, lineNo));
  },
};
