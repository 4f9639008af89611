/** Our own `CorrelationPolicy` (docs/formats.md#correlation-policy, docs/engine.md) as the first kind behind the seam. */
import { Engine } from "../../engine/engine.js";
import type { ActionDecision, AlertGroup, ReplayCounts, TraceEntry } from "../../engine/types.js";
import { compilePolicy, type CompiledPolicy } from "../../policy/compile.js";
import { policySchema } from "../../policy/schema.js";
import { validateYaml } from "../../yaml.js";
import type { PolicyKind } from "../kind.js";

/** What only a correlation replay has. */
export interface CorrelationExtras {
  readonly counts: ReplayCounts;
  readonly groups: readonly AlertGroup[];
  readonly decisions: readonly ActionDecision[];
  readonly trace: readonly TraceEntry[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export const correlationKind: PolicyKind<CompiledPolicy, CorrelationExtras> = {
  id: "correlation",
  label: "correlation policy",
  recognise: (doc) => isRecord(doc) && doc.kind === "CorrelationPolicy",
  compile(yaml) {
    const doc = validateYaml(yaml, policySchema);
    return { name: doc.metadata.name, version: doc.metadata.version, scope: doc.scope, compiled: compilePolicy(doc) };
  },
  start(compiled) {
    const engine = new Engine(compiled);
    return {
      push: (event, id) => engine.push(event, id),
      finish() {
        const r = engine.finish();
        const { alerts, groups, incidents, events } = r.counts;
        return {
          kind: "correlation",
          counts: { events, alerts, groups, incidents },
          incidents: r.incidents,
          trace_signature: r.trace_signature,
          timeline_signature: r.timeline_signature,
          extras: { counts: r.counts, groups: r.groups, decisions: r.decisions, trace: r.trace },
        };
      },
    };
  },
};
