/**
 * The built CLI on Prometheus rule files: `diff` of the example library's two versions leads each
 * window with the alerts the change stops and starts firing (golden Markdown, byte for byte), and
 * `check` in a real git repository gates a change of the rule file or of the Alertmanager
 * configuration the rules feed (`prometheus_rules.alertmanager`), each side read at its commit.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { expectGolden } from "../support/golden.js";
import { ROOT, runCli } from "../support/cli.js";
import { ALERTMANAGER, CHAIN_CONFIG, DNS_RULES } from "../support/rules-chain.js";

const GOLDEN = join(ROOT, "test", "e2e", "golden", "prometheus-rules");
const LIB = "policies/prometheus";
const tmp = mkdtempSync(join(tmpdir(), "rg-rules-cli-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A repository whose main branch holds a rule file, the Alertmanager configuration it feeds, the gate config and the WRCCDC DNS window. */
function repo(config = CHAIN_CONFIG): { dir: string; write: (file: string, text: string) => void } {
  const dir = mkdtempSync(join(tmp, "repo-"));
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "pipe", env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.com" } });
  const write = (file: string, text: string) => {
    mkdirSync(join(dir, file, ".."), { recursive: true });
    writeFileSync(join(dir, file), text);
  };
  git("init", "-q", "-b", "main");
  cpSync(join(ROOT, LIB, "windows", "wrccdc-dns"), join(dir, "windows", "wrccdc-dns"), { recursive: true });
  write("rules/dns.yaml", DNS_RULES("0.1"));
  write("alertmanager/alertmanager.yml", ALERTMANAGER("dns-pager"));
  write(".github/replay-gate.yml", config);
  git("add", "-A");
  git("commit", "-qm", "base");
  return { dir, write };
}

describe("replay-gate diff on Prometheus rule files", () => {
  it("leads each window of the Markdown with the alerts the change stops and starts firing, next to the rule's definition (golden)", () => {
    const r = runCli(["diff", "--base", `${LIB}/versions/edge-rules-base.yaml`, "--head", `${LIB}/edge-rules.yaml`, "--windows", `${LIB}/windows/*`, "--format", "markdown"]);
    expect(r.code).toBe(1);
    expectGolden(join(GOLDEN, "edge-rules.diff.md"), r.stdout);
    expect(r.stdout).toContain("**Alerts it starts firing** (2)");
    expect(r.stdout).toContain("earlier by 30s");
  });

  it("does not count a rule file's changes as zero: the policy line names the kind and points at the per-window rules, and report.json marks the policy's kind", () => {
    const md = runCli(["diff", "--base", `${LIB}/versions/edge-rules-base.yaml`, "--head", `${LIB}/edge-rules.yaml`, "--windows", `${LIB}/windows/*`, "--format", "markdown"]);
    expect(md.stdout).not.toMatch(/0 changes \(0 rules, 0 settings\)/);
    expect(md.stdout).toContain("(changed): Prometheus rule file: its changes are shown per window, with the rules behind each difference; 5 windows");
    const json = JSON.parse(runCli(["diff", "--base", `${LIB}/versions/edge-rules-base.yaml`, "--head", `${LIB}/edge-rules.yaml`, "--windows", `${LIB}/windows/*`, "--format", "json"]).stdout);
    expect(json.policies.map((p: { name: string; kind?: string; semantic: unknown[] }) => [p.name, p.kind, p.semantic.length])).toEqual([["edge-rules", "prometheus-rules", 0]]);
  });

  it("gives the same verdict in JSON, with a kind_diff per window, and passes when nothing changes", () => {
    const r = runCli(["diff", "--base", `${LIB}/versions/edge-rules-base.yaml`, "--head", `${LIB}/edge-rules.yaml`, "--windows", `${LIB}/windows/*`, "--format", "json"]);
    const report = JSON.parse(r.stdout);
    expect(report.windows.map((w: { kind_diff: { kind: string; totals: { gained: number; earlier: number } } }) => [w.kind_diff.kind, w.kind_diff.totals.gained, w.kind_diff.totals.earlier])).toEqual([
      ["prometheus-rules", 0, 0], // bgp-session-flap: head's longer for: drops one page, fires the other later
      ["prometheus-rules", 0, 0], // latency-slo-burn: the same episode, resolved sooner
      ["prometheus-rules", 2, 0], // msft-mongo
      ["prometheus-rules", 1, 0], // packet-loss-episode: the lower threshold adds an alert
      ["prometheus-rules", 0, 1], // wrccdc-dns
    ]);
    const same = runCli(["diff", "--base", `${LIB}/edge-rules.yaml`, "--head", `${LIB}/edge-rules.yaml`, "--windows", `${LIB}/windows/*`, "--format", "json"]);
    expect(same.code).toBe(0);
    expect(JSON.parse(same.stdout).windows.map((w: { status: string; parity: number }) => [w.status, w.parity])).toEqual(Array.from({ length: 5 }, () => ["identical", 1]));
  });

  it("fails on an alert the change stops firing, and accepts it under thresholds.prometheus_rules.max_lost_alerts", () => {
    const base = join(tmp, "base.yaml"), head = join(tmp, "head.yaml"), config = join(tmp, "lenient.yml");
    writeFileSync(base, DNS_RULES("0.1"));
    writeFileSync(head, DNS_RULES("1"));
    const args = ["diff", "--base", base, "--head", head, "--windows", `${LIB}/windows/wrccdc-dns`, "--format", "json"];
    const strict = JSON.parse(runCli(args).stdout);
    expect(strict.evaluation.reasons[0]).toMatchObject({ code: "alerts-lost", window: "wrccdc-dns", value: 1, limit: 0 });
    writeFileSync(config, "thresholds: { min_parity: 0, max_removed_incidents: 1, prometheus_rules: { max_lost_alerts: 1 } }\n");
    const lenient = runCli(["diff", "--config", config, ...args.slice(1)]);
    expect(lenient.code).toBe(0);
  });
});

