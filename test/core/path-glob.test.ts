/**
 * The one path glob: its syntax, its cost on hostile patterns, and that the Action's gate and
 * `replay --mode enforce` judge an `approvals[].paths` rule alike (they once disagreed on `?`,
 * a leading `./` and an empty segment).
 */
import { describe, expect, it } from "vitest";
import { decideGate } from "../../src/core/approvals/decide.js";
import { configSchema } from "../../src/core/config.js";
import { checkEnforce } from "../../src/core/evidence/enforce.js";
import { isGlob, isUnderWindowSpec, matchesAny, matchPathGlob, matchSegmentGlob, pathSegments } from "../../src/core/path-glob.js";

describe("matchPathGlob", () => {
  it("matches ** across directories, none included, and * within one segment", () => {
    expect(matchPathGlob("policies/prod/**", "policies/prod/a/b.yaml")).toBe(true);
    expect(matchPathGlob("policies/prod/**", "policies/prod")).toBe(true);
    expect(matchPathGlob("policies/prod/**", "policies/stage/b.yaml")).toBe(false);
    expect(matchPathGlob("policies/*.yaml", "policies/edge-gw.yaml")).toBe(true);
    expect(matchPathGlob("policies/*.yaml", "policies/versions/x.yaml")).toBe(false);
    expect(matchPathGlob("**/window.yaml", "policies/windows/w/window.yaml")).toBe(true);
    expect(matchPathGlob("policies/**/prod/*.yaml", "policies/eu/west/prod/edge.yaml")).toBe(true);
    expect(matchPathGlob("policies/**/prod/*.yaml", "policies/eu/west/stage/edge.yaml")).toBe(false);
  });

  it("matches ? as exactly one character inside a segment, never a slash", () => {
    expect(matchPathGlob("policies/prod/?dge.yaml", "policies/prod/edge.yaml")).toBe(true);
    expect(matchPathGlob("policies/prod/?dge.yaml", "policies/prod/dge.yaml")).toBe(false);
    expect(matchPathGlob("policies/prod/?dge.yaml", "policies/prod/hedge.yaml")).toBe(false);
    expect(matchPathGlob("policies?prod/edge.yaml", "policies/prod/edge.yaml")).toBe(false);
  });

  it("reads a leading ./, . segments, doubled and trailing slashes alike on both sides", () => {
    expect(matchPathGlob("./policies/**", "policies/prod/edge.yaml")).toBe(true);
    expect(matchPathGlob("policies//prod/*.yaml", "policies/prod/edge.yaml")).toBe(true);
    expect(matchPathGlob("policies/prod/", "./policies/./prod")).toBe(true);
    expect(matchPathGlob("policies/prod/*.yaml", "policies/prod/edge.yml")).toBe(false);
  });

  it("matches literal characters exactly and case-sensitively around * and ?", () => {
    expect(matchSegmentGlob("Edge*.yaml", "edge-gw.yaml")).toBe(false);
    expect(matchSegmentGlob("*-gw.*", "edge-gw.yaml")).toBe(true);
    expect(matchSegmentGlob("**", "anything")).toBe(true);
    expect(matchSegmentGlob("", "")).toBe(true);
    expect(matchSegmentGlob("?", "")).toBe(false);
  });

  it("answers hostile patterns in polynomial time (no backtracking blow-up)", () => {
    // Exponential matchers take minutes on these; this one does a few thousand steps.
    expect(matchPathGlob("*".repeat(30) + "x", "a".repeat(40))).toBe(false);
    expect(matchSegmentGlob("*a".repeat(200) + "b", "a".repeat(2000))).toBe(false);
    expect(matchPathGlob("**/".repeat(200) + "x", "a/".repeat(500) + "y")).toBe(false);
    expect(matchPathGlob("**/".repeat(200) + "x", "a/".repeat(500) + "x")).toBe(true);
  });

  it("splits paths into segments without the . and empty ones", () => {
    expect(pathSegments("./a//b/./c/")).toEqual(["a", "b", "c"]);
    expect(isGlob("policies/windows/*")).toBe(true);
    expect(isGlob("policies/edge-?w.yaml")).toBe(true);
    expect(isGlob("policies/edge-gw.yaml")).toBe(false);
  });

  it("places a file under a windows: spec's window directories", () => {
    expect(isUnderWindowSpec("policies/windows/*", "policies/windows/w1/events.ndjson.gz")).toBe(true);
    expect(isUnderWindowSpec("policies/windows/", "policies/windows/w1/window.yaml")).toBe(true);
    expect(isUnderWindowSpec("policies/windows/*", "policies/edge-gw.yaml")).toBe(false);
    expect(matchesAny(["a/*", "b/**"], "b/c/d")).toBe(true);
    expect(matchesAny([], "b/c/d")).toBe(false);
  });
});

describe("one judgement of approvals[].paths in the gate and in replay --mode enforce", () => {
  const cases = [
    ["policies/prod/?dge.yaml", "policies/prod/edge.yaml", true],
    ["./policies/**", "policies/prod/edge.yaml", true],
    ["policies//prod/*.yaml", "policies/prod/edge.yaml", true],
    ["policies/prod/*.yaml", "policies/stage/edge.yaml", false],
  ] as const;
  const config = (glob: string) => configSchema.parse({ approvals: [{ paths: glob, required: 1, from: ["user:alice"] }], environments: { prod: { posture: "governed" } } });

  const gateAsks = (glob: string, file: string): boolean => {
    const gate = decideGate({
      config: config(glob),
      configOrigin: { file: null, sha256: null, changedInPullRequest: false },
      evaluation: { verdict: "pass", thresholds: configSchema.parse({}).thresholds, reasons: [] },
      changedFiles: [file],
      policies: [{ name: "edge", file, baseMode: "enforce", headMode: "enforce", environments: ["prod"] }],
      author: "dev",
      headSha: "1f".repeat(20),
      headDigest: `sha256:${"ab".repeat(32)}`,
      reviews: [],
      reviewers: {},
      reviewDigests: {},
    });
    return gate.reasons.some((r) => r.code === "approvals-missing");
  };
  const enforceAsks = (glob: string, file: string): boolean => {
    const check = checkEnforce({ windows: [], history: new Map(), environments: ["prod"], config: config(glob), policyPaths: [file], promotion: false, approvals: [] });
    return check.refusals.some((r) => r.code === "approvals-missing");
  };

  it.each(cases)("%s against %s: both ask for approval = %s", (glob, file, asks) => {
    expect(gateAsks(glob, file)).toBe(asks);
    expect(enforceAsks(glob, file)).toBe(asks);
  });
});
