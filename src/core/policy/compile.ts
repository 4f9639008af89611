/**
 * Compiles a validated policy into plain functions once, so the per-event path does no
 * lookups by name and no interpretation of the YAML.
 */
import { compileThreshold, type AnyThreshold } from "../engine/detect/kinds.js";
import { SEVERITIES, SIGNALS, type NormalizedEvent, type Severity, type Signal } from "../event.js";
import { compileFieldPath, type FieldGetter } from "../field-path.js";
import { compileFingerprint, compileTupleKey } from "../tuple.js";
import { compileMatcher, type EventPredicate } from "./matcher.js";
import type { ActionRule, Matcher, PolicyDoc } from "./schema.js";

/** The signals a matcher can accept: those its `signal` key names (without globs), else all. */
function signalsOf(match: Matcher): readonly Signal[] {
  const spec = match.signal;
  const named = typeof spec === "string" ? [spec] : Array.isArray(spec) ? spec : undefined;
  if (named === undefined || named.some((v) => typeof v !== "string" || v.includes("*"))) return SIGNALS;
  return SIGNALS.filter((sig) => named.includes(sig));
}

/** Lists each item under every signal it can match, keeping the items' order. */
function bySignal<T>(items: readonly T[], signals: readonly (readonly Signal[])[]): Record<Signal, T[]> {
  const out = Object.fromEntries(SIGNALS.map((sig) => [sig, [] as T[]])) as Record<Signal, T[]>;
  items.forEach((item, i) => {
    for (const sig of signals[i]!) out[sig].push(item);
  });
  return out;
}

export interface CompiledSuppress {
  readonly id: string;
  readonly test: EventPredicate;
}

export interface CompiledDetect {
  readonly id: string;
  readonly match: EventPredicate;
  /** When the rule fires, by kind (`count`: N events within D; `level`: a value past X for D). */
  readonly threshold: AnyThreshold;
  readonly fingerprint: (e: NormalizedEvent) => string;
  readonly severity: Severity | undefined;
  readonly standalone: boolean;
}

export interface CompiledInhibit {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  readonly equal: readonly FieldGetter[];
  /** The `equal` values of an event as an exact key; undefined when one is missing (it equals nothing). */
  readonly key: (e: NormalizedEvent) => string | undefined;
}

export interface CompiledCorrelate {
  readonly id: string;
  readonly rules: ReadonlySet<string>;
  readonly on: readonly FieldGetter[];
  readonly withinMs: number;
  /** The `on` values of an event as an exact key; undefined when one is missing (it equals nothing). */
  readonly key: (e: NormalizedEvent) => string | undefined;
}

export interface CompiledAction {
  readonly rule: ActionRule;
  readonly targetPath: string;
  readonly target: FieldGetter;
}

/** A policy ready to run. */
export interface CompiledPolicy {
  readonly doc: PolicyDoc;
  readonly inScope: EventPredicate;
  readonly suppress: readonly CompiledSuppress[];
  readonly detect: readonly CompiledDetect[];
  /**
   * Per signal, the suppress rules that can match it, in policy order: most matchers name a
   * signal, so an event is tested only against the rules that could apply to it.
   */
  readonly suppressBySignal: Readonly<Record<Signal, readonly CompiledSuppress[]>>;
  /** Per signal, the indexes (into `detect`) of the detect rules that can match it, in policy order. */
  readonly detectBySignal: Readonly<Record<Signal, readonly number[]>>;
  /** Inhibit rules by target detect rule id. */
  readonly inhibitByTarget: ReadonlyMap<string, readonly CompiledInhibit[]>;
  readonly correlate: readonly CompiledCorrelate[];
  /** Correlate rules by detect rule id. */
  readonly correlateByRule: ReadonlyMap<string, readonly CompiledCorrelate[]>;
  readonly dedupeMs: number;
  /** The longest correlate `within`: groups older than this can link to nothing new. */
  readonly maxWithinMs: number;
  readonly actions: readonly CompiledAction[];
}

/**
 * `rule/part/part`: each part by `fingerprintPart` (core/tuple.ts), so the string is an unambiguous tuple
 * (`A/B` + `C` is `"A/B"/C`, not `A/B/C`; a missing value `-` differs from the string `"-"`; the
 * number `1` from the string `"1"`) and stays readable for plain values (`bgp-flap/POP-1/peer`).
 */
