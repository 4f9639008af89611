/**
 * Prometheus rule files (`groups:`) and `PrometheusRule` resources (`spec.groups`): validated with
 * promtool's `check rules` acceptance (unknown fields, duplicate groups, record xor alert, valid
 * names, parseable PromQL and templates), every problem located at file:line:column and path.
 */
import { isScalar, LineCounter, parseDocument, type Scalar } from "yaml";
import { InputError, formatPath, type Problem } from "../../errors.js";
import type { Expr } from "../../promql/ast.js";
import { parsePromql, PromqlError } from "../../promql/parse.js";
import type { LocatedYaml } from "../../yaml.js";
import { parseTemplate, TemplateError, type Template } from "./template.js";

/** One compiled rule. */
export interface CompiledRule {
  readonly kind: "alert" | "record";
  /** The alert name or the recorded metric name. */
  readonly name: string;
  readonly expr: Expr;
  readonly exprText: string;
  /** ms. */
  readonly forMs: number;
  /** ms. */
  readonly keepFiringForMs: number;
  readonly labels: readonly (readonly [string, Template])[];
  readonly annotations: readonly (readonly [string, Template])[];
  /** `groups[0].rules[2]`, for messages. */
  readonly path: string;
}

/** One compiled group. */
export interface CompiledGroup {
  readonly name: string;
  /** ms; undefined = the evaluation interval of the run. */
  readonly intervalMs: number | undefined;
  /** 0 = no limit. */
  readonly limit: number;
  readonly rules: readonly CompiledRule[];
}

const GROUP_KEYS = new Set(["name", "interval", "limit", "rules"]);
const RULE_KEYS = new Set(["record", "alert", "expr", "for", "keep_firing_for", "labels", "annotations"]);
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const UNIT_MS = [365 * 86_400_000, 7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1];

