import { describe, expect, it } from "vitest";
import { InputError, formatProblem } from "../../../src/core/errors.js";
import { loadPolicyText } from "../../../src/core/policy/load.js";

const base = `apiVersion: replay-gate/v1
kind: CorrelationPolicy
metadata: { name: p, version: "1" }
detect:
  - id: a
    match: { signal: bgp }
    threshold: { count: 3, within: 60s }
`;

function problems(text: string): string[] {
  try {
    loadPolicyText(text, "p.yaml");
  } catch (err) {
    if (err instanceof InputError) return err.problems.map(formatProblem);
    throw err;
  }
  throw new Error("expected the policy to be refused");
}

describe("policy errors name file, line, column and path", () => {
  it("accepts the minimal policy", () => {
    expect(loadPolicyText(base, "p.yaml").doc.group.dedupe_within).toBe(300_000);
  });

  it("refuses an unknown key at its line", () => {
    expect(problems(base + "    colour: red\n")).toEqual(['p.yaml:8:5: detect[0].colour: unknown key "colour"']);
  });

  it("refuses a malformed duration with the expected form", () => {
    expect(problems(base.replace("within: 60s", "within: 60 seconds"))).toEqual(["p.yaml:7:28: detect[0].threshold.within: expected a duration like 60s (units: ms, s, m, h)"]);
  });

  it("refuses a number where a duration belongs", () => {
    expect(problems(base.replace("within: 60s", "within: 60"))[0]).toContain("detect[0].threshold.within: expected a duration like 60s");
  });

  it("refuses YAML aliases, which also stops alias-expansion bombs", () => {
    const bomb = `a: &a ["x","x","x","x","x","x","x","x","x"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: [*c,*c,*c,*c,*c,*c,*c,*c,*c]
`;
    const out = problems(bomb);
    expect(out.some((p) => p.includes("YAML aliases (*name) are not allowed"))).toBe(true);
    expect(out.some((p) => p.includes("YAML anchors (&a) are not allowed"))).toBe(true);
  });

  it("refuses __proto__ keys", () => {
    expect(problems(base + "    match2:\n      __proto__: { polluted: true }\n").some((p) => p.includes('key "__proto__" is not allowed'))).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("refuses a matcher key that is not a field path", () => {
    expect(problems(base.replace("match: { signal: bgp }", "match: { sginal: bgp }"))).toEqual([
      'p.yaml:6:14: detect[0].match.sginal: unknown match key "sginal"; expected a field path: signal, name, source, value, severity, scope.service|region|pop|host, or attrs.<key>',
    ]);
  });

  it("refuses references to rules that do not exist", () => {
    const text = base + "correlate:\n  - id: c\n    join: [a, b]\n    within: 1m\n";
    expect(problems(text)).toEqual(['p.yaml:10:15: correlate[0].join[1]: "b" is not a detect rule id; known: a']);
  });

  it("refuses duplicate ids and unknown title placeholders", () => {
    const text = base + '  - id: a\n    match: {}\n    threshold: { count: 1, within: 1s }\nincident:\n  title: "{scope.pop} {oops}"\n';
    const out = problems(text);
    expect(out).toContain('p.yaml:8:5: detect[1].id: duplicate id "a" (also detect[0])');
    expect(out.some((p) => p.includes("incident.title: unknown placeholder {oops}"))).toBe(true);
  });

  it("reports invalid YAML with its position", () => {
    expect(problems("a: [1, 2\n")[0]).toMatch(/^p\.yaml:\d+:\d+: invalid YAML/);
  });

  it("refuses a threshold mixing counting and level forms", () => {
    expect(problems(base.replace("{ count: 3, within: 60s }", "{ count: 3, within: 60s, above: 2 }"))[0]).toContain("detect[0].threshold: use either {count, within} or {above|below, for}, not both");
  });
});
