import { beforeAll, describe, expect, it } from "vitest";
import { mermaidSafe, renderMermaidGantt } from "../../../src/core/mermaid/gantt.js";
import type { Report, WindowResult } from "../../../src/core/report/report-schema.js";
import { demoReport } from "../../support/demo.js";

describe("Mermaid gantt for the PR comment", () => {
  let report: Report;
  let routing: WindowResult;
  beforeAll(async () => {
    report = await demoReport();
    routing = report.windows.find((w) => w.id === "2026-02-26-pop12-routing")!;
  });

  it("draws base and head incidents of a changed window, tagged by how they pair", () => {
    const g = renderMermaidGantt(routing, 4000);
    expect(g.startsWith("```mermaid\ngantt\n")).toBe(true);
    expect(g.endsWith("```\n")).toBe(true);
    expect(g).toContain("    dateFormat x\n");
    const base = g.slice(g.indexOf("section base"), g.indexOf("section head"));
    const head = g.slice(g.indexOf("section head"));
    expect(base.match(/ :\w+, b\d+, \d+, \d+/g)).toHaveLength(routing.incidents.base.length);
    expect(head.match(/ :\w+, h\d+, \d+, \d+/g)).toHaveLength(routing.incidents.head.length);
    expect(g).toContain("edge-gw POP-12 latency-spike :crit, b");
  });

  it("fits the budget by dropping incidents and saying so, and gives up cleanly when nothing fits", () => {
    const full = renderMermaidGantt(routing, 100_000);
    const small = renderMermaidGantt(routing, 420);
    expect(small.length).toBeLessThanOrEqual(420);
    expect(small.length).toBeLessThan(full.length);
    expect(small).toMatch(/%% \d+ more incidents not shown/);
    expect(renderMermaidGantt(routing, 50)).toBe("");
  });

  it("keeps Mermaid syntax and HTML out of titles", () => {
    expect(mermaidSafe("x :crit, a1, 0, 1\n</code><script>alert(1)</script> #; click")).toBe("x crit a1 0 1 /code script alert(1) /script c...");
    const hostile = { ...routing, incidents: { base: routing.incidents.base.map((i) => ({ ...i, title: "a:b;c#d`e<f>\n```" })), head: routing.incidents.head } };
    const g = renderMermaidGantt(hostile, 4000);
    expect(g.split("\n").filter((l) => l.includes("```"))).toHaveLength(2);
    const body = g.split("\n").slice(1, -2).join("\n");
    expect(body).not.toMatch(/[<>;#`]/);
    expect(body).toContain("a b c d e f :");
  });

  it("is empty for a window without incidents", () => {
    const quiet = report.windows.find((w) => w.id === "2026-03-18-pop12-quiet")!;
    expect(renderMermaidGantt(quiet, 4000)).toBe("");
  });
});
