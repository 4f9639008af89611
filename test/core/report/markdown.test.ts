/** The PR comment renderer: escaping of everything that came from files, and GitHub's size limit. */
import { beforeAll, describe, expect, it } from "vitest";
import { forMarkdown, forMarkdownCode } from "../../../src/core/neutralize.js";
import { renderDiffMarkdown } from "../../../src/core/report/markdown.js";
import { MAX_COMMENT_CHARS } from "../../../src/core/limits.js";
import type { Report, WindowResult } from "../../../src/core/report/report-schema.js";
import { evaluateThresholds } from "../../../src/core/gate/thresholds.js";
import { renderDiffText } from "../../../src/core/report/diff-text.js";
import { demoReport } from "../../support/demo.js";

/** Every table in `md` has a header, a delimiter row and rows with the same number of cells. */
function expectWholeTables(md: string): void {
  const lines = md.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.startsWith("| ") || (i > 0 && lines[i - 1]!.startsWith("|"))) continue;
    const cells = (l: string) => l.split(/(?<!\\)\|/).length;
    expect(lines[i + 1], `delimiter row after line ${i + 1}`).toMatch(/^\| (---:?|:?---)( \| (---:?|:?---))* \|$/);
    let j = i + 2;
    while (j < lines.length && lines[j]!.startsWith("|")) {
      expect(cells(lines[j]!), `row ${j + 1}`).toBe(cells(lines[i]!));
      j++;
    }
  }
  const opens = (md.match(/<details>/g) ?? []).length,
    closes = (md.match(/<\/details>/g) ?? []).length;
  expect(opens).toBe(closes);
  expect((md.match(/^```/gm) ?? []).length % 2).toBe(0);
}

function manyWindows(base: Report, n: number): Report {
  const changed = base.windows.filter((w) => w.status === "changed");
  const windows: WindowResult[] = [];
  for (let i = 0; i < n; i++) {
    const w = changed[i % changed.length]!;
    windows.push({ ...w, id: `${w.id}-${String(i).padStart(3, "0")}`, title: `${w.title} #${i}` });
  }
  return { ...base, windows, summary: { ...base.summary, windows: n, changed: n, identical: 0 } };
}

describe("Markdown escaping", () => {
  it("neutralises markup, HTML, mentions, references and links in file text", () => {
    const evil = "<img src=x onerror=alert(1)> **bold** [link](https://evil.example) @octocat #12 | pipe `code` ~~s~~ www.evil.example";
    const out = forMarkdown(evil);
    expect(out).not.toContain("<img");
    expect(out).toContain("&lt;img");
    expect(out).not.toMatch(/(?<!\\)\*\*/);
    expect(out).not.toMatch(/(?<!\\)\[/);
    expect(out).not.toContain("@octocat");
    expect(out).toContain("@\u200Doctocat");
    expect(out).not.toMatch(/(?<!\\)#12/);
    expect(out).not.toContain("https://");
    expect(out).not.toMatch(/(?<!\\)\|/);
    expect(out).not.toMatch(/(?<!\\)`/);
    expect(out).not.toContain("www.");
  });

  it("keeps untrusted text on one line and drops control and bidi characters", () => {
    expect(forMarkdown("a\nb\r\nc")).toBe("a b  c");
    expect(forMarkdown("x\u001b[31my\u202Ez")).toBe("x\uFFFD\\[31my\uFFFDz");
    expect(forMarkdown("- item")).toBe("\\- item");
    expect(forMarkdown("1. item")).toBe("1\\. item");
  });

  it("fences code with more backticks than the content holds", () => {
    expect(forMarkdownCode("a ```` b", "diff")).toBe("`````diff\na ```` b\n`````");
  });

  it("escapes a window title carrying markup in the rendered comment", async () => {
    const report = await demoReport();
    const w = report.windows.find((x) => x.status === "changed")!;
    const evil: Report = { ...report, windows: report.windows.map((x) => (x === w ? { ...x, title: "<script>alert(1)</script> @everyone [x](javascript:alert(1))", id: "id|with|pipes" } : x)) };
    const md = renderDiffMarkdown(evil);
    expect(md).not.toContain("<script>");
    expect(md).toContain("&lt;script&gt;");
    expect(md).not.toContain("@everyone");
    expect(md).not.toContain("[x](");
    expect(md).toContain("id\\|with\\|pipes");
    expectWholeTables(md);
  });
});

describe("regressions come first", () => {
  it("leads the comment and the text with a window whose expectations pass on base and fail on head", async () => {
    const report = await demoReport();
    const quiet = report.windows.find((w) => w.id === "2026-03-18-pop12-quiet")!;
    const regressed: WindowResult = {
      ...quiet,
      status: "changed",
      expectations: { ...quiet.expectations, head: "fail", regression: true, head_checks: [{ kind: "incidents", subject: "incidents", expected: "0", actual: "2", pass: false }] },
    };
    const windows = report.windows.map((w) => (w === quiet ? regressed : w));
    const evaluation = evaluateThresholds(windows, report.evaluation.thresholds, report);
    const r: Report = { ...report, windows, evaluation, summary: { ...report.summary, regressions: 1 } };
    expect(evaluation.reasons[0]!.code).toBe("expectation-regression");
    const md = renderDiffMarkdown(r);
    expect(md.split("\n")[0]).toContain("**1 regression**");
    expect(md.indexOf("### 2026-03-18-pop12-quiet")).toBeLessThan(md.indexOf("### 2026-02-26-pop12-routing"));
    expect(md).toContain("- **regression** — 2026-03-18-pop12-quiet (edge-gw): expectations pass on base and fail on head");
    expect(renderDiffText(r, false).split("\n")[0]).toBe("REGRESSION 2026-03-18-pop12-quiet (edge-gw): expectations pass on base and fail on head");
  });
});

describe("Markdown size limit", () => {
  let report: Report;
  beforeAll(async () => {
    report = await demoReport();
  });

  it("fits a report with 500 changed windows in one comment, tables whole", () => {
    const md = renderDiffMarkdown(manyWindows(report, 500));
    expect(md.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(md.startsWith("## ❌ replay-gate: fail")).toBe(true);
    expect(md).toContain("| windows replayed |");
    expectWholeTables(md);
  });

  it("degrades by collapsing detail before truncating", () => {
    const full = renderDiffMarkdown(report);
    expect(full).toContain("```diff");
    const smaller = renderDiffMarkdown(report, { maxChars: full.length - 1 });
    expect(smaller).not.toContain("```diff");
    expect(smaller).toContain("Policy diff: edge-gw");
    expectWholeTables(smaller);
  });

  it("truncates with a pointer to the full report, never inside a table", () => {
    for (const max of [1500, 2500, 4000, 8000]) {
      const md = renderDiffMarkdown(manyWindows(report, 60), { maxChars: max, fullReport: "the report.json artifact" });
      expect(md.length).toBeLessThanOrEqual(max);
      expect(md).toContain("see the report.json artifact for the full report");
      expect(md.startsWith("## ❌")).toBe(true);
      expectWholeTables(md);
    }
  });
});
