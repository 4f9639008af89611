/**
 * Policies of other kinds in `diff`, `check` and the Action's report: an Alertmanager
 * configuration rides the one replay pass through the seam, is compared on the shared model and
 * with its own kind_diff, and its thresholds are gate reasons.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_THRESHOLDS } from "../../src/core/config.js";
import { renderDiffText } from "../../src/core/report/diff-text.js";
import { renderDiffMarkdown } from "../../src/core/report/markdown.js";
import { reportSchema } from "../../src/core/report/report-schema.js";
import { runDiff } from "../../src/io/diff-run.js";
import type { KindDiff } from "../../src/core/kinds/diff-schema.js";

const AM = "examples/alertmanager";
const run = (extra: Partial<Parameters<typeof runDiff>[0]> = {}) =>
  runDiff({
    base: [`${AM}/alertmanager.base.yml`],
    head: [`${AM}/alertmanager.head.yml`],
    windows: [`${AM}/windows/*`, "policies/windows/2026-02-26-pop12-routing"],
    thresholds: DEFAULT_THRESHOLDS,
    config: null,
    cwd: process.cwd(),
    warn: () => {},
    ...extra,
  });

/** The window's Alertmanager diff; fails the test when the window has another kind's. */
function amDiff(d: KindDiff | undefined): Extract<KindDiff, { kind: "alertmanager" }> {
  if (d?.kind !== "alertmanager") throw new Error(`expected an Alertmanager kind_diff, got ${d?.kind}`);
  return d;
}

describe("diff over Alertmanager configurations", () => {
  it("pairs one configuration per side and replays only the windows that hold alerts", async () => {
    const report = await run();
    expect(reportSchema.parse(report)).toEqual(report);
    expect(report.policies.map((p) => [p.name, p.status])).toEqual([["alertmanager.head", "changed"]]);
    expect(report.windows.map((w) => w.id)).toEqual(["2026-11-24-pop12-outage", "2026-11-26-db-failover", "2026-11-29-maintenance-flaps"]);
    expect(report.uncovered_windows.map((w) => w.id)).toEqual(["2026-02-26-pop12-routing"]);
    expect(report.windows.every((w) => w.kind === "alertmanager" && w.kind_diff?.kind === "alertmanager")).toBe(true);
  });

  it("makes a page that stops reaching the database team the headline reason of a fail", async () => {
    const report = await run();
    const db = report.windows.find((w) => w.id === "2026-11-26-db-failover")!;
    const am = amDiff(db.kind_diff);
    expect(am.totals.pages_lost).toBe(2);
    const pager = am.receivers.find((r) => r.receiver === "pager")!;
    expect(pager.pages_lost.map((l) => l.alertname)).toEqual(["PostgresConnectionsHigh", "PostgresPrimaryDown"]);
    expect(report.verdict).toBe("fail");
    expect(report.evaluation.reasons[0]).toMatchObject({ code: "pages-lost", window: "2026-11-26-db-failover", value: 2, limit: 0 });
  });

  it("shows the POP outage paging the pager 3 times under head instead of 80, as a merge of incidents", async () => {
    const report = await run();
    const pop = report.windows.find((w) => w.id === "2026-11-24-pop12-outage")!;
    expect(amDiff(pop.kind_diff).receivers.find((r) => r.receiver === "pager")!.notifications).toEqual({ base: 80, head: 3 });
    expect(pop.head!.incidents).toBeLessThan(pop.base!.incidents);
    expect(pop.matching.merged).toBeGreaterThan(0);
  });

  it("accepts lost pages up to thresholds.alertmanager.max_lost_pages", async () => {
    const report = await run({ thresholds: { ...DEFAULT_THRESHOLDS, min_parity: 0, alertmanager: { max_lost_pages: 2 } } });
    expect(report.evaluation.reasons.filter((r) => r.code === "pages-lost")).toEqual([]);
  });

  it("leads each window of the comment and the terminal report with who would have been paged", async () => {
    const report = await run();
    const md = renderDiffMarkdown(report);
    const db = md.slice(md.indexOf("### 2026-11-26-db-failover"));
    expect(db.split("\n")[2]).toMatch(/^\*\*What would have paged\*\* \(Alertmanager, virtual time\): 10 → 6 notifications, \*\*2 pages lost\*\*/);
    expect(db).toContain('- pager no longer gets {alertname="PostgresPrimaryDown"');
    const text = renderDiffText(report, false);
    expect(text).toContain("  alertmanager: 10 → 6 notifications, 2 pages lost, 0 added");
  });

  it("gives byte-identical reports on a second run", async () => {
    expect(JSON.stringify(await run())).toBe(JSON.stringify(await run()));
  });
});
