/**
 * The rendered surfaces and the input helper, with data and typed fakes: the sticky comment's
 * marker, metadata, history and size limit; stale-run protection; the job summary budget; the
 * status line; neutralised text; shard selection; input validation.
 */
import type * as core from "@actions/core";
import { describe, expect, it, vi } from "vitest";
import { commentContent, commentMarker, isStale, isStickyBody, nextHistory, parseCommentState, visibleBody, wrapComment, type CommentEnvelope } from "../../../src/core/comment/envelope.js";
import { renderCommentContent } from "../../../src/core/comment/content.js";
import { MAX_COMMENT_CONTENT_CHARS } from "../../../src/core/limits.js";
import { MAX_COMMENT_CHARS } from "../../../src/core/limits.js";
import { forGitHubText } from "../../../src/core/neutralize.js";
import { statusDescription } from "../../../src/core/surfaces/status.js";
import { selectShard } from "../../../src/core/shards/merge.js";
import type { GateResult } from "../../../src/core/approvals/types.js";
import { readInputs, replayInputs } from "../../../src/action/inputs.js";
import { fitSummary } from "../../../src/core/surfaces/summary.js";
import { MAX_SUMMARY_BYTES } from "../../../src/core/limits.js";

const SHA = "c".repeat(40);
const marker = commentMarker(".github/replay-gate.yml");
const meta = { sha: SHA, started: "2026-03-01T10:00:00.000Z", run: "https://github.com/acme/netops/actions/runs/1/attempts/1" };
const CONTENT = renderCommentContent({ verdict: "pass", headline: "pass: all good", gateMarkdown: "### Gate\n\n- thresholds: pass\n", report: undefined });
const envelope = (over: Partial<CommentEnvelope> = {}): CommentEnvelope => ({
  marker,
  meta,
  runLink: "<sub>the artifact replay-gate-1-1 of [this run](https://github.com/acme/netops/actions/runs/1/attempts/1)</sub>",
  history: [],
  ...over,
});

describe("sticky comment body", () => {
  it("starts with the marker, hides run metadata and history, and reads them back", () => {
    const history = [{ sha: "d".repeat(40), verdict: "fail" as const, at: "2026-02-28T10:00:00.000Z", run: "https://x/run/0" }];
    const body = wrapComment(CONTENT, envelope({ history }));
    expect(body.split("\n")[0]).toBe(marker);
    expect(isStickyBody(body, marker)).toBe(true);
    expect(parseCommentState(body)).toEqual({ meta, history });
    expect(body).toContain("Run history (1 earlier)");
  });

  it("never treats a person's comment that quotes the marker as ours", () => {
    expect(isStickyBody(`> ${marker}\nI disagree`, marker)).toBe(false);
    expect(isStickyBody(`Look: ${marker}`, marker)).toBe(false);
  });

  it("ignores a rewrite that would change only the run metadata", () => {
    const a = wrapComment(CONTENT, envelope());
    const b = wrapComment(CONTENT, envelope({ meta: { ...meta, started: "2026-03-01T11:00:00.000Z" } }));
    expect(a).not.toBe(b);
    expect(visibleBody(a)).toBe(visibleBody(b));
  });

  it("stays within GitHub's limit: the content within its own budget, then the history shortened to five entries", () => {
    const gateHuge = Array.from({ length: 3000 }, (_, i) => `- reviewer ${i} not counted\n`).join("\n");
    const content = renderCommentContent({ verdict: "pending", headline: "pending: waiting", gateMarkdown: gateHuge, report: undefined });
    expect(content.length).toBeLessThanOrEqual(MAX_COMMENT_CONTENT_CHARS);
    expect(content).toContain("**Truncated**: ");
    expect(content).toContain("see report.json for the full report");
    const history = Array.from({ length: 30 }, (_, i) => ({
      sha: SHA,
      verdict: "pending" as const,
      at: `2026-03-01T10:${String(i).padStart(2, "0")}:00.000Z`,
      run: `https://github.com/acme/netops/actions/runs/${"9".repeat(200)}${i}/attempts/1`,
    }));
    const body = wrapComment(content, envelope({ history }));
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(parseCommentState(body).history).toHaveLength(5);
    expect(commentContent(body)).toBe(content);
  });

  it("protects a newer run's comment: a newer head, or the same head from a later-started run", () => {
    expect(isStale(meta, { ...meta, sha: "e".repeat(40) }, "e".repeat(40))).toBe(true);
    expect(isStale(meta, { ...meta, started: "2026-03-01T10:00:01.000Z" }, SHA)).toBe(true);
    expect(isStale(meta, { ...meta, started: "2026-03-01T09:59:59.000Z" }, SHA)).toBe(false);
    expect(isStale(meta, undefined, SHA)).toBe(false);
  });

  it("adds the previous verdict to the history only when the commit or verdict changed", () => {
    const mine = { sha: SHA, verdict: "pass" as const, at: meta.started, run: meta.run };
    expect(nextHistory([], meta, "pass", mine)).toEqual([]);
    expect(nextHistory([], meta, "pending", mine)).toEqual([{ sha: SHA, verdict: "pending", at: meta.started, run: meta.run }]);
  });
});

describe("neutralised text", () => {
  it("cannot mention, open HTML or forge a marker", () => {
    const text = forGitHubText(`@octocat <!-- replay-gate:sticky x --> <img src=x>\u202e`);
    expect(text).not.toMatch(/@[a-z]/);
    expect(text).not.toContain("<");
    expect(text).not.toContain("\u202e");
  });
});

