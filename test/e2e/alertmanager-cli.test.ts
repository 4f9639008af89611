/**
 * The CLI (in-process) on the Alertmanager example library: `replay` prints notifications and
 * alert fates, `diff` leads with what would have paged and fails on lost pages; bad inputs exit 2
 * with a located message. Golden files are compared byte for byte (UPDATE_GOLDEN=1 rewrites).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT, runCliInProcess } from "../support/cli.js";
import { expectGolden } from "../support/golden.js";

const GOLDEN = join(ROOT, "test", "e2e", "golden", "alertmanager");
const LIB = "examples/alertmanager";
const tmp = mkdtempSync(join(tmpdir(), "rg-am-cli-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const golden = (name: string, actual: string): void => expectGolden(join(GOLDEN, name), actual);

describe("replay-gate on Alertmanager configurations", () => {
  it("replays a window and prints notifications in time order with every alert's fate (golden JSON and text)", async () => {
    const args = ["replay", "--policy", `${LIB}/alertmanager.base.yml`, "--window", `${LIB}/windows/2026-11-26-db-failover`];
    const json = await runCliInProcess([...args, "--format", "json"]);
    expect(json.stderr).toBe("");
    expect(json.code).toBe(0);
    golden("db-failover.base.replay.json", json.stdout);
    const report = JSON.parse(json.stdout);
    expect(report.windows[0].notifications[0]).toMatchObject({ receiver: "pager", at: expect.stringMatching(/^2026-11-26T09:05:\d\d\.\d{3}Z$/) });
    expect(report.windows[0].alerts.some((a: { fate: string }) => a.fate === "notified")).toBe(true);
    const text = await runCliInProcess(args);
    expect(text.code).toBe(0);
    golden("db-failover.base.replay.txt", text.stdout);
  });

  it("diffs base and head per receiver, leads the Markdown with lost pages, and fails on max_lost_pages 0", async () => {
    const r = await runCliInProcess(["diff", "--base", `${LIB}/alertmanager.base.yml`, "--head", `${LIB}/alertmanager.head.yml`, "--windows", `${LIB}/windows/*`, "--format", "markdown"]);
    expect(r.code).toBe(1);
    golden("base-to-head.diff.md", r.stdout);
    expect(r.stdout.split("\n")[0]).toMatch(/^## ❌ replay-gate: fail — 3 windows replayed/);
    expect(r.stdout).toContain("2 page(s) lost — an alert a receiver got under base and never under head");
    expect(r.stdout).toContain("- pager no longer gets {alertname=\"PostgresPrimaryDown\"");
  });

  it("passes when the gate config accepts the lost pages", async () => {
    const config = join(tmp, "replay-gate.yml");
    writeFileSync(config, "thresholds:\n  min_parity: 0\n  max_added_incidents: 5\n  max_removed_incidents: 5\n  alertmanager:\n    max_lost_pages: 5\n    max_added_notifications: 0\n");
    const r = await runCliInProcess(["diff", "--config", config, "--base", `${LIB}/alertmanager.base.yml`, "--head", `${LIB}/alertmanager.head.yml`, "--windows", `${LIB}/windows/*`, "--format", "json"]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.verdict).toBe("pass");
    expect(report.windows.map((w: { kind_diff: { totals: { pages_lost: number } } }) => w.kind_diff.totals.pages_lost)).toEqual([0, 2, 0]);
  });

  it("refuses an invalid configuration with file, line, column and path, exit 2", async () => {
    const bad = join(tmp, "bad.yml");
    writeFileSync(bad, "route:\n  receiver: default\n  routes:\n    - receiver: nobody\nreceivers:\n  - name: default\n");
    const r = await runCliInProcess(["replay", "--policy", bad, "--window", `${LIB}/windows/2026-11-26-db-failover`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}:4:7: route.routes[0].receiver: undefined receiver "nobody" used in route`);
  });

  it("refuses a tap line that is not JSON when capturing, exit 2", async () => {
    const tap = join(tmp, "tap.jsonl");
    writeFileSync(tap, '{"received_at": "2026-11-26T09:00:00Z", "alerts": [{"labels": {"alertname": "A"}}]}\nnot json\n');
    const r = await runCliInProcess(["capture", "--from", `alertmanager-post:${tap}`, "--out", join(tmp, "w"), "--workspace", tmp, "--max-reject-fraction", "0"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/tap\.jsonl:2.*not valid JSON/);
  });
});
