/**
 * How a policy admits one event, before any state: out of its scope, dropped by a suppress rule,
 * or admitted to the detect rules it matches (the pipeline's first step, docs/engine.md#the-pipeline). The engine, the divergence
 * explanation and the timeline binner all decide it here, so they cannot disagree.
 */
import type { NormalizedEvent } from "../event.js";
import type { CompiledPolicy, CompiledSuppress } from "../policy/compile.js";

/** `"out-of-scope"`, the suppress rule that drops the event, or `null` when it is admitted. */
export function admission(policy: CompiledPolicy, e: NormalizedEvent): "out-of-scope" | CompiledSuppress | null {
  if (!policy.inScope(e)) return "out-of-scope";
  const rules = policy.suppressBySignal[e.signal];
  for (let i = 0; i < rules.length; i++) if (rules[i]!.test(e)) return rules[i]!;
  return null;
}

/** Indexes (into `policy.detect`) of the detect rules an admitted event matches, in rule order. */
export function detectMatches(policy: CompiledPolicy, e: NormalizedEvent): number[] {
  return policy.detectBySignal[e.signal].filter((i) => policy.detect[i]!.match(e));
}
