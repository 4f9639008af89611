/**
 * Several policies at once, by name: a policy only head has (added), one only base has
 * (removed), a window no policy covers (reported, not dropped); and policies read at a git ref
 * from a real temporary repository with two commits.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_THRESHOLDS } from "../../src/core/config.js";
import type { Report } from "../../src/core/report/report-schema.js";
import { runDiff } from "../../src/io/diff-run.js";
import { ROOT } from "../support/demo.js";

const V2142 = readFileSync(join(ROOT, "policies/versions/edge-gw-2.14.2.yaml"), "utf8");
const V2143 = readFileSync(join(ROOT, "policies/edge-gw.yaml"), "utf8");

const policy = (name: string, body: string) => `apiVersion: replay-gate/v1
kind: CorrelationPolicy
metadata: { name: ${name}, version: 1.0.0 }
scope: { service: edge-gw }
${body}`;

const LEGACY = policy(
  "legacy",
  `detect:
  - id: any-withdraw
    match: { signal: bgp, name: bgp.withdraw }
    threshold: { count: 2, within: 60s }
    standalone: true
`,
);
const CANARY = policy(
  "canary",
  `suppress:
  - id: never-matches
    match: { name: no.such.event }
detect:
  - id: nxdomain
    match: { signal: dns, attrs.rcode: NXDOMAIN }
    threshold: { count: 50, within: 10s }
    standalone: true
`,
);

/** A tiny pinned window whose manifest scope no test policy covers. */
function writeMailWindow(root: string): void {
  const dir = join(root, "windows", "2026-05-01-mail-quiet");
  mkdirSync(dir, { recursive: true });
  const events = [0, 1, 2].map((i) => JSON.stringify({ ts: `2026-05-01T10:00:0${i}Z`, signal: "metric", name: "queue_depth", scope: { service: "mail" }, value: i })).join("\n") + "\n";
  writeFileSync(join(dir, "events.ndjson"), events);
  const sha = createHash("sha256").update(events).digest("hex");
  writeFileSync(
    join(dir, "window.yaml"),
    `id: 2026-05-01-mail-quiet
title: mail queue, quiet
captured_at: 2026-05-01T11:00:00Z
start: 2026-05-01T10:00:00Z
end: 2026-05-01T10:05:00Z
scope: { service: mail }
signals: [metric]
events: { path: events.ndjson, sha256: "${sha}", count: 3, bytes: ${Buffer.byteLength(events)} }
`,
  );
}

function library(): string {
  const root = mkdtempSync(join(tmpdir(), "rg-parity-"));
  for (const id of ["2026-02-26-pop12-routing", "2026-03-18-pop12-quiet"]) cpSync(join(ROOT, "policies/windows", id), join(root, "windows", id), { recursive: true });
  writeMailWindow(root);
  return root;
}

const run = (cwd: string, base: string[], head: string[]) => runDiff({ base, head, windows: ["windows/*"], thresholds: DEFAULT_THRESHOLDS, config: null, cwd, warn: () => {} });

describe("several policies, paired by name", () => {
  let report: Report;
  beforeAll(async () => {
    const root = library();
    mkdirSync(join(root, "base"));
    mkdirSync(join(root, "head"));
    writeFileSync(join(root, "base", "edge-gw.yaml"), V2142);
    writeFileSync(join(root, "base", "legacy.yaml"), LEGACY);
    writeFileSync(join(root, "head", "edge-gw.yaml"), V2143);
    writeFileSync(join(root, "head", "canary.yaml"), CANARY);
    report = await run(root, ["base"], ["head/*.yaml"]);
  });

  it("replays each window under every policy whose scope covers it", () => {
    const pop12 = report.windows.filter((w) => w.id === "2026-02-26-pop12-routing").map((w) => [w.policy, w.status]);
    expect(pop12).toEqual([
      ["canary", "added"],
      ["edge-gw", "changed"],
      ["legacy", "removed"],
    ]);
  });

  it("treats a policy added in head as all added, with no base and no parity", () => {
    const w = report.windows.find((x) => x.policy === "canary" && x.id === "2026-02-26-pop12-routing")!;
    expect(w.base).toBeNull();
    expect(w.parity).toBeNull();
    expect(w.matching.added).toBe(w.incidents.head.length);
    expect(report.policies.find((p) => p.name === "canary")!.status).toBe("added");
  });

  it("treats a policy gone from head as all removed", () => {
    const w = report.windows.find((x) => x.policy === "legacy" && x.id === "2026-02-26-pop12-routing")!;
    expect(w.head).toBeNull();
    expect(w.matching.removed).toBe(w.incidents.base.length);
    expect(w.matching.removed).toBeGreaterThan(0);
    expect(report.evaluation.reasons.some((r) => r.policy === "legacy" && r.code === "incidents-removed")).toBe(true);
  });

  it("reports a window no policy covers instead of dropping it", () => {
    expect(report.uncovered_windows.map((w) => w.id)).toEqual(["2026-05-01-mail-quiet"]);
    expect(report.summary.uncovered).toBe(1);
    expect(report.inputs.windows.find((w) => w.id === "2026-05-01-mail-quiet")!.policies).toEqual([]);
  });

  it("calls out a rule the change added that no window exercises", () => {
    expect(report.coverage.untested).toContainEqual({ policy: "canary", section: "suppress", id: "never-matches", change: "added" });
    expect(report.coverage.rules.find((r) => r.id === "nxdomain")!.windows).toEqual(["2026-02-26-pop12-routing"]);
  });
});

describe("policies at a git ref", () => {
  let root: string;
  let first: string;
  beforeAll(() => {
    root = library();
    const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false", ...args], { cwd: root, encoding: "utf8" }).trim();
    git("init", "-q", "-b", "main");
    mkdirSync(join(root, "policies"));
    writeFileSync(join(root, "policies", "edge-gw.yaml"), V2142);
    git("add", "-A");
    git("commit", "-q", "-m", "2.14.2");
    first = git("rev-parse", "HEAD");
    writeFileSync(join(root, "policies", "edge-gw.yaml"), V2143);
    git("commit", "-q", "-am", "2.14.3");
  });

  it("reads base with git show from a bare ref, at head's paths", async () => {
    const report = await run(root, ["HEAD~1"], ["policies/edge-gw.yaml"]);
    expect(report.inputs.base.git).toEqual({ ref: "HEAD~1", commit: first });
    expect(report.inputs.base.policies[0]).toMatchObject({ name: "edge-gw", version: "2.14.2", file: "HEAD~1:policies/edge-gw.yaml" });
    expect(report.windows.find((w) => w.id === "2026-02-26-pop12-routing")!.base!.collapse).toBe("140 → 4");
  });

  it("globs policies at a ref with git ls-tree", async () => {
    const report = await run(root, ["main~1:policies/*.yaml"], ["main:policies/*.yaml"]);
    expect(report.inputs.head.git!.ref).toBe("main");
    expect(report.policies.map((p) => [p.name, p.base!.version, p.head!.version])).toEqual([["edge-gw", "2.14.2", "2.14.3"]]);
  });

  it("refuses a ref that does not exist, naming it", async () => {
    await expect(run(root, ["no-such-branch:policies/edge-gw.yaml"], ["policies/edge-gw.yaml"])).rejects.toThrow(/"no-such-branch" is not a git ref/);
  });
});
