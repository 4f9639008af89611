/**
 * The gate section and the sticky comment, byte for byte. Rewritten only on purpose with
 * UPDATE_GOLDEN=1 — and a person reads the diff.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { commentMarker, commentContent, wrapComment } from "../../../src/core/comment/envelope.js";
import { renderCommentContent } from "../../../src/core/comment/content.js";
import { decideGate } from "../../../src/core/approvals/decide.js";
import { renderGateMarkdown } from "../../../src/core/comment/gate-section.js";
import { configSchema } from "../../../src/core/config.js";
import { expectGolden } from "../../support/golden.js";

const GOLDEN = path.join(import.meta.dirname, "golden");

const golden = (name: string, actual: string): void => expectGolden(path.join(GOLDEN, name), actual);

const HEAD = "1f".repeat(20);
const OLD = "2e".repeat(20);
const BASE = "3d".repeat(20);
const DIGEST = `sha256:${"ab".repeat(32)}`;

function gate() {
  return decideGate({
    config: configSchema.parse({
      approvals: [
        { paths: "policies/prod/**", required: 2, from: ["team:noc-reviewers", "user:alice"] },
        { when: "promotion", required: 1, from: ["team:neteng-leads"] },
      ],
      environments: { prod: { posture: "governed" } },
    }),
    configOrigin: { file: `${BASE}:.github/replay-gate.yml`, sha256: `sha256:${"cd".repeat(32)}`, changedInPullRequest: true },
    evaluation: { verdict: "pass", thresholds: configSchema.parse({}).thresholds, reasons: [] },
    changedFiles: ["policies/prod/edge-gw.yaml", ".github/replay-gate.yml"],
    policies: [{ name: "edge-gw", file: "policies/prod/edge-gw.yaml", baseMode: "dry-run", headMode: "enforce", environments: ["prod"] }],
    author: "dev",
    headSha: HEAD,
    headDigest: DIGEST,
    reviews: [
      { id: 1, user: { login: "carol", type: "User" }, state: "APPROVED", commit_id: OLD, submitted_at: "2026-03-01T10:00:00Z" },
      { id: 2, user: { login: "dev", type: "User" }, state: "APPROVED", commit_id: HEAD, submitted_at: "2026-03-01T10:01:00Z" },
      { id: 3, user: { login: "mallory", type: "User" }, state: "APPROVED", commit_id: HEAD, submitted_at: "2026-03-01T10:02:00Z" },
      { id: 4, user: { login: "dependabot[bot]", type: "Bot" }, state: "APPROVED", commit_id: HEAD, submitted_at: "2026-03-01T10:03:00Z" },
    ],
    reviewers: {
      carol: { role: "write", teams: { "team:noc-reviewers": "member", "team:neteng-leads": "not-member" } },
      mallory: { role: "read", teams: { "team:noc-reviewers": "not-member", "team:neteng-leads": "not-member" } },
    },
    reviewDigests: { [OLD]: DIGEST },
  });
}

describe("golden", () => {
  it("gate section: pending promotion and path approvals, config changed, carried-over approval", () => {
    golden("gate-pending.md", renderGateMarkdown(gate(), { baseSha: BASE, headSha: HEAD, blastRadius: { service: ["edge-gw"], region: [], pop: ["POP-12"] } }));
  });

  it("sticky comment with history: the rendered content inside the marker, run link and history", () => {
    const g = gate();
    const content = renderCommentContent({ verdict: g.verdict, headline: g.summary, gateMarkdown: renderGateMarkdown(g, { baseSha: BASE, headSha: HEAD }), report: undefined });
    const body = wrapComment(content, {
      marker: commentMarker(".github/replay-gate.yml"),
      meta: { sha: HEAD, started: "2026-03-01T10:05:00.000Z", run: "https://github.com/acme/netops/actions/runs/42/attempts/1" },
      runLink: "<sub>report.json, the evidence and the decision log: the artifact replay-gate-42-1 of [this run](https://github.com/acme/netops/actions/runs/42/attempts/1)</sub>",
      history: [{ sha: OLD, verdict: "fail", at: "2026-03-01T09:00:00.000Z", run: "https://github.com/acme/netops/actions/runs/41/attempts/1" }],
    });
    expect(commentContent(body)).toBe(content);
    golden("comment-pending.md", body);
  });
});
