/** Checks a window's `expect:` block against a replay result (docs/formats.md#pinned-window). */
import type { Expectations } from "../window/manifest.js";
import type { ExpectationCheck, ExpectationResult } from "../model/results.js";
import type { EngineResult } from "./types.js";

export type { ExpectationCheck, ExpectationResult } from "../model/results.js";

/** Evaluates every expectation; all must hold for `pass`. */
export function checkExpectations(expect: Expectations | undefined, result: EngineResult): ExpectationResult {
  if (expect === undefined) return { status: "none", checks: [] };
  const checks: ExpectationCheck[] = [];
  if (expect.incidents !== undefined) {
    const n = result.incidents.length;
    checks.push({ kind: "incidents", subject: "incidents", expected: String(expect.incidents), actual: String(n), pass: n === expect.incidents });
  }
  for (const rules of expect.together ?? []) {
    const holder = result.incidents.find((inc) => rules.every((r) => inc.rules.includes(r)));
    const actual = holder ? `together in ${holder.id}` : describeSpread(rules, result);
    checks.push({ kind: "together", subject: `together: ${rules.join(" + ")}`, expected: "one incident holds all", actual, pass: holder !== undefined });
  }
  for (const rules of expect.apart ?? []) {
    const offender = result.incidents.find((inc) => rules.filter((r) => inc.rules.includes(r)).length >= 2);
    const actual = offender ? `${rules.filter((r) => offender.rules.includes(r)).join(" + ")} share ${offender.id}` : "apart";
    checks.push({ kind: "apart", subject: `apart: ${rules.join(" / ")}`, expected: "no incident holds two of them", actual, pass: offender === undefined });
  }
  for (const action of Object.keys(expect.actions ?? {}).sort()) {
    const want = expect.actions![action]!;
    const got = [...new Set(result.decisions.filter((d) => d.action === action).map((d) => d.decision))].sort();
    const actual = got.length === 0 ? "none" : got.join(", ");
    const pass = want === "none" ? got.length === 0 : want === "fires" ? got.length > 0 && !got.includes("blocked") : got.length === 1 && got[0] === want;
    checks.push({ kind: "actions", subject: `action ${action}`, expected: want, actual, pass });
  }
  return { status: checks.every((c) => c.pass) ? "pass" : "fail", checks };
}

function describeSpread(rules: readonly string[], result: EngineResult): string {
  const where = rules.map((r) => {
    const incs = result.incidents.filter((inc) => inc.rules.includes(r)).map((inc) => inc.id);
    return `${r}: ${incs.length === 0 ? "no incident" : incs.join(",")}`;
  });
  return where.join("; ");
}