describe("status description", () => {
  it("fits GitHub's 140 characters", () => {
    const gate = { verdict: "pending", summary: "waiting for approvals: " + "x ".repeat(200) } as unknown as GateResult;
    expect([...statusDescription(gate)].length).toBeLessThanOrEqual(140);
  });
});

describe("job summary budget", () => {
  it("keeps everything when it fits, drops the detail first, and truncates at a line past 1 MiB", () => {
    expect(fitSummary("head", "detail", "see artifact")).toBe("head\n\ndetail\n");
    const big = "x".repeat(MAX_SUMMARY_BYTES);
    expect(fitSummary("head", big, "see artifact")).toContain("does not fit in the job summary; see artifact");
    const lines = Array.from({ length: 40_000 }, (_, i) => `line ${i} ${"é".repeat(20)}`).join("\n");
    const out = fitSummary(lines, big, "see artifact");
    expect(Buffer.byteLength(out)).toBeLessThan(MAX_SUMMARY_BYTES);
    expect(out).toContain("… truncated; see artifact.");
  });
});

describe("shards", () => {
  it("deal every window to exactly one shard, balanced and independent of input order", () => {
    const windows = Array.from({ length: 10 }, (_, i) => `policies/windows/w${i}`);
    const shards = [1, 2, 3, 4].map((index) => selectShard(windows, (w) => w, { index, total: 4 }));
    expect(shards.flat().sort()).toEqual([...windows].sort());
    expect(shards.map((s) => s.length).sort()).toEqual([2, 2, 3, 3]);
    expect(selectShard([...windows].reverse(), (w) => w, { index: 2, total: 4 }).sort()).toEqual([...shards[1]!].sort());
  });
});

describe("inputs", () => {
  const fake = (values: Record<string, string>) => vi.fn<typeof core.getInput>((name: string) => values[name] ?? "");

  it("fills defaults for empty inputs", () => {
    expect(readInputs(fake({ "github-token": "t" }))).toEqual({
      config: ".github/replay-gate.yml",
      configExplicit: false,
      token: "t",
      approvalsToken: undefined,
      comment: "update",
      failOn: "fail",
      shard: undefined,
      merge: false,
      statusContext: "replay-gate",
      jobs: "auto",
      cacheDir: undefined,
    });
  });

  it("reads jobs (never more than the cores) and cache-dir, resolving the cache under RUNNER_TEMP and refusing one in the workspace", () => {
    const env = { workspace: "/w", runnerTemp: "/rt" };
    const s = readInputs(fake({ "github-token": "t", jobs: "1", "cache-dir": "replay-gate-cache" }));
    expect(s).toMatchObject({ jobs: 1, cacheDir: "replay-gate-cache" });
    expect(replayInputs(s, env)).toEqual({ jobs: 1, cacheDir: "/rt/replay-gate-cache" });
    expect(replayInputs(readInputs(fake({ "github-token": "t" })), env).cacheDir).toBeUndefined();
    for (const inside of ["/w", "/w/.replay-gate/cache", "../w/cache"]) expect(() => replayInputs(readInputs(fake({ "github-token": "t", "cache-dir": inside })), env)).toThrow(/inside the workspace/);
    expect(readInputs(fake({ "github-token": "t", jobs: "64" })).jobs).toBe(64);
    expect(() => readInputs(fake({ "github-token": "t", jobs: "0" }))).toThrow('Input "jobs" is "0"; expected a whole number of workers from 1 to 64, or empty for every core');
  });

  it("marks a config path given in the input as explicit (it must then exist) and reads approvals-token", () => {
    const s = readInputs(fake({ "github-token": "t", config: ".github/gate.yml", "approvals-token": "ghs_app" }));
    expect(s).toMatchObject({ config: ".github/gate.yml", configExplicit: true, approvalsToken: "ghs_app" });
  });

  it("names the input and the allowed values on a bad value", () => {
    expect(() => readInputs(fake({ "github-token": "t", comment: "sometimes" }))).toThrow('Input "comment" is "sometimes"; allowed values: update, new, hide-and-new, delete-and-new, off');
    expect(() => readInputs(fake({ "github-token": "t", "fail-on": "warn" }))).toThrow('Input "fail-on" is "warn"; allowed values: fail, pending, never');
    expect(() => readInputs(fake({ "github-token": "t", shard: "5/4" }))).toThrow(/Input "shard" is "5\/4"/);
    expect(() => readInputs(fake({ "github-token": "t", shard: "1/2", merge: "true" }))).toThrow(/exclude each other/);
    expect(() => readInputs(fake({ "github-token": "t", config: "../elsewhere.yml" }))).toThrow(/Input "config"/);
    expect(() => readInputs(fake({}))).toThrow(/Input "github-token" is empty/);
  });

  it("parses a shard", () => {
    expect(readInputs(fake({ "github-token": "t", shard: "2/4" })).shard).toEqual({ index: 2, total: 4 });
  });
});

describe("annotations", () => {
  it("emits at most the runner's 10 per step and counts the rest in one more notice", async () => {
    const { emitAnnotations } = await import("../../../src/action/annotations.js");
    const { fitAnnotations } = await import("../../../src/core/surfaces/annotations.js");
    const lines: string[] = [];
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      const { emit, dropped } = fitAnnotations(Array.from({ length: 14 }, (_, i) => ({ file: "policies/edge-gw.yaml", line: i + 1, title: `rule ${i}`, message: `changed ${i}` })));
      expect(dropped).toBe(5);
      emitAnnotations(emit);
    } finally {
      spy.mockRestore();
    }
    const notices = lines
      .join("")
      .split("\n")
      .filter((l) => l.startsWith("::notice"));
    expect(notices).toHaveLength(10);
    expect(notices[9]).toContain("5 more changed rule(s) not annotated");
  });
});
