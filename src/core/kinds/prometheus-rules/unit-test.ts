/**
 * `promtool test rules` files run with replay-gate's evaluator: input_series in promtool's
 * expanding notation, alert_rule_test (firing alerts at an evaluation time, labels and
 * annotations) and promql_expr_test (samples at a time). Tests start at the Unix epoch, as in
 * promtool 2.42; every group is evaluated at every `evaluation_interval` step.
 */
import { compareStrings } from "../../compare.js";
import { InputError, type Problem } from "../../errors.js";
import { Evaluator, DEFAULT_LOOKBACK_MS } from "../../promql/eval.js";
import { formatLabels, labelsKey, type Labels } from "../../promql/labels.js";
import { parsePromql, PromqlError } from "../../promql/parse.js";
import { Storage } from "../../promql/storage.js";
import { EvalError } from "../../promql/value.js";
import type { LocatedYaml } from "../../yaml.js";
import { runRules } from "./evaluate.js";
import { parseRuleDuration, type CompiledGroup } from "./rules-file.js";

/** One failed assertion, in promtool's words. */
export interface TestFailure {
  readonly test: number;
  readonly what: string;
}

/** The outcome of one test file. */
export interface UnitTestResult {
  readonly tests: number;
  readonly assertions: number;
  readonly failures: readonly TestFailure[];
}

type Raw = Record<string, unknown>;
const isObj = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);

/** Parses promtool's series notation (`1+2x3 _ stale 5x2`) into values per step; null = none, "stale" = marker. */
export function expandSeriesValues(text: string): (number | null | "stale")[] | undefined {
  const out: (number | null | "stale")[] = [];
  for (const tok of text.trim().split(/\s+/)) {
    if (tok === "") continue;
    if (tok === "stale") {
      out.push("stale");
      continue;
    }
    let m = /^_(?:x(\d+))?$/.exec(tok);
    if (m !== null) {
      const n = m[1] === undefined ? 1 : Number(m[1]);
      for (let i = 0; i < n; i++) out.push(null);
      continue;
    }
    m = /^([-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|Inf|NaN))(?:([-+])(\d+\.?\d*(?:[eE][-+]?\d+)?))?x(\d+)$/.exec(tok);
    if (m !== null) {
      const start = parseNum(m[1]!);
      if (start === undefined) return undefined;
      const step = m[3] === undefined ? 0 : (m[2] === "-" ? -1 : 1) * Number(m[3]);
      const n = Number(m[4]);
      let v = start;
      out.push(v);
      for (let i = 0; i < n; i++) {
        v += step;
        out.push(v);
      }
      continue;
    }
    const v = parseNum(tok);
    if (v === undefined) return undefined;
    out.push(v);
  }
  return out;
}

function parseNum(s: string): number | undefined {
  if (/^[-+]?Inf$/.test(s)) return s.startsWith("-") ? -Infinity : Infinity;
  if (s === "NaN") return NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) return undefined;
  return Number(s);
}

function seriesLabels(text: string): Labels | undefined {
  try {
    const e = parsePromql(text);
    if (e.type !== "vector" || e.offset !== 0 || e.matchers.some((m) => m.op !== "=")) return undefined;
    const out: Record<string, string> = {};
    for (const m of e.matchers) out[m.name] = m.value;
    return out;
  } catch (err) {
    if (err instanceof PromqlError) return undefined;
    throw err;
  }
}

function sortedRecord(r: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObj(r)) return out;
  for (const k of Object.keys(r).sort(compareStrings)) out[k] = String(r[k]);
  return out;
}

