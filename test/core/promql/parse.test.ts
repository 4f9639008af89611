import { describe, expect, it } from "vitest";
import type { Expr } from "../../../src/core/promql/ast.js";
import { parsePromql, PromqlError } from "../../../src/core/promql/parse.js";

/** A compact rendering of the tree, with parentheses, to check association. */
function show(e: Expr): string {
  switch (e.type) {
    case "number":
      return String(e.value);
    case "string":
      return JSON.stringify(e.value);
    case "vector":
      return `${e.name ?? "{}"}${e.offset ? `@-${e.offset / 1000}s` : ""}`;
    case "matrix":
      return `${show(e.selector)}[${e.range / 1000}s]`;
    case "subquery":
      return `(${show(e.expr)})[${e.range / 1000}s:${(e.step ?? 0) / 1000}s]${e.offset ? `@-${e.offset / 1000}s` : ""}`;
    case "call":
      return `${e.func}(${e.args.map(show).join(", ")})`;
    case "aggregate":
      return `${e.op}${e.grouping.length ? ` ${e.without ? "without" : "by"} (${e.grouping.join(",")})` : ""}(${e.param ? `${show(e.param)}, ` : ""}${show(e.expr)})`;
    case "binary":
      return `(${show(e.lhs)} ${e.op}${e.bool ? " bool" : ""} ${show(e.rhs)})`;
    case "unary":
      return `${e.op}${show(e.expr)}`;
  }
}

function error(q: string): [number, string] {
  try {
    parsePromql(q);
  } catch (e) {
    if (e instanceof PromqlError) return [e.pos, e.message];
    throw e;
  }
  throw new Error(`expected ${q} to fail`);
}

describe("PromQL parsing on the official grammar", () => {
  it("associates operators with PromQL's precedence, ^ to the right", () => {
    expect(show(parsePromql("1 + 2 * 3 ^ 2 ^ 2 - 4"))).toBe("((1 + (2 * (3 ^ (2 ^ 2)))) - 4)");
    expect(show(parsePromql("a > 1 and b < 2 or c"))).toBe("(((a > 1) and (b < 2)) or c)");
  });

  it("binds offset to the selector it follows, even inside a binary chain", () => {
    expect(show(parsePromql("a > 95 and b offset 5m > 90"))).toBe("((a > 95) and (b@-300s > 90))");
    expect(show(parsePromql("rate(x[5m] offset 1m) / y offset 2m"))).toBe("(rate(x@-60s[300s]) / y@-120s)");
    expect(show(parsePromql("-x offset 1m"))).toBe("-x@-60s");
    expect(show(parsePromql("max_over_time(rate(x[2m])[10m:1m] offset 1h)"))).toBe("max_over_time((rate(x[120s]))[600s:60s]@-3600s)");
  });

  it("refuses what Prometheus refuses and what replay-gate does not evaluate, at the construct's position", () => {
    expect(error("rate(x[5m]")).toEqual([10, "unexpected end of expression"]);
    expect(error("holt_winters(x[5m], 0.1, 0.1)")).toEqual([0, 'unknown function "holt_winters"']);
    expect(error("rate(x)")).toEqual([5, 'expected type range vector in call to function "rate", got instant vector']);
    expect(error("1 > 2")).toEqual([2, "comparisons between scalars must use BOOL modifier"]);
    expect(error("x @ 100")[1]).toMatch(/^the @ modifier is not supported/);
    expect(error('sort_by_label(x, "a")')[1]).toMatch(/^function "sort_by_label" is not supported/);
    expect(error('{job=""}')).toEqual([0, "vector selector must contain at least one non-empty matcher"]);
    expect(error("sum(x) offset 5m")[1]).toBe("offset modifier must be preceded by an instant vector selector, a range vector selector or a subquery");
    expect(error("x offset 1m offset 2m")[1]).toBe("offset may not be set multiple times");
    expect(error("a and on(x) group_left b")[1]).toBe('no grouping allowed for "and" operation');
  });
});
