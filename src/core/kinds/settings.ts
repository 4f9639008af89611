/**
 * Behaviour switches a gate config sets for a kind (`alertmanager.emulate`: the release whose
 * behaviour the simulator follows; `prometheus_rules`: the evaluation interval, the resend delay
 * and the Alertmanager configuration rule files feed), applied to a compiled policy the same way
 * by `replay`, `diff`, `check` and the Action.
 */
import type { ReplayGateConfig } from "../config.js";
import { parseDuration } from "../time.js";
import { loadAlertmanagerConfig } from "./alertmanager/config.js";
import { withOptions, type AlertmanagerCompiled } from "./alertmanager/index.js";
import { EMULATED_RELEASES } from "./alertmanager/simulator.js";
import { withChain, withRuleOptions, type CompiledRules } from "./prometheus-rules/index.js";
import { DEFAULT_RESEND_DELAY_MS } from "./prometheus-rules/notify.js";
import type { LoadedKindPolicy } from "./registry.js";

/** The Alertmanager release emulated when the config sets no `alertmanager.emulate`. */
export const DEFAULT_EMULATED_RELEASE = "0.25";

/** The part of the gate config that kinds read. */
export type KindSettings = Partial<Pick<ReplayGateConfig, "alertmanager" | "prometheus_rules">>;

/** The Alertmanager configuration a side's rule files feed: its text as that side has it, or null when that side has none. */
export interface ChainedConfig {
  readonly file: string;
  readonly text: string | null;
}

/** The policy with the config's switches applied (unchanged for kinds without any). */
export function withKindSettings(policy: LoadedKindPolicy, settings: KindSettings | undefined, chained?: ChainedConfig): LoadedKindPolicy {
  const release = EMULATED_RELEASES[settings?.alertmanager?.emulate ?? DEFAULT_EMULATED_RELEASE];
  if (policy.kind.id === "alertmanager") return { ...policy, compiled: withOptions(policy.compiled as AlertmanagerCompiled, release) };
  if (policy.kind.id !== "prometheus-rules") return policy;
  const pr = settings?.prometheus_rules;
  let compiled = policy.compiled as CompiledRules;
  // The schema admits only well-formed durations, so parseDuration cannot fail here.
  if (pr?.evaluation_interval !== undefined) compiled = withRuleOptions(compiled, { evaluationIntervalMs: parseDuration(pr.evaluation_interval)! });
  if (chained !== undefined) {
    // A side without the configuration sends its alerts nowhere: no notifications on that side.
    const resendDelayMs = pr?.resend_delay === undefined ? DEFAULT_RESEND_DELAY_MS : parseDuration(pr.resend_delay)!;
    compiled = withChain(compiled, chained.text === null ? null : { file: chained.file, config: loadAlertmanagerConfig(chained.text, chained.file), simulator: release, resendDelayMs });
  }
  return { ...policy, compiled };
}