/** Runs one promtool test file against compiled rule groups. */
export function runUnitTests(doc: LocatedYaml, groups: readonly CompiledGroup[]): UnitTestResult {
  const problems: Problem[] = [];
  const bad = (path: (string | number)[], message: string) => problems.push({ file: doc.file, ...doc.locate(path), path: path.join("."), message });
  const root = doc.value;
  if (!isObj(root) || !Array.isArray(root.tests)) throw new InputError([{ file: doc.file, line: 1, column: 1, message: "not a promtool test file: expected rule_files and tests" }]);
  const evalInterval = root.evaluation_interval === undefined ? 60_000 : parseRuleDuration(String(root.evaluation_interval));
  if (evalInterval === undefined || evalInterval <= 0) bad(["evaluation_interval"], "invalid duration");
  const failures: TestFailure[] = [];
  let assertions = 0;
  root.tests.forEach((t: unknown, ti: number) => {
    if (!isObj(t)) return bad(["tests", ti], "a test must be a mapping");
    const interval = t.interval === undefined ? 60_000 : parseRuleDuration(String(t.interval));
    if (interval === undefined || interval <= 0) return bad(["tests", ti, "interval"], "invalid duration");
    const storage = new Storage();
    let maxSeriesT = 0;
    (Array.isArray(t.input_series) ? t.input_series : []).forEach((s: unknown, si: number) => {
      const labels = isObj(s) ? seriesLabels(String(s.series)) : undefined;
      if (labels === undefined) return bad(["tests", ti, "input_series", si, "series"], 'expected a series like name{label="value"}');
      const values = expandSeriesValues(String((s as Raw).values ?? ""));
      if (values === undefined) return bad(["tests", ti, "input_series", si, "values"], "invalid series values (expected numbers, a+bxN, _, stale)");
      values.forEach((v, i) => {
        if (v === null) return;
        storage.add(labels, i * interval, v === "stale" ? NaN : v, v === "stale");
        maxSeriesT = Math.max(maxSeriesT, i * interval);
      });
    });
    const externalLabels = sortedRecord(t.external_labels);
    const alertTests = Array.isArray(t.alert_rule_test) ? t.alert_rule_test : [];
    const times = alertTests.map((a: unknown) => (isObj(a) ? parseRuleDuration(String(a.eval_time)) : undefined));
    times.forEach((v: number | undefined, i: number) => v === undefined && bad(["tests", ti, "alert_rule_test", i, "eval_time"], "invalid duration"));
    if (problems.length > 0) return;
    const maxT = Math.max(0, ...(times as number[]));
    const run = runRules(
      groups.map((g) => ({ ...g, intervalMs: evalInterval })),
      storage,
      0,
      maxT,
      { evaluationIntervalMs: evalInterval!, prometheus2: true, externalLabels },
      true,
    );
    const errors = run.stats.filter((s) => s.errors > 0);
    for (const s of errors) failures.push({ test: ti, what: `rule: ${s.rule}: ${s.first_error}` });
    alertTests.forEach((a: unknown, ai: number) => {
      const at = times[ai]!;
      const spec = a as Raw;
      assertions++;
      // promtool checks the state after the last evaluation at or before eval_time.
      const step = [...run.timeline].reverse().find((x) => x.t <= at);
      const got = (step?.firing ?? [])
        .filter((f) => f.labels.alertname === spec.alertname)
        .map((f) => canonAlert(f.labels, f.annotations))
        .sort(compareStrings);
      const exp = (Array.isArray(spec.exp_alerts) ? spec.exp_alerts : [])
        .map((e: unknown) => canonAlert({ ...sortedRecord(isObj(e) ? e.exp_labels : {}), alertname: String(spec.alertname) }, sortedRecord(isObj(e) ? e.exp_annotations : {})))
        .sort(compareStrings);
      if (got.join("\n") !== exp.join("\n"))
        failures.push({ test: ti, what: `alertname: ${String(spec.alertname)}, time: ${String(spec.eval_time)}\n  exp: ${exp.join("; ") || "[]"}\n  got: ${got.join("; ") || "[]"}` });
    });
    const exprTests = Array.isArray(t.promql_expr_test) ? t.promql_expr_test : [];
    exprTests.forEach((e: unknown, ei: number) => {
      if (!isObj(e)) return bad(["tests", ti, "promql_expr_test", ei], "expected a mapping");
      const at = parseRuleDuration(String(e.eval_time ?? "0"));
      if (at === undefined) return bad(["tests", ti, "promql_expr_test", ei, "eval_time"], "invalid duration");
      assertions++;
      let got: string[];
      try {
        const ev = new Evaluator(storage, { lookbackMs: DEFAULT_LOOKBACK_MS, closedRanges: true, intervalMs: evalInterval! });
        const v = ev.eval(parsePromql(String(e.expr)), at);
        got = v.kind === "vector" ? v.samples.map((s) => `${formatLabels(s.labels)} ${s.v}`) : v.kind === "scalar" ? [`{} ${v.v}`] : [];
      } catch (err) {
        if (!(err instanceof EvalError) && !(err instanceof PromqlError)) throw err;
        failures.push({ test: ti, what: `expr: ${String(e.expr)}, time: ${String(e.eval_time)}: ${err.message}` });
        return;
      }
      const exp = (Array.isArray(e.exp_samples) ? e.exp_samples : []).map((s: unknown) => {
        const l = isObj(s) ? (seriesLabels(String(s.labels ?? "{}")) ?? {}) : {};
        return { key: labelsKey(l), text: formatLabels(l), v: isObj(s) ? Number(s.value) : NaN };
      });
      const matches = exp.length === got.length && exp.every((x: { text: string; v: number }) => got.some((g) => sameSample(g, x.text, x.v)));
      if (!matches)
        failures.push({
          test: ti,
          what: `expr: ${String(e.expr)}, time: ${String(e.eval_time)}\n  exp: ${exp.map((x: { text: string; v: number }) => `${x.text} ${x.v}`).join("; ") || "[]"}\n  got: ${got.join("; ") || "[]"}`,
        });
    });
  });
  if (problems.length > 0) throw new InputError(problems);
  return { tests: root.tests.length, assertions, failures };
}

function canonAlert(labels: Labels, annotations: Readonly<Record<string, string>>): string {
  return `${formatLabels(labels)} ${JSON.stringify(sortedRecord(annotations))}`;
}

/** promtool compares values with a relative tolerance of 1e-6. */
function sameSample(got: string, expLabels: string, expV: number): boolean {
  const i = got.lastIndexOf(" ");
  if (got.slice(0, i) !== expLabels) return false;
  const v = Number(got.slice(i + 1));
  if (Number.isNaN(v) || Number.isNaN(expV)) return Number.isNaN(v) && Number.isNaN(expV);
  return v === expV || Math.abs(v - expV) <= 1e-6 * Math.max(Math.abs(v), Math.abs(expV));
}
