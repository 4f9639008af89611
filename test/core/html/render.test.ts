import { beforeAll, describe, expect, it } from "vitest";
import { fmtInt } from "../../../src/core/html/escape.js";
import { forHtml } from "../../../src/core/neutralize.js";
import { parseHtmlReport } from "../../../src/core/html/input.js";
import { REPORT_CSP, renderHtmlReport, type HtmlReport } from "../../../src/core/html/report-html.js";
import type { Report } from "../../../src/core/report/report-schema.js";
import { attachTimelines } from "../../../src/io/evidence/timeline-attach.js";
import { demoReport, ROOT } from "../../support/demo.js";
import { hostile } from "./hostile.js";

describe("HTML report", () => {
  let report: Report;
  let withTimeline: HtmlReport;
  beforeAll(async () => {
    report = await demoReport();
    withTimeline = await attachTimelines(parseHtmlReport(JSON.parse(JSON.stringify(report)), "report.json"), ROOT, () => {});
  });

  it("is one self-contained page under a strict CSP: no script, no external URL, no event handler", () => {
    const html = renderHtmlReport(withTimeline);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`);
    expect(REPORT_CSP).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    expect(html).not.toMatch(/<script|<link|<iframe|<object|<embed|<img|\ssrc=|\shref=/i);
    expect(html).not.toMatch(/<[a-z][^<>]*\son[a-z]+\s*=/i);
    expect(html.match(/https?:\/\/[^"\s]*/g)).toEqual(["http://www.w3.org/2000/svg", "http://www.w3.org/2000/svg", "http://www.w3.org/2000/svg", "http://www.w3.org/2000/svg"]);
  });

  it("renders the same bytes from the same report", () => {
    expect(renderHtmlReport(withTimeline)).toBe(renderHtmlReport(withTimeline));
  });

  it("draws one incident span per incident, per side, and one timeline per window", () => {
    const html = renderHtmlReport(withTimeline);
    expect(html.match(/<svg class="timeline"/g)).toHaveLength(report.windows.filter((w) => w.incidents.base.length + w.incidents.head.length > 0 || true).length);
    for (const side of ["base", "head"] as const) {
      const want = report.windows.reduce((n, w) => n + w.incidents[side].length, 0);
      expect(html.match(new RegExp(`<g class="incident kind-[a-z]+" data-side="${side}"`, "g")) ?? []).toHaveLength(want);
    }
  });

  it("attaches event density and alert groups from a replay of the report's pinned inputs", () => {
    const routing = withTimeline.windows.find((w) => w.id === "2026-02-26-pop12-routing")!;
    expect(routing.timeline).not.toBeNull();
    expect(routing.timeline!.base!.groups_total).toBe(routing.base!.groups);
    expect(routing.timeline!.head!.groups_total).toBe(routing.head!.groups);
    const events = Object.values(routing.timeline!.events)
      .flat()
      .reduce((a, b) => a + b, 0);
    expect(events).toBe(routing.head!.events);
  });

  it("renders a report without timelines with incidents only, and says so", () => {
    const html = renderHtmlReport(parseHtmlReport(JSON.parse(JSON.stringify(report)), "report.json"));
    expect(html).toContain("Event density is not in this report");
    expect(html).not.toContain('class="density');
  });

  it("escapes hostile titles, ids and reasons into inert text", () => {
    const html = renderHtmlReport(parseHtmlReport(hostile(report), "report.json"));
    // Every `<` and `"` from data is escaped, so a real `<` starts one of our tags and a real `"`
    // delimits one of our attribute values: with the values blanked, no tag may carry a handler or a URL.
    const tags = html.replace(/"[^"]*"/g, '""');
    expect(tags).not.toMatch(/<(script|img|iframe|a)[\s>]/i);
    expect(tags).not.toMatch(/<[a-z][^<>]*\s(on[a-z]+|href|src)\s*=/i);
    expect(html).toContain("&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(html).toContain("&quot;&gt;&lt;svg onload=alert(1)&gt;");
  });

  it("escapes every character with a meaning in HTML, and controls", () => {
    expect(forHtml(`<a href="javascript:x" onclick='y'>&\`\u0000\u001b`)).toBe("&lt;a href=&quot;javascript:x&quot; onclick=&#39;y&#39;&gt;&amp;&#96;\uFFFD\uFFFD");
    expect(fmtInt(1234567)).toBe("1,234,567");
  });

  it("refuses a file that is not report.json, naming the path", () => {
    expect(() => parseHtmlReport({ schema: "replay-gate/report@1", windows: [] }, "r.json")).toThrow(/r\.json: /);
    expect(() => parseHtmlReport({ ...report, windows: [{ ...report.windows[0], timeline: { start: 1 } }] }, "r.json")).toThrow(/windows\[0\]\.timeline/);
  });
});
