/**
 * The gate config's settings that change what a replay decides pages, as the evidence digest and
 * the report's `inputs.settings` record them (docs/report.md#the-evidence-digest). Canonical, so
 * that two configs replaying alike record alike: only the settings of a kind head has policies of,
 * only when they differ from their default (or, the chained path having none, are set), durations
 * in their largest whole unit and the chained path without a leading `./`. Correlation policies
 * read no such setting, so a correlation-only run records nothing and keeps its earlier digest.
 *
 * Not recorded, because they do not change what a replay produces: `policies` and `windows` (what
 * they select is in the digest by name and hash), `thresholds` (re-applied to every run's report),
 * `approvals` and `environments` (who may approve, not what is approved) and `limits` (a window
 * over a limit is an input error, never a different result).
 */
import type { KindSettings } from "../kinds/settings.js";
import { DEFAULT_EMULATED_RELEASE } from "../kinds/settings.js";
import { DEFAULT_RULE_OPTIONS } from "../kinds/prometheus-rules/index.js";
import { DEFAULT_RESEND_DELAY_MS } from "../kinds/prometheus-rules/notify.js";
import type { EvidenceSettings } from "../model/report.js";
import { formatDuration, parseDuration } from "../time.js";

export type { EvidenceSettings };

/** Which kinds of policy head has (correlation policies read no setting). */
export interface HeadKinds {
  readonly alertmanager: boolean;
  readonly rules: boolean;
}

/** `./a//b/./c.yml` → `a/b/c.yml`: one spelling per file the chain can point at. */
export function canonicalChainPath(path: string): string {
  const absolute = path.startsWith("/");
  const kept = path.split("/").filter((segment) => segment !== "" && segment !== ".");
  return (absolute ? "/" : "") + kept.join("/");
}

/** A duration the config schema admitted, canonical; undefined when it equals the default. */
function nonDefaultDuration(value: string | undefined, defaultMs: number): string | undefined {
  if (value === undefined) return undefined;
  // The config schema admits only durations parseDuration reads.
  const ms = parseDuration(value)!;
  return ms === defaultMs ? undefined : formatDuration(ms);
}

/** The record of `settings` that applies to head's policies; undefined when there is nothing to record. */
export function evidenceSettings(settings: KindSettings | undefined, head: HeadKinds): EvidenceSettings | undefined {
  const chainPath = head.rules ? settings?.prometheus_rules?.alertmanager : undefined;
  const chained = chainPath !== undefined;
  const out: { -readonly [K in keyof EvidenceSettings]: EvidenceSettings[K] } = {};
  const emulate = settings?.alertmanager?.emulate ?? DEFAULT_EMULATED_RELEASE;
  // The emulated release decides Alertmanager configurations and the configuration rule files are chained into.
  if ((head.alertmanager || chained) && emulate !== DEFAULT_EMULATED_RELEASE) out.alertmanager = { emulate };
  if (head.rules) {
    const pr = settings?.prometheus_rules;
    const rules: NonNullable<EvidenceSettings["prometheus_rules"]> = {
      ...optional("evaluation_interval", nonDefaultDuration(pr?.evaluation_interval, DEFAULT_RULE_OPTIONS.evaluationIntervalMs)),
      // Only a chained rule file re-sends its alerts.
      ...optional("resend_delay", chained ? nonDefaultDuration(pr?.resend_delay, DEFAULT_RESEND_DELAY_MS) : undefined),
      ...optional("alertmanager", chained ? canonicalChainPath(chainPath) : undefined),
    };
    if (Object.keys(rules).length > 0) out.prometheus_rules = rules;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
