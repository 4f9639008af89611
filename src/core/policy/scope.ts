/** Which windows a policy applies to: its `scope` must cover the window manifest's scope. */
import { SCOPE_KEYS } from "../event.js";
import { compileGlob } from "./matcher.js";

type ScopeFilter = Partial<Record<(typeof SCOPE_KEYS)[number], string | undefined>>;

/**
 * True when every key the policy scopes on is present in the window's scope with a matching
 * value (exact, or a `*` glob). A policy with no scope covers every window.
 */
export function scopeCovers(policyScope: ScopeFilter, windowScope: ScopeFilter): boolean {
  for (const key of SCOPE_KEYS) {
    const want = policyScope[key];
    if (want === undefined) continue;
    const have = windowScope[key];
    if (have === undefined || !compileGlob(want)(have)) return false;
  }
  return true;
}
