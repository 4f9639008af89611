/** Base and head policy sets → pairs by `metadata.name`, and which pairs cover a window. */
import { compareStrings } from "../compare.js";
import { fail } from "../errors.js";
import type { LoadedPolicy } from "../policy/load.js";
import { scopeCovers } from "../policy/scope.js";
import type { WindowManifest } from "../window/manifest.js";

/** One policy across the change: a missing side means it was added (no base) or removed (no head). */
export interface PolicyPair {
  readonly name: string;
  readonly base: LoadedPolicy | null;
  readonly head: LoadedPolicy | null;
}

function byName(side: string, policies: readonly LoadedPolicy[]): Map<string, LoadedPolicy> {
  const m = new Map<string, LoadedPolicy>();
  for (const p of policies) {
    const name = p.doc.metadata.name;
    const twin = m.get(name);
    if (twin) fail({ file: p.file, path: "metadata.name", message: `${side} has two policies named "${name}" (also ${twin.file})`, hint: "each policy name may appear once per side" });
    m.set(name, p);
  }
  return m;
}

/** Pairs policies by name, sorted by name. Two policies of one name on one side are an input error. */
export function pairPolicies(base: readonly LoadedPolicy[], head: readonly LoadedPolicy[]): PolicyPair[] {
  const b = byName("base", base),
    h = byName("head", head);
  const names = [...new Set([...b.keys(), ...h.keys()])].sort(compareStrings);
  return names.map((name) => ({ name, base: b.get(name) ?? null, head: h.get(name) ?? null }));
}

/** Which side of a pair covers a window (its `scope` matches the manifest's scope). */
export function coverage(pair: PolicyPair, scope: WindowManifest["scope"]): { base: boolean; head: boolean } {
  return {
    base: pair.base !== null && scopeCovers(pair.base.doc.scope, scope),
    head: pair.head !== null && scopeCovers(pair.head.doc.scope, scope),
  };
}
