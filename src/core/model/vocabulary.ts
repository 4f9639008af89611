/**
 * The closed lists every schema and module of the model names: signals, severities, scope
 * dimensions, action decisions, trace labels, the sections of a CorrelationPolicy, run modes and
 * environment postures. Each is
 * declared here once; schemas take them as `z.enum(...)`, code iterates them in this order.
 */

export const SIGNALS = ["flow", "bgp", "dns", "metric", "alert", "log"] as const;
export type Signal = (typeof SIGNALS)[number];

export const SEVERITIES = ["info", "minor", "major", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The blast-radius dimensions of an event's and a window's scope. */
export const SCOPE_KEYS = ["service", "region", "pop", "host"] as const;
export type ScopeKey = (typeof SCOPE_KEYS)[number];

/** What a replay decided for an (action, incident) pair; a replay never performs an action. */
export const DECISIONS = ["would-run", "gated", "blocked", "run"] as const;
export type Decision = (typeof DECISIONS)[number];

/** The kinds of engine step a trace records. */
export const TRACE_LABELS = ["alert.fire", "alert.inhibit", "group.open", "incident.open", "incident.grow", "action.decide"] as const;
export type TraceLabel = (typeof TRACE_LABELS)[number];

/** Sections of a CorrelationPolicy that hold rules with ids, in document order. */
export const RULE_SECTIONS = ["suppress", "inhibit", "detect", "correlate", "actions"] as const;
export type RuleSection = (typeof RULE_SECTIONS)[number];

/** Sections of a CorrelationPolicy that are one setting each (compared as a whole, no ids). */
export const SETTING_SECTIONS = ["metadata", "scope", "mode", "group", "incident"] as const;
export type SettingSection = (typeof SETTING_SECTIONS)[number];

/** Every section, in the order a policy document lists them (and report.json's `semantic` enum names them). */
export const POLICY_SECTIONS = ["metadata", "scope", "mode", "suppress", "inhibit", "detect", "group", "correlate", "incident", "actions"] as const satisfies readonly (RuleSection | SettingSection)[];
export type PolicySection = (typeof POLICY_SECTIONS)[number];

// POLICY_SECTIONS holds every rule and setting section: a section added to one list and not to it fails to compile.
const _everySection: [Exclude<RuleSection | SettingSection, PolicySection>] extends [never] ? true : never = true;

/** Why the thresholds verdict fails (report.json `evaluation.reasons[].code`); missing evidence first, then regressions. */
export const REASON_CODES = [
  "nothing-replayed",
  "no-evidence",
  "expectation-regression",
  "expectation-failed",
  "parity-below-min",
  "incidents-added",
  "incidents-removed",
  "nondeterministic",
  "blast-radius",
  "pages-lost",
  "notifications-added",
  "notification-delayed",
  "alerts-lost",
  "alerts-added",
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

/** Why the gate's verdict is what it is, on top of the thresholds (report.json `gate.reasons[].code`). */
export const GATE_REASON_CODES = ["thresholds", "breach-accepted", "breach-not-acceptable", "approvals-missing", "posture-locked", "config-changed", "no-pull-request"] as const;
export type GateReasonCode = (typeof GATE_REASON_CODES)[number];

/** Severity rank for max(): info < minor < major < critical. */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { info: 0, minor: 1, major: 2, critical: 3 };

/** How a policy runs its actions: `dry-run` decides and records, `enforce` acts (policies, audit and run records, reports). */
export const RUN_MODES = ["dry-run", "enforce"] as const;
export type RunMode = (typeof RUN_MODES)[number];

/** How an environment is governed (the gate config's `environments`, the gate, audit records). */
export const POSTURES = ["locked", "governed", "open"] as const;
export type Posture = (typeof POSTURES)[number];