/** Prometheus' model.Duration (`1h30m`, `0`); undefined when malformed. */
export function parseRuleDuration(s: string): number | undefined {
  if (s === "0") return 0;
  if (s === "") return undefined;
  const m = DURATION.exec(s);
  if (m === null) return undefined;
  let total = 0;
  for (let i = 0; i < UNIT_MS.length; i++) if (m[i + 1] !== undefined) total += Number(m[i + 1]) * UNIT_MS[i]!;
  return total;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** True for a rule file or a PrometheusRule resource. */
export function isRulesDocument(doc: unknown): boolean {
  if (!isRecord(doc)) return false;
  if (doc.kind === "PrometheusRule" && typeof doc.apiVersion === "string" && doc.apiVersion.startsWith("monitoring.coreos.com/")) return true;
  return Array.isArray(doc.groups) && doc.kind === undefined && doc.route === undefined;
}

/** Compiles every group of a rule file; throws InputError with every problem found. */
export function compileRulesFile(yaml: LocatedYaml, text: string): { name: string | undefined; groups: CompiledGroup[] } {
  const problems: Problem[] = [];
  const doc = yaml.value as Record<string, unknown>;
  const lc = new LineCounter();
  const ydoc = parseDocument(text, { lineCounter: lc, version: "1.2" });
  const problem: ProblemFn = (path, message, hint, at) => {
    problems.push({ file: yaml.file, ...(at ?? yaml.locate(path)), path: formatPath(path) || undefined, message, hint });
  };
  let root: (string | number)[] = [];
  let groupsRaw: unknown = doc.groups;
  let name: string | undefined;
  if (doc.kind === "PrometheusRule") {
    root = ["spec"];
    const spec = doc.spec;
    if (!isRecord(spec)) problem(["spec"], "a PrometheusRule needs a spec with groups");
    else {
      for (const k of Object.keys(spec)) if (k !== "groups") problem(["spec", k], `unknown field "${k}"`, "a PrometheusRule spec holds groups only");
      groupsRaw = spec.groups;
    }
    const md = doc.metadata;
    if (isRecord(md) && typeof md.name === "string") name = md.name;
  } else {
    for (const k of Object.keys(doc)) if (k !== "groups") problem([k], `unknown field "${k}"`, "a rule file holds groups only");
  }
  const groups: CompiledGroup[] = [];
  if (!Array.isArray(groupsRaw)) {
    problem([...root, "groups"], "groups must be a list");
    throw new InputError(problems);
  }
  const seen = new Map<string, number>();
  groupsRaw.forEach((g, gi) => {
    const gp = [...root, "groups", gi];
    if (!isRecord(g)) return problem(gp, "a group must be a mapping with name and rules");
    for (const k of Object.keys(g)) if (!GROUP_KEYS.has(k)) problem([...gp, k], `field ${k} not found in type rulefmt.RuleGroup`, `allowed: ${[...GROUP_KEYS].join(", ")}`);
    const gname = typeof g.name === "string" ? g.name : "";
    if (gname === "") problem([...gp, "name"], "Groupname must not be empty");
    else if (seen.has(gname)) problem([...gp, "name"], `groupname: "${gname}" is repeated in the same file`, `rename one of the groups (the first is groups[${seen.get(gname)}])`);
    else seen.set(gname, gi);
    let intervalMs: number | undefined;
    if (g.interval !== undefined) {
      intervalMs = typeof g.interval === "string" ? parseRuleDuration(g.interval) : undefined;
      if (intervalMs === undefined || intervalMs === 0) {
        problem([...gp, "interval"], `invalid interval ${JSON.stringify(g.interval)}`, "write a duration such as 30s or 1m");
        intervalMs = undefined;
      }
    }
    let limit = 0;
    if (g.limit !== undefined) {
      if (typeof g.limit !== "number" || !Number.isInteger(g.limit) || g.limit < 0) problem([...gp, "limit"], "limit must be a non-negative integer");
      else limit = g.limit;
    }
    const rules: CompiledRule[] = [];
    if (g.rules !== undefined && g.rules !== null && !Array.isArray(g.rules)) problem([...gp, "rules"], "rules must be a list");
    const rulesRaw = Array.isArray(g.rules) ? g.rules : [];
    rulesRaw.forEach((r, ri) => {
      const rp = [...gp, "rules", ri];
      if (!isRecord(r)) return problem(rp, "a rule must be a mapping with alert or record, and expr");
      const rule = compileRule(r, rp, problem, (path) => exprLocator(ydoc, lc, text, path));
      if (rule !== undefined) rules.push(rule);
    });
    groups.push({ name: gname, intervalMs, limit, rules });
  });
  if (problems.length > 0) throw new InputError(problems);
  return { name, groups };
}

type Position = { line: number; column: number };
type ProblemFn = (path: (string | number)[], message: string, hint?: string, at?: Position) => void;
type Locator = (path: (string | number)[]) => (offset: number) => Position | undefined;

function compileRule(r: Record<string, unknown>, rp: (string | number)[], problem: ProblemFn, locator: Locator): CompiledRule | undefined {
  let ok = true;
  const bad: ProblemFn = (p, m, h, at) => {
    ok = false;
    problem(p, m, h, at);
  };
  for (const k of Object.keys(r)) if (!RULE_KEYS.has(k)) bad([...rp, k], `field ${k} not found in type rulefmt.Rule`, `allowed: ${[...RULE_KEYS].join(", ")}`);
  const isAlert = r.alert !== undefined,
    isRecord_ = r.record !== undefined;
  if (isAlert && isRecord_) bad(rp, "only one of 'record' and 'alert' must be set");
  if (!isAlert && !isRecord_) bad(rp, "one of 'record' or 'alert' must be set");
  const name = String(isAlert ? r.alert : (r.record ?? ""));
  if (isRecord_ && !METRIC_NAME.test(name)) bad([...rp, "record"], `invalid recording rule name: ${name}`);
  if (isAlert && name === "") bad([...rp, "alert"], "alert name must not be empty");
  if (isRecord_) {
    if (r.annotations !== undefined) bad([...rp, "annotations"], "invalid field 'annotations' in recording rule");
    if (r.for !== undefined) bad([...rp, "for"], "invalid field 'for' in recording rule");
    if (r.keep_firing_for !== undefined) bad([...rp, "keep_firing_for"], "invalid field 'keep_firing_for' in recording rule");
  }
  const duration = (key: "for" | "keep_firing_for"): number => {
    const v = r[key];
    if (v === undefined || v === null) return 0;
    const ms = typeof v === "string" ? parseRuleDuration(v) : undefined;
    if (ms === undefined) {
      bad([...rp, key], `invalid duration ${JSON.stringify(v)}`, "write a duration such as 5m or 1h30m");
      return 0;
    }
    return ms;
  };
  const forMs = duration("for");
  const keepFiringForMs = duration("keep_firing_for");
  let expr: Expr | undefined;
  const exprText = typeof r.expr === "string" ? r.expr : typeof r.expr === "number" ? String(r.expr) : undefined;
  if (exprText === undefined || exprText.trim() === "") bad([...rp, "expr"], "field 'expr' must be set in rule");
  else {
    try {
      expr = parsePromql(exprText);
    } catch (e) {
      if (!(e instanceof PromqlError)) throw e;
      // Located at the offending character inside the expression, not at the key.
      bad([...rp, "expr"], `could not parse expression: ${e.message}`, e.hint, locator([...rp, "expr"])(e.pos));
    }
  }
  const templates = (key: "labels" | "annotations"): [string, ReturnType<typeof parseTemplate>][] => {
    const m = r[key];
    if (m === undefined || m === null) return [];
    if (!isRecord(m)) {
      bad([...rp, key], `${key} must be a mapping of names to strings`);
      return [];
    }
    const out: [string, ReturnType<typeof parseTemplate>][] = [];
    for (const [k, v] of Object.entries(m)) {
      if (key === "labels" && (!LABEL_NAME.test(k) || k === "__name__")) bad([...rp, key, k], `invalid label name: ${k}`);
      if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") {
        bad([...rp, key, k], "expected a string");
        continue;
      }
      try {
        out.push([k, parseTemplate(String(v))]);
      } catch (e) {
        if (!(e instanceof TemplateError)) throw e;
        bad([...rp, key, k], `template error: ${e.message}`, "supported: {{ $labels.x }}, {{ $value }}, humanize, humanizePercentage, humanizeDuration, printf, toUpper, toLower");
      }
    }
    return out;
  };
  const labels = templates("labels");
  const annotations = templates("annotations");
  if (!ok || expr === undefined) return undefined;
  return { kind: isAlert ? "alert" : "record", name, expr, exprText: exprText!, forMs, keepFiringForMs, labels, annotations, path: formatPath(rp) };
}

