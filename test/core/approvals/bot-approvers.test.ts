/** Issue 9 item 3: a bot in an approver list is accepted and reported; an unreadable config says what to fix. */
import { describe, expect, it } from "vitest";
import { configErrorSummary, renderConfigErrorMarkdown } from "../../../src/core/comment/config-error.js";
import { decideGate } from "../../../src/core/approvals/decide.js";
import { renderGateMarkdown } from "../../../src/core/comment/gate-section.js";
import { configSchema, parseConfigText } from "../../../src/core/config.js";
import { InputError } from "../../../src/core/errors.js";

const HEAD = "a".repeat(40);

describe("a bot in an approver list", () => {
  it("is accepted by the config (block list, unquoted)", () => {
    const c = parseConfigText("approvals:\n  - paths: policies/**\n    from:\n      - team:noc\n      - user:renovate[bot]\n", ".github/replay-gate.yml");
    expect(c.approvals[0]!.from).toEqual(["team:noc", "user:renovate[bot]"]);
  });

  it("still refuses what is neither a team nor a user", () => {
    expect(() => parseConfigText('approvals:\n  - paths: x\n    from: ["bot:renovate"]\n', "c.yml")).toThrow(InputError);
  });

  it("never counts, is not offered as who can still approve, and the comment says bots never count as approvals", () => {
    const config = configSchema.parse({ approvals: [{ paths: "policies/**", from: ["user:renovate[bot]", "user:alice"] }] });
    const gate = decideGate({
      config,
      configOrigin: { file: null, sha256: null, changedInPullRequest: false },
      evaluation: { verdict: "pass", thresholds: config.thresholds, reasons: [] },
      changedFiles: ["policies/a.yaml"],
      policies: [],
      author: "dev",
      headSha: HEAD,
      headDigest: `sha256:${"1".repeat(64)}`,
      reviews: [{ id: 1, user: { login: "renovate[bot]", type: "Bot" }, state: "APPROVED", commit_id: HEAD, submitted_at: "2026-03-01T00:00:00Z" }],
      reviewers: {},
      reviewDigests: {},
    });
    expect(gate.verdict).toBe("pending");
    expect(gate.requirements[0]!.can_still_approve).toEqual(["user:alice"]);
    expect(gate.requirements[0]!.refused).toEqual([{ login: "renovate[bot]", reason: "is a bot" }]);
    const md = renderGateMarkdown(gate, { baseSha: "b".repeat(40), headSha: HEAD });
    expect(md).toContain("- `user:renovate[bot]`: bots never count as approvals");
  });
});

describe("a config the gate cannot read", () => {
  it("renders every located problem and where to fix it: the base branch", () => {
    const where = { path: ".github/replay-gate.yml", baseSha: "c".repeat(40), baseBranch: "main" };
    const problems = [{ file: "ccc:.github/replay-gate.yml", line: 3, column: 15, path: "thresholds.min_parity", message: "expected number, received string" }];
    const md = renderConfigErrorMarkdown(where, problems);
    expect(md).toContain("ccc:.github/replay-gate.yml:3:15: thresholds.min_parity: expected number, received string");
    expect(md).toContain("on `main` (the config is always read from the base commit");
    expect(`fail: ${configErrorSummary(where, problems)}`.length).toBeLessThanOrEqual(140);
  });
});

describe("sharded runs fail closed", () => {
  it("names the shards that uploaded nothing, and refuses a run with none or with mixed totals", async () => {
    const { parseShardArtifactName, shardsIncomplete } = await import("../../../src/core/shards/merge.js");
    const found = ["replay-gate-shard-1of4-9-1", "replay-gate-shard-3of4-9-2", "replay-gate-777-1"].map(parseShardArtifactName).filter((s) => s !== undefined);
    expect(shardsIncomplete(found)).toBe("2 of 4 shard(s) (2/4, 4/4) produced no partial report: failed or cancelled; re-run the failed jobs");
    expect(shardsIncomplete([])).toContain("no shard uploaded a partial report");
    expect(
      shardsIncomplete([
        { index: 1, total: 2, attempt: 1 },
        { index: 2, total: 3, attempt: 1 },
      ]),
    ).toContain("disagree on how many");
    expect(
      shardsIncomplete([
        { index: 1, total: 2, attempt: 1 },
        { index: 2, total: 2, attempt: 1 },
      ]),
    ).toBeNull();
  });
});
