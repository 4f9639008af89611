/**
 * The pure gate, tested with data: GitHub's review semantics, who counts and why not, posture,
 * promotion, threshold-breach acceptance, and the verdict's order (fail, then pending, then pass).
 */
import { describe, expect, it } from "vitest";
import { decideGate } from "../../../src/core/approvals/decide.js";
import { standingReviews } from "../../../src/core/approvals/reviews.js";
import type { ReviewerFacts } from "../../../src/core/approvals/types.js";
import { breach, DIGEST, gateInput as input, HEAD, OLD, review } from "../../support/gate-input.js";

const writer: ReviewerFacts = { role: "write", teams: {} };

const onePath = { approvals: [{ paths: "policies/*.yaml", required: 1, from: ["user:alice", "team:noc"] }] };

describe("standing reviews", () => {
  it("keeps each reviewer's latest review that is not a comment, whatever the input order", () => {
    const reviews = [
      review("alice", "APPROVED"),
      review("alice", "COMMENTED"),
      review("bob", "APPROVED"),
      review("bob", "CHANGES_REQUESTED"),
      review("carol", "APPROVED"),
      review("carol", "DISMISSED"),
    ];
    const expected = [
      ["alice", "APPROVED"],
      ["bob", "CHANGES_REQUESTED"],
      ["carol", "DISMISSED"],
    ];
    expect(standingReviews(reviews).map((s) => [s.login, s.state])).toEqual(expected);
    expect(standingReviews([...reviews].reverse()).map((s) => [s.login, s.state])).toEqual(expected);
  });
});

