/**
 * Which windows a policy applies to (fail closed): coverage by contradiction, not
 * by presence. A window whose manifest is silent on a key the policy scopes on is replayed — the
 * engine's own scope filter drops the events outside the policy — so a window captured with
 * `scope: {region: eu-west-1}` is evidence for a policy scoped `{service: core-dns}`. Only a key
 * present on both sides whose values cannot match makes a window "not covered".
 */
import { SCOPE_KEYS } from "../event.js";
import { compileGlob } from "./matcher.js";

type ScopeFilter = Partial<Record<(typeof SCOPE_KEYS)[number], string | undefined>>;

/** The scope keys on which the window's scope contradicts the policy's, in SCOPE_KEYS order. */
export function scopeContradictions(policyScope: ScopeFilter, windowScope: ScopeFilter): (typeof SCOPE_KEYS)[number][] {
  const out: (typeof SCOPE_KEYS)[number][] = [];
  for (const key of SCOPE_KEYS) {
    const want = policyScope[key],
      have = windowScope[key];
    if (want === undefined || have === undefined) continue;
    if (!compileGlob(want)(have)) out.push(key);
  }
  return out;
}

/**
 * True unless the window's scope contradicts the policy's: every key present in both must match
 * (exact, or a `*` glob in the policy). A policy with no scope, or a window silent on the
 * policy's keys, is covered.
 */
export function scopeCovers(policyScope: ScopeFilter, windowScope: ScopeFilter): boolean {
  return scopeContradictions(policyScope, windowScope).length === 0;
}
