/**
 * Behaviour switches a gate config sets for a kind (`alertmanager.emulate`: the release whose
 * behaviour the simulator follows), applied to a compiled policy the same way by `replay`,
 * `diff`, `check` and the Action.
 */
import type { ReplayGateConfig } from "../config.js";
import { withOptions, type AlertmanagerCompiled } from "./alertmanager/index.js";
import { EMULATED_RELEASES } from "./alertmanager/simulator.js";
import type { LoadedKindPolicy } from "./registry.js";

/** The part of the gate config that kinds read. */
export type KindSettings = Pick<ReplayGateConfig, "alertmanager">;

/** The policy with the config's switches applied (unchanged for kinds without any). */
export function withKindSettings(policy: LoadedKindPolicy, settings: KindSettings | undefined): LoadedKindPolicy {
  if (policy.kind.id !== "alertmanager") return policy;
  const release = settings?.alertmanager?.emulate ?? "0.25";
  return { ...policy, compiled: withOptions(policy.compiled as AlertmanagerCompiled, EMULATED_RELEASES[release]) };
}