function compileRuleFingerprint(ruleId: string, parts: readonly string[]): (e: NormalizedEvent) => string {
  // Groups are always per rule; `rule` in a fingerprint only decides whether it is spelled out.
  return compileFingerprint(ruleId, parts.filter((p) => p !== "rule").map(compileFieldPath));
}

function tupleKeyOf(getters: readonly FieldGetter[]): (e: NormalizedEvent) => string | undefined {
  return compileTupleKey(getters);
}

function compileScope(scope: PolicyDoc["scope"]): EventPredicate {
  const entries = Object.entries(scope).filter((entry): entry is [string, string] => entry[1] !== undefined);
  if (entries.length === 0) return () => true;
  return compileMatcher(Object.fromEntries(entries.map(([k, v]) => [`scope.${k}`, v])));
}

/**
 * The severity constant equal to `s`, not the string the YAML parser made. The engine looks its
 * rank up by it (`SEVERITY_RANK[rule.severity]`) once per alert: Node 24's mid-tier compiler
 * (Maglev) checks such a key by identity against the name it has seen, so with a parsed string
 * equal to "major" but not the same string each optimized version of the engine's firing path
 * was thrown away at its next alert and compiled again (51 times in one `diff` of the 60k
 * chained-peers window).
 */
function canonicalSeverity(s: Severity | undefined): Severity | undefined {
  return s === undefined ? undefined : SEVERITIES.find((x) => x === s);
}

/** Compiles a validated policy document. */
export function compilePolicy(doc: PolicyDoc): CompiledPolicy {
  const suppress = doc.suppress.map((rule): CompiledSuppress => {
    const match = compileMatcher(rule.match);
    const { below, above, during } = rule;
    return {
      id: rule.id,
      test: (e) =>
        match(e) &&
        (below === undefined || (e.value !== undefined && e.value < below)) &&
        (above === undefined || (e.value !== undefined && e.value > above)) &&
        (during === undefined || (e.ts >= during.from && e.ts < during.to)),
    };
  });
  const detect = doc.detect.map((rule): CompiledDetect => {
    return {
      id: rule.id,
      match: compileMatcher(rule.match),
      threshold: compileThreshold(rule.threshold),
      fingerprint: compileRuleFingerprint(rule.id, rule.fingerprint),
      severity: canonicalSeverity(rule.severity),
      standalone: rule.standalone,
    };
  });
  const inhibitByTarget = new Map<string, CompiledInhibit[]>();
  for (const rule of doc.inhibit) {
    const list = inhibitByTarget.get(rule.target) ?? [];
    const equal = rule.equal.map(compileFieldPath);
    list.push({ id: rule.id, source: rule.source, target: rule.target, equal, key: tupleKeyOf(equal) });
    inhibitByTarget.set(rule.target, list);
  }
  const correlate = doc.correlate.map((rule): CompiledCorrelate => {
    const on = rule.on.map(compileFieldPath);
    return { id: rule.id, rules: new Set(rule.join), on, withinMs: rule.within, key: tupleKeyOf(on) };
  });
  const correlateByRule = new Map<string, CompiledCorrelate[]>();
  for (const c of correlate) {
    for (const r of c.rules) correlateByRule.set(r, [...(correlateByRule.get(r) ?? []), c]);
  }
  return {
    doc,
    inScope: compileScope(doc.scope),
    suppress,
    detect,
    suppressBySignal: bySignal(
      suppress,
      doc.suppress.map((r) => signalsOf(r.match)),
    ),
    detectBySignal: bySignal(
      detect.map((_, i) => i),
      doc.detect.map((r) => signalsOf(r.match)),
    ),
    inhibitByTarget,
    correlate,
    correlateByRule,
    dedupeMs: doc.group.dedupe_within,
    maxWithinMs: correlate.reduce((m, c) => Math.max(m, c.withinMs), 0),
    actions: doc.actions.map((rule) => ({ rule, targetPath: rule.target, target: compileFieldPath(rule.target) })),
  };
}