describe("decideGate", () => {
  it("passes when no approval rule applies", () => {
    expect(decideGate(input({})).verdict).toBe("pass");
  });

  it("is pending without approvals and names who can still approve", () => {
    const gate = decideGate(input({ rawConfig: onePath }));
    expect(gate.verdict).toBe("pending");
    expect(gate.requirements[0]?.can_still_approve).toEqual(["user:alice", "team:noc"]);
  });

  it("counts a listed user with write access and refuses author, bot, read permission and dismissed reviews with reasons", () => {
    const gate = decideGate(
      input({
        rawConfig: { approvals: [{ paths: "policies/*.yaml", required: 2, from: ["user:alice", "user:bob", "user:dev", "user:zed"] }] },
        reviews: [review("alice", "APPROVED"), review("dev", "APPROVED"), review("ci[bot]", "APPROVED", HEAD, "Bot"), review("bob", "APPROVED"), review("zed", "APPROVED"), review("zed", "DISMISSED")],
        reviewers: { alice: writer, bob: { role: "read", teams: {} } },
      }),
    );
    expect(gate.verdict).toBe("pending");
    expect(gate.requirements[0]?.counted.map((c) => c.login)).toEqual(["alice"]);
    expect(Object.fromEntries(gate.requirements[0]!.refused.map((r) => [r.login, r.reason]))).toEqual({
      bob: "is user:bob but has read permission (write, maintain or admin needed)",
      "ci[bot]": "is a bot",
      dev: "is the pull request author",
      zed: "approval was dismissed",
    });
    expect(gate.requirements[0]?.can_still_approve).toEqual(["user:bob", "user:zed"]);
  });

  it("says 'cannot verify' for a team the token cannot read, not 'not a member'", () => {
    const gate = decideGate(input({ rawConfig: onePath, reviews: [review("erin", "APPROVED")], reviewers: { erin: { role: "write", teams: { "team:noc": "cannot-verify" } } } }));
    expect(gate.requirements[0]?.refused).toEqual([
      {
        login: "erin",
        reason:
          "cannot verify membership of team:noc (the token cannot read the team: set the approvals-token input to a GitHub App or fine-grained token with Members: read, see the Team approvals section of docs/action.md)",
      },
    ]);
  });

  it("carries an approval of an older commit over only when its evidence digest equals head's", () => {
    const same = decideGate(input({ rawConfig: onePath, reviews: [review("alice", "APPROVED", OLD)], reviewers: { alice: writer }, reviewDigests: { [OLD]: DIGEST } }));
    expect(same.verdict).toBe("pass");
    expect(same.requirements[0]?.counted[0]?.carried_over).toBe(true);
    const changed = decideGate(input({ rawConfig: onePath, reviews: [review("alice", "APPROVED", OLD)], reviewers: { alice: writer }, reviewDigests: { [OLD]: `sha256:${"2".repeat(64)}` } }));
    expect(changed.verdict).toBe("pending");
    expect(changed.requirements[0]?.refused[0]?.reason).toMatch(/^approved bbbbbbb; the evidence changed since/);
    const unreadable = decideGate(input({ rawConfig: onePath, reviews: [review("alice", "APPROVED", OLD)], reviewers: { alice: writer }, reviewDigests: { [OLD]: null } }));
    expect(unreadable.requirements[0]?.refused[0]?.reason).toBe("approved bbbbbbb, which could not be read to compare its evidence with head");
  });

  it("requires the promotion approvers when a policy goes dry-run → enforce, and locked posture fails it outright", () => {
    const promoted = [{ name: "edge-gw", file: "policies/edge-gw.yaml", baseMode: "dry-run" as const, headMode: "enforce" as const, environments: ["prod"] }];
    const rules = { approvals: [{ when: "promotion", from: ["team:leads"] }] };
    expect(decideGate(input({ rawConfig: rules, policies: promoted })).requirements.map((r) => [r.id, r.because])).toEqual([["promotion", ["edge-gw: dry-run → enforce"]]]);
    const locked = decideGate(
      input({
        rawConfig: { ...rules, environments: { prod: { posture: "locked" } } },
        policies: promoted,
        reviews: [review("lead", "APPROVED")],
        reviewers: { lead: { role: "write", teams: { "team:leads": "member" } } },
      }),
    );
    expect(locked.verdict).toBe("fail");
    expect(locked.reasons[0]?.code).toBe("posture-locked");
    const open = decideGate(input({ rawConfig: { ...rules, environments: { prod: { posture: "open" } } }, policies: promoted }));
    expect(open.verdict).toBe("pass");
    expect(open.requirements[0]?.waived).toBe("the promoted policies run only in open environments");
  });

  it("lets an owner accept a threshold breach, but never a nondeterministic replay", () => {
    const rules = { approvals: [{ when: "threshold-breach", from: ["user:owner"] }] };
    const owner = { reviews: [review("owner", "APPROVED")], reviewers: { owner: writer } };
    expect(decideGate(input({ rawConfig: rules, evaluation: breach("parity-below-min") })).verdict).toBe("fail");
    const accepted = decideGate(input({ rawConfig: rules, evaluation: breach("parity-below-min"), ...owner }));
    expect([accepted.verdict, accepted.breaches]).toEqual(["pass", { accepted: ["parity-below-min"], remaining: [] }]);
    expect(accepted.reasons.map((r) => r.code)).toContain("breach-accepted");
    const nondeterministic = decideGate(input({ rawConfig: rules, evaluation: breach("nondeterministic"), ...owner }));
    expect(nondeterministic.verdict).toBe("fail");
    expect(nondeterministic.reasons[0]?.code).toBe("breach-not-acceptable");
  });

  it("fails before pending: a breach with missing approvals is a failure", () => {
    const gate = decideGate(input({ rawConfig: onePath, evaluation: breach("incidents-added") }));
    expect(gate.verdict).toBe("fail");
    expect(gate.reasons.map((r) => r.code)).toEqual(["thresholds", "approvals-missing"]);
  });

  it("says so when the pull request changes the config it is judged by", () => {
    const gate = decideGate(input({ configOrigin: { file: null, sha256: null, changedInPullRequest: true } }));
    expect(gate.reasons.map((r) => r.code)).toEqual(["config-changed"]);
    expect(gate.config.note).toMatch(/evaluated under the base commit's config/);
  });
});
