/**
 * The publisher, in-process, with a typed fake at the Octokit edge (test/support/fake-octokit.ts):
 * the sticky comment's modes and stale-run protection, a create whose answer GitHub lost, people's
 * comments never touched, the status a slow run leaves to a newer one, the regression issue's
 * lifecycle, and comment and summary sizes for a report too large for a comment.
 */
import { beforeAll, describe, expect, it, vi } from "vitest";
import { publishComment, type CommentPost } from "../../src/action/comment.js";
import { syncRegressionIssue } from "../../src/action/regression-issue.js";
import { setStatus, supersededByNewerRun, type StatusTarget } from "../../src/action/status.js";
import { WriteGuard } from "../../src/action/writes.js";
import { renderCommentContent } from "../../src/core/comment/content.js";
import { commentContent, commentMarker, parseCommentState } from "../../src/core/comment/envelope.js";
import { MAX_COMMENT_CHARS, MAX_SUMMARY_BYTES } from "../../src/core/limits.js";
import { renderDiffMarkdown } from "../../src/core/report/markdown.js";
import type { Report, WindowResult } from "../../src/core/report/report-schema.js";
import { renderGateSummary } from "../../src/core/surfaces/summary.js";
import { fakeGitHub, type FakeGitHub } from "../support/fake-octokit.js";
import { demoReport } from "../support/demo.js";

// Keep the runner's log quiet: the publisher logs through @actions/core.
vi.spyOn(process.stdout, "write").mockImplementation(() => true);

const marker = commentMarker(".github/replay-gate.yml");
const A = "a".repeat(40);
const B = "b".repeat(40);
const run = (n: number) => `https://github.com/acme/netops/actions/runs/${n}/attempts/1`;

function post(verdict: CommentPost["verdict"], sha: string, n: number, started = `2026-03-01T10:0${n}:00.000Z`): CommentPost {
  const content = renderCommentContent({ verdict, headline: `${verdict}: one line`, gateMarkdown: "### Gate\n\n- thresholds: pass\n", report: undefined });
  return { meta: { sha, started, run: run(n) }, verdict, content, runLink: `<sub>the artifact replay-gate-${n}-1 of [this run](${run(n)})</sub>` };
}

const target = (gh: FakeGitHub) => ({ octokit: gh.octokit, owner: "acme", repo: "netops", issueNumber: 7, marker });
const writes = (gh: FakeGitHub) => gh.calls.filter((c) => c !== "issues.listComments");

describe("sticky comment", () => {
  it("creates one comment, then writes nothing when a later run would show the same", async () => {
    const gh = fakeGitHub();
    expect(await publishComment(target(gh), new WriteGuard(false), "update", post("pass", A, 1), A)).toBe("created");
    gh.calls.length = 0;
    expect(await publishComment(target(gh), new WriteGuard(false), "update", post("pass", A, 2), A)).toBe("unchanged");
    expect(writes(gh)).toEqual([]);
    expect(gh.comments).toHaveLength(1);
  });

  it("updates in place when the verdict changes, keeping the earlier verdict in the history", async () => {
    const gh = fakeGitHub();
    await publishComment(target(gh), new WriteGuard(false), "update", post("pending", A, 1), A);
    expect(await publishComment(target(gh), new WriteGuard(false), "update", post("pass", A, 2), A)).toBe("updated");
    expect(gh.comments).toHaveLength(1);
    expect(parseCommentState(gh.comments[0]!.body).history.map((h) => h.verdict)).toEqual(["pending"]);
    expect(commentContent(gh.comments[0]!.body)).toBe(post("pass", A, 2).content);
  });

  it("hide-and-new adds a comment and minimizes the older one as outdated", async () => {
    const gh = fakeGitHub();
    await publishComment(target(gh), new WriteGuard(false), "update", post("pending", A, 1), A);
    gh.calls.length = 0;
    expect(await publishComment(target(gh), new WriteGuard(false), "hide-and-new", post("pass", A, 2), A)).toBe("created");
    expect(writes(gh)).toEqual(["issues.createComment", "graphql"]);
    expect(gh.comments.map((c) => c.minimized)).toEqual([true, false]);
    expect(gh.comments[1]!.body).toContain("## replay-gate: ✅ pass");
  });

  it("delete-and-new adds a comment and deletes the older ones, carrying the history", async () => {
    const gh = fakeGitHub();
    await publishComment(target(gh), new WriteGuard(false), "update", post("pending", A, 1), A);
    await publishComment(target(gh), new WriteGuard(false), "hide-and-new", post("pass", A, 2), A);
    expect(await publishComment(target(gh), new WriteGuard(false), "delete-and-new", post("pending", A, 3), A)).toBe("created");
    expect(gh.comments).toHaveLength(1);
    expect(gh.comments[0]!.body).toContain("## replay-gate: ⏳ pending");
    expect(gh.comments[0]!.body).toContain("Run history (2 earlier)");
  });

  it("off writes nothing and reads nothing", async () => {
    const gh = fakeGitHub();
    expect(await publishComment(target(gh), new WriteGuard(false), "off", post("pass", A, 1), A)).toBe("off");
    expect(gh.calls).toEqual([]);
  });

  it("never edits a person's comment that quotes or starts with the marker", async () => {
    const gh = fakeGitHub();
    const people = [`> ${marker}\n> the bot said this`, `${marker}\nI typed the marker myself`];
    for (const [i, body] of people.entries()) gh.comments.push({ id: 100 + i, node_id: `IC_h${i}`, body, user: { login: "alice", type: "User" }, minimized: false });
    await publishComment(target(gh), new WriteGuard(false), "update", post("pass", A, 1), A);
    await publishComment(target(gh), new WriteGuard(false), "delete-and-new", post("fail", A, 2), A);
    expect(gh.comments.filter((c) => c.user.type === "User").map((c) => [c.body, c.minimized])).toEqual(people.map((b) => [b, false]));
  });

  it("leaves a newer head's comment, and a later-started run's comment on the same head, in place", async () => {
    const gh = fakeGitHub();
    await publishComment(target(gh), new WriteGuard(false), "update", post("pass", B, 2), B);
    gh.calls.length = 0;
    expect(await publishComment(target(gh), new WriteGuard(false), "update", post("fail", A, 1), B)).toBe("stale");
    expect(await publishComment(target(gh), new WriteGuard(false), "update", post("fail", B, 3, "2026-03-01T09:00:00.000Z"), B)).toBe("stale");
    expect(writes(gh)).toEqual([]);
  });

  it("does not post twice when GitHub created the comment but lost the answer", async () => {
    const gh = fakeGitHub();
    gh.loseNextCreateAnswer = true;
    expect(await publishComment(target(gh), new WriteGuard(false), "update", post("pass", A, 1), A)).toBe("created");
    expect(gh.comments).toHaveLength(1);
    expect(gh.calls.filter((c) => c === "issues.createComment")).toHaveLength(1);
  });
});

