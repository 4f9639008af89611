/**
 * Renderers over large inputs: results asserted, never time (performance is `npm run bench`).
 * Each case was quadratic or overflowed the stack before: Markdown escaping re-joined the prefix
 * at every `.`/`)`, the gantt rebuilt itself once per candidate size, and `Math.min(...spread)`
 * over ~130k values threw "Maximum call stack size exceeded" — so the arrays here are 200,000
 * long: past that limit (with room to spare), and no larger, since scale belongs to the benchmark.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { appendAll, maxOf, minOf } from "../../../src/core/arrays.js";
import { renderMermaidGantt } from "../../../src/core/mermaid/gantt.js";
import { forMarkdown } from "../../../src/core/neutralize.js";
import { summarize } from "../../../src/core/report/diff-report.js";
import type { IncidentOut, Report, WindowResult } from "../../../src/core/report/report-schema.js";
import { demoReport } from "../../support/demo.js";

const BIG = 200_000;

describe("folds over arrays of any length", () => {
  it("finds the minimum and maximum of 200,000 values and appends 200,000 items, past the spread argument limit", () => {
    const values = Array.from({ length: BIG }, (_, i) => ((i * 7919) % BIG) - 17);
    expect(minOf(values, null)).toBe(-17);
    expect(maxOf(values, null)).toBe(BIG - 18);
    expect(minOf([], "n/a")).toBe("n/a");
    const out = appendAll([0], values);
    expect(out).toHaveLength(BIG + 1);
    expect(out[BIG]).toBe(values[BIG - 1]);
  });

  it("summarises 200,000 windows: the lowest parity of all", () => {
    const n = 200_000;
    const windows = Array.from({ length: n }, (_, i) => ({
      status: i % 2 === 0 ? "changed" : "identical",
      parity: i === 123_456 ? 0.25 : 0.5 + (i % 100) / 1000,
      expectations: { regression: false },
      matching: { added: 1, removed: 0, split: 0, merged: 0 },
      scope_changed: { service: [], region: [], pop: [] },
    })) as unknown as WindowResult[];
    const s = summarize(windows, 0, 1, 0);
    expect(s).toMatchObject({ windows: n, changed: n / 2, identical: n / 2, min_parity: 0.25, added_incidents: n });
  });
});

describe("Markdown escaping of long text", () => {
  it("escapes a 50 KB title of list-like runs exactly as the per-character rules say", () => {
    const title = "12345. ".repeat(8_000);
    // Only the first `.` follows nothing but digits: it alone could start an ordered list.
    expect(forMarkdown(title)).toBe(`12345\\. ${"12345. ".repeat(7_999)}`);
    expect(forMarkdown(`${"9".repeat(50_000)}) x`)).toBe(`${"9".repeat(50_000)}\\) x`);
  });
});

describe("Mermaid gantt of many incidents", () => {
  let template: WindowResult;
  beforeAll(async () => {
    const report: Report = await demoReport();
    template = report.windows.find((w) => w.id === "2026-02-26-pop12-routing")!;
  }, 120_000);

  function manyIncidents(perSide: number): WindowResult {
    const copy = (side: "base" | "head"): IncidentOut[] => {
      const proto = template.incidents[side][0]!;
      return Array.from({ length: perSide }, (_, i) => ({ ...proto, id: `${side}-${i}`, title: `incident ${i}` }));
    };
    return { ...template, incidents: { base: copy("base"), head: copy("head") } };
  }

  it("fits 60,000 incidents per side into the budget, showing as many as fit on each side and counting the rest", () => {
    const w = manyIncidents(60_000);
    const budget = 2_500;
    const g = renderMermaidGantt(w, budget);
    expect(g.length).toBeLessThanOrEqual(budget);
    const base = g.match(/ b\d+, /g) ?? [];
    const head = g.match(/ h\d+, /g) ?? [];
    expect(base.length).toBeGreaterThan(0);
    expect(head.length).toBe(base.length);
    const dropped = Number(/%% (\d+) more incidents not shown/.exec(g)![1]);
    expect(dropped).toBe(120_000 - base.length - head.length);
  });

  it("picks the same incidents as rebuilding the chart for every candidate size would", () => {
    // The reference: the former algorithm, quadratic, on a size where that is cheap.
    const reference = (w: WindowResult, budget: number): string => {
      const full = renderMermaidGantt(w, Number.MAX_SAFE_INTEGER).trimEnd().split("\n");
      const head = full.slice(0, 5),
        fence = full[full.length - 1]!;
      const sections = [
        ["    section base", full.filter((l) => / b\d+, /.test(l))],
        ["    section head", full.filter((l) => / h\d+, /.test(l))],
      ] as const;
      for (let limit = Math.max(sections[0][1].length, sections[1][1].length); limit >= 1; limit--) {
        const lines = [...head];
        let dropped = 0;
        for (const [header, tasks] of sections) {
          if (tasks.length === 0) continue;
          lines.push(header, ...tasks.slice(0, limit));
          dropped += Math.max(0, tasks.length - limit);
        }
        if (dropped > 0) lines.push(`    %% ${dropped} more incidents not shown; see the HTML report`);
        lines.push(fence);
        const text = lines.join("\n") + "\n";
        if (text.length <= budget) return text;
      }
      return "";
    };
    const w = manyIncidents(400);
    for (const budget of [300, 420, 2_500, 9_999, 30_000, 60_000]) expect(renderMermaidGantt(w, budget)).toBe(reference(w, budget));
  });

  it("shows all of them, without a note, when the budget allows", () => {
    const w = manyIncidents(20_000);
    const g = renderMermaidGantt(w, 10_000_000);
    expect(g.match(/ [bh]\d+, /g)).toHaveLength(40_000);
    expect(g).not.toContain("more incidents not shown");
  });
});
