/**
 * The Action's decision log across runs: a carried log is extended only when it matches the anchor
 * the earlier run left at the end of its commit status; otherwise it is kept aside and a new log starts.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { PreviousArtifact } from "../../src/action/artifacts.js";
import { findLogAnchor, recordDecision, SET_ASIDE } from "../../src/action/decision-log.js";
import type { RunContext } from "../../src/action/artifacts.js";
import { anchorFromStatus, anchoredDescription, verifyChain, type ChainAnchor } from "../../src/core/evidence/decision-log.js";
import type { Report } from "../../src/core/report/report-schema.js";
import { demoReport } from "../support/demo.js";

vi.mock("@actions/core");

let report: Report;
beforeAll(async () => {
  report = await demoReport();
}, 120_000);

const context = {
  at: "2026-03-01T10:00:00Z",
  actor: "alice",
  event: "pull_request",
  repository: "acme/netpolicies",
  pullRequest: 42,
  commits: { base: "a".repeat(40), head: "b".repeat(40) },
  approvals: { counted: [], refused: [] },
  runId: null,
};

/** One run: its output directory gets the carried log (when `previous`) plus this run's record. */
async function runOnce(previous: PreviousArtifact | undefined, anchor: ChainAnchor | undefined, actor = context.actor) {
  const outDir = mkdtempSync(join(tmpdir(), "rg-run-"));
  const recorded = await recordDecision(outDir, previous, report, "{}", { ...context, actor }, async () => anchor);
  return { outDir, recorded, log: readFileSync(join(outDir, "decision-log.jsonl"), "utf8") };
}

function artifactOf(outDir: string): PreviousArtifact {
  return { name: "replay-gate-1-1", dir: outDir, run: { head_sha: "b".repeat(40) } as RunContext };
}

/** What the next run reads back from the status the run posted. */
const published = (r: Awaited<ReturnType<typeof runOnce>>) => anchorFromStatus(anchoredDescription("pass: ok", r.recorded.anchor, 140))!;

describe("the Action's decision log", () => {
  it("extends the carried log when it matches the anchor the earlier run published", async () => {
    const first = await runOnce(undefined, undefined);
    expect(first.recorded.anchor.records).toBe(1);
    const second = await runOnce(artifactOf(first.outDir), published(first));
    expect(verifyChain(second.log)).toMatchObject({ ok: true, records: 2, head: second.recorded.anchor.head });
    expect(second.recorded.summaryLine).toBe(`Decision log: 2 records, head \`${second.recorded.anchor.head}\` (check the artifact's log with \`replay-gate verify --log decision-log.jsonl --anchor ${second.recorded.anchor.head}/2\`).`);
  });

  it("keeps aside a carried log cut at a record boundary and starts a new one", async () => {
    const first = await runOnce(undefined, undefined);
    const second = await runOnce(artifactOf(first.outDir), published(first));
    // The artifact is replaced by one whose log lost its last record: still a valid chain.
    const cut = second.log.split("\n").slice(0, 1).join("\n") + "\n";
    writeFileSync(join(second.outDir, "decision-log.jsonl"), cut);
    expect(verifyChain(cut).ok).toBe(true);
    const third = await runOnce(artifactOf(second.outDir), published(second));
    expect(verifyChain(third.log)).toMatchObject({ ok: true, records: 1 });
    expect(readFileSync(join(third.outDir, SET_ASIDE.broken), "utf8")).toBe(cut);
    expect(third.recorded.summaryLine).toMatch(/set aside as `decision-log\.broken\.jsonl` \(anchor at line 1: the log has 1 records, the anchor expects 2/);
  });

  it("keeps aside a carried log rewritten with recomputed hashes", async () => {
    const first = await runOnce(undefined, undefined);
    // Same number of records, another actor: a whole valid chain of its own, not the one the status anchors.
    const forged = await runOnce(undefined, undefined, "mallory");
    expect(verifyChain(forged.log).ok).toBe(true);
    const second = await runOnce(artifactOf(forged.outDir), published(first));
    expect(verifyChain(second.log)).toMatchObject({ ok: true, records: 1 });
    expect(readFileSync(join(second.outDir, SET_ASIDE.broken), "utf8")).toBe(forged.log);
    expect(second.recorded.summaryLine).toMatch(/anchor at line 1: the last record's hash is sha256:[0-9a-f]{64}, the anchor expects/);
  });

  it("does not extend a carried log that no status anchors, and keeps it aside", async () => {
    const first = await runOnce(undefined, undefined);
    const second = await runOnce(artifactOf(first.outDir), undefined);
    expect(verifyChain(second.log)).toMatchObject({ ok: true, records: 1 });
    expect(readFileSync(join(second.outDir, SET_ASIDE.unanchored), "utf8")).toBe(first.log);
    expect(second.recorded.summaryLine).toContain("no commit status of the run that wrote it anchors it");
  });

  it("keeps aside a carried empty log when the anchor expects records", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rg-prev-"));
    await mkdir(dir, { recursive: true });
    writeFileSync(join(dir, "decision-log.jsonl"), "");
    const first = await runOnce(undefined, undefined);
    const second = await runOnce(artifactOf(dir), published(first));
    expect(existsSync(join(second.outDir, SET_ASIDE.broken))).toBe(true);
    expect(second.recorded.summaryLine).toContain("empty at line 1");
  });

  it("reads the anchor from the newest status of its context that carries one", async () => {
    const head = `sha256:${"cd".repeat(32)}`;
    const statuses = [
      { context: "replay-gate", description: "replaying pinned windows under base and head policies…" },
      { context: "other", description: anchoredDescription("pass", { head: `sha256:${"ee".repeat(32)}`, records: 9 }, 140) },
      { context: "Replay-Gate", description: anchoredDescription("pending: waiting for approvals", { head, records: 4 }, 140) },
      { context: "replay-gate", description: anchoredDescription("fail", { head: `sha256:${"11".repeat(32)}`, records: 3 }, 140) },
    ];
    const octokit = { paginate: vi.fn(async () => statuses), rest: { repos: { listCommitStatusesForRef: vi.fn() } } };
    const target = { octokit, owner: "o", repo: "r", context: "replay-gate" } as unknown as Parameters<typeof findLogAnchor>[0];
    expect(await findLogAnchor(target, "b".repeat(40))).toEqual({ head: head.slice(0, 23), records: 4 });
    const failing = { ...target, octokit: { ...octokit, paginate: vi.fn(async () => Promise.reject(new Error("boom"))) } } as unknown as Parameters<typeof findLogAnchor>[0];
    expect(await findLogAnchor(failing, "b".repeat(40))).toBeUndefined();
  });
});