describe("commit status", () => {
  it("yields to a run that wrote its pending after ours", async () => {
    const gh = fakeGitHub();
    const mine: StatusTarget = { octokit: gh.octokit, owner: "acme", repo: "netops", sha: A, context: "replay-gate", runUrl: run(1) };
    const newer: StatusTarget = { ...mine, runUrl: run(2) };
    await setStatus(mine, new WriteGuard(false), "pending", "replaying");
    expect(await supersededByNewerRun(mine)).toBe(false);
    await setStatus(newer, new WriteGuard(false), "pending", "replaying");
    expect(await supersededByNewerRun(mine)).toBe(true);
    expect(await supersededByNewerRun(newer)).toBe(false);
  });
});

describe("regression issue", () => {
  it("opens one issue while failing, updates it only when the body changes, and closes it when green", async () => {
    const gh = fakeGitHub();
    const t = { octokit: gh.octokit, owner: "acme", repo: "netops", marker: "<!-- replay-gate:regression x -->" };
    const guard = new WriteGuard(false);
    expect(await syncRegressionIssue(t, guard, true, "regressions", "- w1 failed", run(1))).toBe("opened");
    expect(await syncRegressionIssue(t, guard, true, "regressions", "- w1 failed", run(2))).toBe("unchanged");
    expect(await syncRegressionIssue(t, guard, true, "regressions", "- w1 and w2 failed", run(3))).toBe("updated");
    expect(gh.issues).toHaveLength(1);
    expect(await syncRegressionIssue(t, guard, false, "regressions", "", run(4))).toBe("closed");
    expect(gh.issues[0]!.state).toBe("closed");
    expect(gh.issues[0]!.comments[0]).toContain(run(4));
    expect(await syncRegressionIssue(t, guard, false, "regressions", "", run(5))).toBe("none");
  });
});

describe("a report too large for a comment", () => {
  let big: Report;
  beforeAll(async () => {
    const report = await demoReport();
    const changed = report.windows.filter((w) => w.status === "changed");
    const windows: WindowResult[] = Array.from({ length: 400 }, (_, i) => ({ ...changed[i % changed.length]!, id: `w-${String(i).padStart(3, "0")}`, title: `copy ${i}` }));
    big = { ...report, windows, summary: { ...report.summary, windows: 400, changed: 400, identical: 0 } };
  });

  it("keeps the comment under 65,536 characters with a pointer to report.json and the run's artifact", async () => {
    const gh = fakeGitHub();
    const content = renderCommentContent({ verdict: "fail", headline: "fail: thresholds", gateMarkdown: "### Gate\n\n- **thresholds**: 400 breaches\n", report: big });
    const outcome = await publishComment(target(gh), new WriteGuard(false), "update", { meta: { sha: A, started: "2026-03-01T10:00:00.000Z", run: run(1) }, verdict: "fail", content, runLink: `<sub>the artifact replay-gate-1-1 of [this run](${run(1)})</sub>` }, A);
    expect(outcome).toBe("created");
    const body = gh.comments[0]!.body;
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(body).toContain("## replay-gate: ❌ fail");
    expect(body).toContain("report.json");
    expect(body).toMatch(/replay-gate-\d+-1/);
    expect(commentContent(body)).toBe(content);
  });

  it("still carries the full report in the job summary, larger than any comment and within the runner's limit", () => {
    const pointer = "the full report is in the artifact replay-gate-1-1";
    const summary = renderGateSummary({ verdict: "fail", promotion: "", line: "fail: thresholds", reused: false, notes: [], gateMarkdown: "### Gate\n", reportMarkdown: renderDiffMarkdown(big, { maxChars: 600_000, fullReport: pointer }), pointer });
    expect(summary.length).toBeGreaterThan(MAX_COMMENT_CHARS);
    expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(MAX_SUMMARY_BYTES);
  });
});
