/**
 * Alertmanager webhook payloads (version 4): `{version, groupKey, status, receiver, alerts: [{status,
 * labels, annotations, startsAt, endsAt, fingerprint}]}`, one per file or one per line.
 *
 * Each alert is an `alert` event named after its `alertname` at `startsAt` with `attrs.status:
 * firing`, and, once a notification says it resolved, a second event at `endsAt` with `status:
 * resolved`. `endsAt` is `0001-01-01T00:00:00Z` (Go's zero time) while firing. Alertmanager re-sends
 * a group's alerts in every later notification: an alert is identified by its fingerprint and
 * `startsAt`, so re-sent copies, across all the files of one capture, are counted as duplicates.
 * Labels are fields under their own names; annotations under `annotations.<name>`.
 */
import { GO_ZERO_TIME } from "../../../core/capture/epoch.js";
import { alertFields, nullRecord } from "../../../core/capture/record.js";
import { canonicalJson, sha256Hex } from "../../../core/hash.js";
import type { AttrValue, Severity } from "../../../core/event.js";
import { parseTimestamp } from "../../../core/time.js";
import { documentParser } from "./documents.js";
import { own, ownString, type JsonObject } from "./json-line.js";
import type { Adapter, AdapterContext } from "./types.js";

const DEFAULTS: readonly string[] = ["*"];
const SEEN = "alertmanager.seen";

/** Prometheus' customary `severity` label values onto the four event severities. */
const SEVERITY = new Map<string, Severity>([
  ["critical", "critical"],
  ["page", "critical"],
  ["emergency", "critical"],
  ["fatal", "critical"],
  ["error", "major"],
  ["major", "major"],
  ["high", "major"],
  ["warning", "minor"],
  ["warn", "minor"],
  ["minor", "minor"],
  ["medium", "minor"],
  ["info", "info"],
  ["informational", "info"],
  ["none", "info"],
  ["low", "info"],
]);

function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function stringMap(v: unknown): Record<string, string> {
  const out = nullRecord<string>();
  if (!isObject(v)) return out;
  for (const key of Object.keys(v)) if (typeof v[key] === "string") out[key] = v[key] as string;
  return out;
}

function readPayload(ctx: AdapterContext, doc: unknown, lineNo: number): void {
  if (!isObject(doc) || !Array.isArray(own(doc, "alerts"))) {
    ctx.reject(lineNo, "expected an Alertmanager webhook payload with an alerts list");
    return;
  }
  const version = own(doc, "version");
  if (version !== undefined && version !== "4") {
    ctx.reject(lineNo, `version: expected "4", found ${JSON.stringify(version)}`);
    return;
  }
  let seen = ctx.shared.get(SEEN) as Set<string> | undefined;
  if (seen === undefined) ctx.shared.set(SEEN, (seen = new Set()));
  const receiver = ownString(doc, "receiver");
  const groupKey = ownString(doc, "groupKey");
  (own(doc, "alerts") as unknown[]).forEach((alert, i) => {
    const where = `alerts[${i}]`;
    if (!isObject(alert)) {
      ctx.reject(lineNo, `${where}: expected an object`);
      return;
    }
    const labels = stringMap(own(alert, "labels"));
    const annotations = stringMap(own(alert, "annotations"));
    const startsAtText = ownString(alert, "startsAt");
    const startsAt = startsAtText === undefined ? undefined : parseTimestamp(startsAtText);
    if (startsAt === undefined || startsAtText === GO_ZERO_TIME) {
      ctx.reject(lineNo, `${where}.startsAt: expected an RFC 3339 time`);
      return;
    }
    const endsAtText = ownString(alert, "endsAt");
    const endsAt = endsAtText === undefined || endsAtText === GO_ZERO_TIME ? undefined : parseTimestamp(endsAtText);
    if (endsAtText !== undefined && endsAtText !== GO_ZERO_TIME && endsAt === undefined) {
      ctx.reject(lineNo, `${where}.endsAt: expected an RFC 3339 time or ${GO_ZERO_TIME}`);
      return;
    }
    const status = ownString(alert, "status") ?? ownString(doc, "status") ?? "firing";
    if (status !== "firing" && status !== "resolved") {
      ctx.reject(lineNo, `${where}.status: expected firing or resolved, found ${JSON.stringify(status)}`);
      return;
    }
    // Payloads before Alertmanager 0.19 have no fingerprint; the label set identifies the alert.
    const fingerprint = ownString(alert, "fingerprint") ?? sha256Hex(canonicalJson({ ...labels })).slice(0, 16);
    const name = labels.alertname ?? "alert";
    const severity = labels.severity === undefined ? undefined : SEVERITY.get(labels.severity.toLowerCase());
    const labelNames = Object.keys(labels);
    const emit = (ts: number, state: "firing" | "resolved") => {
      const key = `${fingerprint}|${startsAt}|${state}`;
      if (seen.has(key)) {
        ctx.duplicate();
        return;
      }
      seen.add(key);
      const computed: Record<string, AttrValue | undefined> = {
        status: state,
        fingerprint,
        receiver,
        group_key: groupKey,
        generator_url: ownString(alert, "generatorURL"),
        starts_at: startsAtText,
        ends_at: endsAt === undefined ? undefined : endsAtText,
      };
      const fields = alertFields(computed, labels, annotations, () => [...labelNames, "status", "fingerprint"]);
      ctx.emit({ ts, signal: "alert", name, severity, source: labels.instance, fields, defaultAttrs: DEFAULTS });
    };
    emit(startsAt, "firing");
    if (status === "resolved" && endsAt !== undefined) emit(endsAt, "resolved");
  });
}

export const alertmanagerAdapter: Adapter = {
  name: "alertmanager",
  aliases: ["am"],
  description: "Alertmanager webhook payloads (version 4), one per file or per line → alert events",
  detect(head) {
    return head.trimStart().startsWith("{") && head.includes('"alerts"') && (head.includes('"groupKey"') || head.includes('"receiver"'));
  },
  createParser(ctx) {
    return documentParser(ctx, (doc, lineNo) => readPayload(ctx, doc, lineNo));
  },
};