/** Maps an offset inside the expr scalar to the file's line and column. */
function exprLocator(ydoc: ReturnType<typeof parseDocument>, lc: LineCounter, text: string, path: (string | number)[]): (offset: number) => Position | undefined {
  const node = ydoc.getIn(path, true);
  if (!isScalar(node) || node.range === undefined || node.range === null) return () => undefined;
  const scalar = node as Scalar;
  const start = scalar.range![0];
  const src = String(scalar.value);
  return (offset) => {
    const before = src.slice(0, offset);
    const lineInExpr = before.split("\n").length - 1;
    const col = offset - (before.lastIndexOf("\n") + 1);
    const head = lc.linePos(start);
    if (scalar.type === "PLAIN" || scalar.type === "QUOTE_DOUBLE" || scalar.type === "QUOTE_SINGLE") {
      if (lineInExpr === 0) return { line: head.line, column: head.col + col + (scalar.type === "PLAIN" ? 0 : 1) };
      return { line: head.line + lineInExpr, column: col + 1 };
    }
    // Block scalars: the content starts on the line after the `|` or `>` header.
    const fileLine = head.line + 1 + lineInExpr;
    // The block's indentation is the first content line's; deeper lines keep their extra spaces in the value.
    const blockStart = lc.lineStarts[head.line];
    if (blockStart === undefined || lc.lineStarts[fileLine - 1] === undefined) return undefined;
    let indent = 0;
    while (text[blockStart + indent] === " ") indent++;
    return { line: fileLine, column: indent + col + 1 };
  };
}
