/**
 * A gate input for the pure gate's tests: one dry-run policy in `prod` changed on head `a…a`
 * by `dev`, no reviews, thresholds met; override what a test is about.
 */
import type { ReviewInput } from "../../src/core/approvals/reviews.js";
import type { GateInput } from "../../src/core/approvals/types.js";
import { configSchema, DEFAULT_THRESHOLDS } from "../../src/core/config.js";
import type { Evaluation } from "../../src/core/report/report-schema.js";

export const HEAD = "a".repeat(40);
export const OLD = "b".repeat(40);
export const DIGEST = `sha256:${"1".repeat(64)}`;

export const passing: Evaluation = { verdict: "pass", thresholds: DEFAULT_THRESHOLDS, reasons: [] };

/** A failing evaluation with one reason per code, all in window `w1` of `edge-gw`. */
export function breach(...codes: Evaluation["reasons"][number]["code"][]): Evaluation {
  return {
    verdict: "fail",
    thresholds: DEFAULT_THRESHOLDS,
    reasons: codes.map((code) => ({ code, window: "w1", policy: "edge-gw", message: `w1 (edge-gw): ${code}`, value: null, limit: null })),
  };
}

let nextId = 1;
/** A review; each call is later than the one before (ids and times increase). */
export function review(login: string, state: string, commit = HEAD, type = "User", at = `2026-03-01T00:00:${String(nextId).padStart(2, "0")}Z`): ReviewInput {
  return { id: nextId++, user: { login, type }, state, commit_id: commit, submitted_at: at };
}

/** The input with `overrides`; `rawConfig` is parsed as `.github/replay-gate.yml`. */
export function gateInput(overrides: Partial<GateInput> & { rawConfig?: unknown }): GateInput {
  const { rawConfig, ...rest } = overrides;
  return {
    config: configSchema.parse(rawConfig ?? {}),
    configOrigin: { file: `${OLD}:.github/replay-gate.yml`, sha256: null, changedInPullRequest: false },
    evaluation: passing,
    changedFiles: ["policies/edge-gw.yaml"],
    policies: [{ name: "edge-gw", file: "policies/edge-gw.yaml", baseMode: "dry-run", headMode: "dry-run", environments: ["prod"] }],
    author: "dev",
    headSha: HEAD,
    headDigest: DIGEST,
    reviews: [],
    reviewers: {},
    reviewDigests: {},
    ...rest,
  };
}
