/** Issue 9 item 9: the fork commenter posts only what it can trust. */
import { beforeAll, describe, expect, it } from "vitest";
import { buildForkComment, FORK_COMMENT_MARKER, reportDigestLine } from "../../../src/core/comment/fork-comment.js";
import { stableJson } from "../../../src/core/report/json.js";
import type { Report } from "../../../src/core/report/report-schema.js";
import { demoReport } from "../../support/demo.js";

const RUN = { runUrl: "https://github.com/acme/netops/actions/runs/5", headRepo: "mallory/netops", headSha: "f".repeat(40) };
let report: Report;
let text: string;

beforeAll(async () => {
  report = await demoReport();
  text = stableJson(report);
});

describe("the fork commenter", () => {
  it("marks the comment as produced by the fork's run and shows the re-derived verdict without a ✅", () => {
    const c = buildForkComment(RUN, text, `## ✅ replay-gate: pass — anything the fork wrote\n${reportDigestLine(text)}\n`);
    expect(c.ok).toBe(true);
    expect(c.body.startsWith(`${FORK_COMMENT_MARKER}\n## replay-gate (fork run, unverified): thresholds fail\n`)).toBe(true);
    expect(c.body).toContain("**Produced by the fork's run**");
    expect(c.body).toContain("no status is set");
    expect(c.body).not.toContain("✅");
    expect(c.body).not.toContain("anything the fork wrote");
  });

  it("rejects a body whose report digest does not match report.json", () => {
    const c = buildForkComment(RUN, text, `## ✅ replay-gate: pass\n${reportDigestLine(text.replace("edge-gw", "edge-gx"))}\n`);
    expect(c.ok).toBe(false);
    expect(c.body).toContain("was **rejected**: the report digest in comment.md");
    expect(c.body).not.toContain("✅");
    expect(buildForkComment(RUN, text, "## ✅ replay-gate: pass\n").ok).toBe(false);
  });

  it("rejects a report that claims pass while its own windows fail the thresholds", () => {
    const forged = stableJson({ ...report, verdict: "pass", evaluation: { ...report.evaluation, verdict: "pass", reasons: [] } });
    const c = buildForkComment(RUN, forged, reportDigestLine(forged));
    expect(c.ok).toBe(false);
    expect(c.ok ? "" : c.reason).toBe("report.json states the thresholds verdict pass, but its windows give fail");
  });

  it("rejects a report.json that is not a report", () => {
    const junk = JSON.stringify({ verdict: "pass" });
    expect(buildForkComment(RUN, junk, reportDigestLine(junk))).toMatchObject({ ok: false, reason: "report.json is not a valid replay-gate/report@1 document" });
  });
});

describe("the workflow_run trigger", () => {
  it("plans a fork comment for a fork pull request's run, and refuses any other workflow_run", async () => {
    const { writeFileSync, mkdtempSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const { planRun } = await import("../../../src/action/events.js");
    const dir = mkdtempSync(join(tmpdir(), "rg-wfrun-"));
    const payload = (head: string) => ({
      workflow_run: { id: 5, event: "pull_request", html_url: RUN.runUrl, head_sha: RUN.headSha, head_repository: { full_name: head }, repository: { full_name: "acme/netops" } },
    });
    writeFileSync(join(dir, "fork.json"), JSON.stringify(payload("mallory/netops")));
    writeFileSync(join(dir, "same.json"), JSON.stringify(payload("acme/netops")));
    expect(await planRun("workflow_run", join(dir, "fork.json"), undefined)).toEqual({ kind: "fork_comment", runId: 5, runUrl: RUN.runUrl, headSha: RUN.headSha, headRepo: "mallory/netops" });
    await expect(planRun("workflow_run", join(dir, "same.json"), undefined)).rejects.toThrow(/only posts the result of a fork pull request's gate run/);
  });
});