describe("replay-gate check with rules chained into Alertmanager", () => {
  it("fails a change of the Alertmanager configuration alone on the page it loses", () => {
    const { dir, write } = repo();
    write("alertmanager/alertmanager.yml", ALERTMANAGER("chat"));
    const r = runCli(["check", "--base", "main", "--format", "json"], { cwd: dir });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    const w = report.windows[0];
    expect(w.kind_diff.totals.lost).toBe(0);
    expect(w.kind_diff.notifications.receivers.find((x: { receiver: string }) => x.receiver === "dns-pager").pages_lost).toEqual([{ alertname: "DnsFailureRatioHigh", server_group: "root_servers", severity: "page" }]);
    expect(report.evaluation.reasons.map((x: { code: string }) => x.code)).toEqual(["pages-lost"]);
  });

  it("passes a change of the rule file that still pages, and shows who is paged in the Markdown", () => {
    const { dir, write } = repo();
    write("rules/dns.yaml", DNS_RULES("0.1", "15s"));
    const r = runCli(["check", "--base", "main", "--format", "markdown"], { cwd: dir });
    expect(r.stdout).toContain("Through the Alertmanager configuration (`prometheus_rules.alertmanager`):");
    expect(r.stdout).toMatch(/\| dns-pager \| 1 → 2 \| 0 \| 0 \|/);
    expect(r.code).toBe(0);
  });

  it("refuses a config whose Alertmanager file exists on neither side, naming the config key, exit 2", () => {
    const { dir, write } = repo(CHAIN_CONFIG.replace("alertmanager/alertmanager.yml", "alertmanager/missing.yml"));
    write("rules/dns.yaml", DNS_RULES("0.1", "15s"));
    const r = runCli(["check", "--base", "main"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("prometheus_rules.alertmanager: no Alertmanager configuration at alertmanager/missing.yml under base or head");
  });
});
