/**
 * Declarative matchers compiled once into plain predicates. Globs support `*` only and are
 * matched by in-order substring search (linear, no backtracking); nothing from a policy is
 * ever turned into a regular expression or code.
 */
import type { AttrValue, NormalizedEvent } from "../event.js";
import { compileFieldPath } from "../field-path.js";
import type { Matcher, MatchValue } from "./schema.js";

export type EventPredicate = (e: NormalizedEvent) => boolean;
type ValuePredicate = (v: AttrValue | undefined) => boolean;

/** Compiles a `*` glob into a predicate over strings. */
export function compileGlob(pattern: string): (s: string) => boolean {
  const parts = pattern.split("*");
  if (parts.length === 1) return (s) => s === pattern;
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  const middle = parts.slice(1, -1).filter((p) => p.length > 0);
  const minLength = first.length + last.length;
  return (s) => {
    if (s.length < minLength || !s.startsWith(first) || !s.endsWith(last)) return false;
    let at = first.length;
    const end = s.length - last.length;
    for (const part of middle) {
      const found = s.indexOf(part, at);
      if (found === -1 || found + part.length > end) return false;
      at = found + part.length;
    }
    return true;
  };
}

function compileScalar(expected: string | number | boolean): ValuePredicate {
  if (typeof expected === "string" && expected.includes("*")) {
    const glob = compileGlob(expected);
    return (v) => typeof v === "string" && glob(v);
  }
  return (v) => v === expected;
}

function compileValue(spec: MatchValue): ValuePredicate {
  if (Array.isArray(spec)) {
    const any = spec.map(compileScalar);
    return (v) => any.some((p) => p(v));
  }
  if (typeof spec === "object" && spec !== null) {
    const checks: ValuePredicate[] = [];
    const { gt, gte, lt, lte, not } = spec;
    if (gt !== undefined) checks.push((v) => typeof v === "number" && v > gt);
    if (gte !== undefined) checks.push((v) => typeof v === "number" && v >= gte);
    if (lt !== undefined) checks.push((v) => typeof v === "number" && v < lt);
    if (lte !== undefined) checks.push((v) => typeof v === "number" && v <= lte);
    if (not !== undefined) {
      const negated = compileValue(not);
      checks.push((v) => !negated(v));
    }
    return (v) => checks.every((c) => c(v));
  }
  return compileScalar(spec);
}

/** Compiles a matcher: every key must match. An empty matcher matches every event. */
export function compileMatcher(matcher: Matcher): EventPredicate {
  const parts = Object.keys(matcher)
    .sort()
    .map((path) => {
      const get = compileFieldPath(path);
      const test = compileValue(matcher[path]!);
      return (e: NormalizedEvent) => test(get(e));
    });
  if (parts.length === 0) return () => true;
  if (parts.length === 1) return parts[0]!;
  if (parts.length === 2) {
    const [a, b] = parts as [EventPredicate, EventPredicate];
    return (e) => a(e) && b(e);
  }
  return (e) => parts.every((p) => p(e));
}
