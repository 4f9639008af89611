import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../../../src/core/errors.js";
import { loadKindPolicy } from "../../../../src/core/kinds/registry.js";
import type { CompiledRules } from "../../../../src/core/kinds/prometheus-rules/index.js";

const fixture = (name: string) => path.join(import.meta.dirname, "fixtures", name);

function problems(name: string): string[] {
  try {
    loadKindPolicy(readFileSync(fixture(name), "utf8"), name);
  } catch (e) {
    if (e instanceof InputError) return e.message.split("\n");
    throw e;
  }
  throw new Error("expected an InputError");
}

describe("Prometheus rule files", () => {
  it("reports every problem located: PromQL syntax at its character, unknown functions, fields not allowed, template errors, duplicate group names", () => {
    expect(problems("invalid-rules.yaml")).toEqual([
      "invalid-rules.yaml:5:59: groups[0].rules[0].expr: could not parse expression: unexpected end of expression",
      expect.stringMatching(/^invalid-rules\.yaml:8:15: groups\[0\]\.rules\[1\]\.expr: could not parse expression: unknown function "holt_winters" \(supported: abs, /),
      "invalid-rules.yaml:11:9: groups[0].rules[2].for: invalid field 'for' in recording rule",
      expect.stringMatching(/^invalid-rules\.yaml:15:11: groups\[0\]\.rules\[3\]\.annotations\.summary: template error: template function or keyword "range" is not supported/),
      expect.stringMatching(/^invalid-rules\.yaml:18:9: groups\[0\]\.rules\[4\]\.severity: field severity not found in type rulefmt\.Rule/),
      expect.stringMatching(/^invalid-rules\.yaml:19:5: groups\[1\]\.name: groupname: "api" is repeated in the same file/),
    ]);
  });

  it("locates an error inside a block-scalar expression at its own line and column, naming the unsupported construct", () => {
    expect(problems("block-expr.yaml")).toEqual([expect.stringMatching(/^block-expr\.yaml:7:18: groups\[0\]\.rules\[0\]\.expr: could not parse expression: the @ modifier is not supported/)]);
  });

  it("recognises a PrometheusRule resource by content and compiles its groups with interval, for and keep_firing_for", () => {
    const loaded = loadKindPolicy(readFileSync(fixture("prometheusrule.yaml"), "utf8"), "prometheusrule.yaml");
    expect(loaded.kind.id).toBe("prometheus-rules");
    expect(loaded.name).toBe("edge-alerts");
    const c = loaded.compiled as CompiledRules;
    expect(c.groups.map((g) => [g.name, g.intervalMs, g.rules.map((r) => [r.kind, r.name, r.forMs, r.keepFiringForMs])])).toEqual([
      [
        "edge",
        30_000,
        [
          ["record", "job:requests:rate1m", 0, 0],
          ["alert", "TrafficDrop", 60_000, 120_000],
        ],
      ],
    ]);
  });

  it("recognises a plain rule file by its top-level groups and names it after the file", () => {
    const loaded = loadKindPolicy("groups:\n  - name: g\n    rules:\n      - alert: Down\n        expr: up == 0\n", "rules/node.yaml");
    expect([loaded.kind.id, loaded.name]).toEqual(["prometheus-rules", "node"]);
  });
});
