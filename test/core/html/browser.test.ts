/**
 * The HTML report in a real browser (Debian's Chromium via playwright-core): the built CLI
 * renders the bundled demo's report.json, the page shows the right incidents per window and
 * side, takes a screenshot, stays inert with hostile titles, and stays small at 100,000 events.
 * UPDATE_SCREENSHOTS=1 also writes the README screenshots to docs/img/.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { createHash } from "node:crypto";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_THRESHOLDS } from "../../../src/core/config.js";
import { parseHtmlReport } from "../../../src/core/html/input.js";
import { renderHtmlReport } from "../../../src/core/html/report-html.js";
import type { Report } from "../../../src/core/report/report-schema.js";
import { runDiff } from "../../../src/io/diff-run.js";
import { attachTimelines } from "../../../src/io/evidence/timeline-attach.js";
import { runCli } from "../../support/cli.js";
import { demoReport, ROOT } from "../../support/demo.js";
import { launchChromium } from "./chromium.js";
import { hostile } from "./hostile.js";

const work = mkdtempSync(join(tmpdir(), "rg-browser-"));
let browser: BrowserContext;
let report: Report;

beforeAll(async () => {
  browser = await launchChromium();
  report = await demoReport();
}, 600_000);

afterAll(async () => {
  await browser?.close();
});

/** Opens a file; fails the test on any dialog (alert from injected script), console error or request. */
async function open(file: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on("dialog", (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  page.on("request", (r) => {
    if (!r.url().startsWith("file://")) problems.push(`request: ${r.url()}`);
  });
  await page.goto(`file://${file}`);
  return { page, problems };
}

describe("HTML report in Chromium", () => {
  it("renders the bundled demo from report.json: one timeline per window, the right incidents per side, and a screenshot", async () => {
    writeFileSync(join(work, "report.json"), `${JSON.stringify(report, null, 2)}\n`);
    const out = join(work, "html");
    const r = runCli(["report", "--html", out, "--report", join(work, "report.json")]);
    expect(r.stderr).toContain(`wrote ${join(out, "report.html")}`);
    expect(r.code).toBe(0);
    const { page, problems } = await open(join(out, "report.html"));
    expect(await page.locator("#verdict").textContent()).toBe(report.verdict);
    expect(await page.locator("svg.timeline").count()).toBe(report.windows.length);
    for (const w of report.windows) {
      const card = page.locator(`section.window[data-window="${w.id}"]`);
      for (const side of ["base", "head"] as const) {
        expect(await card.locator(`svg.timeline g.incident[data-side="${side}"]`).count(), `${w.id} ${side}`).toBe(w.incidents[side].length);
      }
    }
    const routing = page.locator('section.window[data-window="2026-02-26-pop12-routing"]');
    expect(await routing.locator("path.density").count()).toBeGreaterThan(0);
    expect(await routing.locator("path.density.suppressed").count()).toBeGreaterThan(0);
    const box = await routing.locator("svg.timeline").boundingBox();
    expect(box!.width).toBeGreaterThan(900);
    const shot = await page.screenshot({ fullPage: true });
    expect(shot.subarray(1, 4).toString()).toBe("PNG");
    expect(shot.length).toBeGreaterThan(20_000);
    const timelineShot = await routing.locator("svg.timeline").screenshot();
    writeFileSync(join(work, "timeline.png"), timelineShot);
    if (process.env.UPDATE_SCREENSHOTS) {
      mkdirSync(join(ROOT, "docs/img"), { recursive: true });
      writeFileSync(join(ROOT, "docs/img/report-timeline.png"), timelineShot);
      await page.setViewportSize({ width: 1040, height: 760 });
      await page.evaluate("window.scrollTo(0, 0)");
      writeFileSync(join(ROOT, "docs/img/report-header.png"), await page.screenshot());
    }
    expect(problems).toEqual([]);
    await page.close();
  });

  it("leaves hostile titles inert: no script runs, no link, the text shows as text", async () => {
    const file = join(work, "hostile.html");
    writeFileSync(file, renderHtmlReport(parseHtmlReport(hostile(report), "report.json")));
    const { page, problems } = await open(file);
    // A string, evaluated in the page: the tests compile without the DOM library.
    const dom = (await page.evaluate(`({
      scripts: document.scripts.length,
      links: document.querySelectorAll("a[href], [src]").length,
      handlers: [...document.querySelectorAll("*")].filter((el) => [...el.attributes].some((a) => a.name.startsWith("on"))).length,
      title: document.querySelector("section.window h3")?.textContent ?? "",
    })`)) as { scripts: number; links: number; handlers: number; title: string };
    expect(dom).toMatchObject({ scripts: 0, links: 0, handlers: 0 });
    expect(dom.title).toContain("<script>alert('title')</script>");
    expect(await page.locator("svg.timeline g.incident text").first().textContent()).toContain("<img src=x");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("stays small and renders every incident for a window of 100,000 events", async () => {
    const root = join(work, "big");
    const dir = join(root, "big-window");
    mkdirSync(dir, { recursive: true });
    const t0 = Date.UTC(2026, 2, 1, 10, 0, 0);
    const lines: string[] = [];
    for (let i = 0; i < 100_000; i++) {
      const ts = t0 + Math.floor(i * 36);
      const k = i % 10;
      const scope = { service: "edge-gw", region: "us-east-1", pop: "POP-12" };
      if (k < 6) lines.push(JSON.stringify({ ts, signal: "flow", name: "flow.summary", scope, value: i % 97 }));
      else if (k < 8) lines.push(JSON.stringify({ ts, signal: "dns", name: "dns.response", scope, attrs: { rcode: i % 3000 < 900 ? "NXDOMAIN" : "NOERROR" } }));
      else if (k === 8) lines.push(JSON.stringify({ ts, signal: "bgp", name: i % 5000 < 400 ? "bgp.withdraw" : "bgp.update", scope, attrs: { peer: `192.0.2.${i % 4}` } }));
      else lines.push(JSON.stringify({ ts, signal: "metric", name: "http_latency_p99_ms", scope, value: i % 6000 < 1200 ? 400 : 80 }));
    }
    const gz = gzipSync(Buffer.from(lines.join("\n") + "\n"));
    writeFileSync(join(dir, "events.ndjson.gz"), gz);
    const end = new Date(t0 + 3_600_000).toISOString().replace(".000Z", "Z");
    writeFileSync(
      join(dir, "window.yaml"),
      `id: big-window\ntitle: synthetic hour of 100000 events\ncaptured_at: ${end}\nstart: 2026-03-01T10:00:00Z\nend: ${end}\nscope: { service: edge-gw, region: us-east-1, pop: POP-12 }\nsignals: [flow, dns, bgp, metric]\nevents: { path: events.ndjson.gz, sha256: "${createHash("sha256").update(gz).digest("hex")}", count: 100000, bytes: ${gz.length} }\n`,
    );
    const big = await runDiff({
      base: ["policies/versions/edge-gw-2.14.2.yaml"],
      head: ["policies/edge-gw.yaml"],
      windows: [dir],
      thresholds: DEFAULT_THRESHOLDS,
      config: null,
      cwd: ROOT,
      warn: () => {},
    });
    const html = renderHtmlReport(await attachTimelines(parseHtmlReport(JSON.parse(JSON.stringify(big)), "report.json"), ROOT, () => {}));
    const file = join(work, "big.html");
    writeFileSync(file, html);
    expect(html.length).toBeLessThan(400_000);
    const { page, problems } = await open(file);
    const nodes = (await page.evaluate(`document.querySelectorAll("svg.timeline *").length`)) as number;
    expect(nodes).toBeLessThan(3000);
    const w = big.windows[0]!;
    expect(w.incidents.head.length).toBeGreaterThan(0);
    expect(await page.locator('svg.timeline g.incident[data-side="head"]').count()).toBe(w.incidents.head.length);
    expect(await page.locator('svg.timeline g.incident[data-side="base"]').count()).toBe(w.incidents.base.length);
    expect((await page.screenshot()).length).toBeGreaterThan(10_000);
    expect(problems).toEqual([]);
    await page.close();
  });
});

it("the screenshot in docs/img is a PNG", () => {
  expect(readFileSync(join(ROOT, "docs/img/report-timeline.png")).subarray(1, 4).toString()).toBe("PNG");
});
