/**
 * The gate as report.json stores it: strict and snake_case, and the very result `decideGate`
 * returns (its type is inferred from the schema), documenting who approved what, who did not
 * count, and which threshold breaches were accepted or remain; a gate in the earlier camelCase
 * form is refused, naming its key.
 */
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { decideGate } from "../../../src/core/approvals/decide.js";
import type { GateInput, GateResult } from "../../../src/core/approvals/types.js";
import { DEFAULT_THRESHOLDS } from "../../../src/core/config.js";
import { InputError } from "../../../src/core/errors.js";
import { parseHtmlReport } from "../../../src/core/html/input.js";
import { gateSchema } from "../../../src/core/model/gate.js";
import { reportSchema, type Report } from "../../../src/core/model/report.js";
import { runDiff } from "../../../src/io/diff-run.js";
import { breach, DIGEST, gateInput, OLD, review } from "../../support/gate-input.js";

const ROOT = join(import.meta.dirname, "..", "..", "..");

/** The gate decided over the shared test input, with a config that changed in the pull request. */
function decide(overrides: Partial<GateInput> & { rawConfig?: unknown }): GateResult {
  return decideGate(gateInput({ configOrigin: { file: `${OLD}:.github/replay-gate.yml`, sha256: `sha256:${"c".repeat(64)}`, changedInPullRequest: true }, ...overrides }));
}

/** Every object key in a JSON value, at any depth. */
function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => [k, ...keysOf(v)]);
}

/** What an earlier version wrote as `gate`: its in-memory result, camelCase, without `missing` and `breaches`. */
function legacyGate(gate: GateResult): Record<string, unknown> {
  return {
    verdict: gate.verdict,
    summary: gate.summary,
    reasons: gate.reasons,
    thresholds: gate.thresholds,
    breachAccepted: gate.reasons.some((r) => r.code === "breach-accepted"),
    config: { file: gate.config.file, sha256: gate.config.sha256, changedInPullRequest: gate.config.changed_in_pull_request, note: gate.config.note },
    evidence: gate.evidence,
    posture: gate.posture,
    requirements: gate.requirements.map((r) => ({
      id: r.id,
      kind: r.kind,
      because: r.because,
      required: r.required,
      from: r.from,
      counted: r.counted.map((c) => ({ login: c.login, via: c.via, commit: c.commit, carriedOver: c.carried_over })),
      refused: r.refused,
      canStillApprove: r.can_still_approve,
      satisfied: r.satisfied,
      waived: r.waived,
    })),
  };
}

const twoRules = {
  approvals: [
    { paths: "policies/*.yaml", required: 2, from: ["user:alice", "user:zed", "team:noc"] },
    { when: "threshold-breach", required: 1, from: ["user:lead"] },
  ],
};

describe("the decided gate", () => {
  it("stores who approved, through which entry and on which commit, who did not count and why, and how many are missing", () => {
    const gate = decide({
      rawConfig: twoRules,
      reviews: [review("alice", "APPROVED", OLD), review("dev", "APPROVED"), review("zed", "APPROVED")],
      reviewers: { alice: { role: "write", teams: {} }, zed: { role: "read", teams: {} } },
      reviewDigests: { [OLD]: DIGEST },
    });
    const record = gateSchema.parse(gate);
    expect(record).toEqual(gate);
    expect(record.verdict).toBe("pending");
    expect(record.config).toEqual({ file: `${OLD}:.github/replay-gate.yml`, sha256: `sha256:${"c".repeat(64)}`, changed_in_pull_request: true, note: gate.config.note });
    const [paths] = record.requirements;
    expect(paths).toMatchObject({ id: "paths:policies/*.yaml", kind: "paths", because: ["policies/edge-gw.yaml"], required: 2, missing: 1, satisfied: false, waived: null });
    expect(paths!.counted).toEqual([{ login: "alice", via: "user:alice", commit: OLD, carried_over: true }]);
    expect(paths!.refused.map((r) => r.login)).toEqual(["dev", "zed"]);
    expect(paths!.refused[0]!.reason).toBe("is the pull request author");
    expect(paths!.can_still_approve).toEqual(["user:zed", "team:noc"]);
    // Strict and snake_case all the way down: no key a person or a script would have to guess the case of.
    expect(keysOf(record).filter((k) => /[A-Z]/.test(k))).toEqual([]);
  });

  it("lists the threshold breaches an owner accepted, and keeps a nondeterministic replay among those that remain", () => {
    const accepted = gateSchema.parse(
      decide({
        rawConfig: twoRules,
        changedFiles: [],
        evaluation: breach("incidents-added", "parity-below-min", "incidents-added"),
        reviews: [review("lead", "APPROVED")],
        reviewers: { lead: { role: "write", teams: {} } },
      }),
    );
    expect([accepted.verdict, accepted.breaches]).toEqual(["pass", { accepted: ["incidents-added", "parity-below-min"], remaining: [] }]);
    expect(accepted.requirements.map((r) => [r.id, r.counted.map((c) => c.login), r.missing])).toEqual([["threshold-breach", ["lead"], 0]]);

    const refused = gateSchema.parse(
      decide({
        rawConfig: twoRules,
        changedFiles: [],
        evaluation: breach("nondeterministic", "incidents-added"),
        reviews: [review("lead", "APPROVED")],
        reviewers: { lead: { role: "write", teams: {} } },
      }),
    );
    expect([refused.verdict, refused.breaches]).toEqual(["fail", { accepted: [], remaining: ["incidents-added", "nondeterministic"] }]);
    expect(refused.reasons.map((r) => r.code)).toContain("breach-not-acceptable");
  });

  it("records no breaches when the thresholds pass", () => {
    expect(decide({}).breaches).toEqual({ accepted: [], remaining: [] });
  });
});

describe("report.json with a gate", () => {
  let report: Report;
  beforeAll(async () => {
    report = await runDiff({
      base: ["policies/versions/edge-gw-2.14.2.yaml"],
      head: ["policies/edge-gw.yaml"],
      windows: ["policies/windows/2026-03-18-pop12-quiet"],
      thresholds: DEFAULT_THRESHOLDS,
      config: null,
      cwd: ROOT,
      warn: () => {},
    });
  });

  it("keeps the gate where the report's schema puts it, after the evaluation", () => {
    const gate = decide({ rawConfig: twoRules });
    const written = reportSchema.parse({ ...report, verdict: gate.verdict, gate });
    expect(Object.keys(written).slice(0, 6)).toEqual(["schema", "verdict", "summary", "windows", "evaluation", "gate"]);
    expect(written.gate).toEqual(gate);
  });

  it("refuses a gate written in the earlier camelCase form, naming the key and what to do", () => {
    const raw = JSON.parse(JSON.stringify({ ...report, verdict: "pending", gate: legacyGate(decide({ rawConfig: twoRules })) })) as unknown;
    const parsed = reportSchema.safeParse(raw);
    expect(parsed.success).toBe(false);
    const legacy = parsed.error!.issues.filter((i) => i.code === "unrecognized_keys");
    expect(legacy.map((i) => [i.path.join("."), /^unrecognized key "(\w+)"/.exec(i.message)?.[1]])).toEqual([
      ["gate.config", "changedInPullRequest"],
      ["gate.requirements.0", "canStillApprove"],
      ["gate", "breachAccepted"],
    ]);
    expect(legacy[2]?.message).toMatch(
      /^unrecognized key "breachAccepted": this report\.json was written by an earlier replay-gate, which stored the gate in camelCase; the gate is now stored in snake_case \(breach_accepted\)/,
    );
    // `report --html` turns it into a located input error (exit 2), not a crash and not a rendering.
    let error: unknown;
    try {
      parseHtmlReport(raw, "old/report.json");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    const problem = (error as InputError).problems.find((p) => p.message.includes("breachAccepted"));
    expect(problem).toMatchObject({ file: "old/report.json", path: "gate" });
  });

  it("refuses an unknown snake_case key in the gate as well", () => {
    const gate = { ...decide({}), approved_by: ["alice"] };
    const parsed = reportSchema.safeParse({ ...report, gate });
    expect(parsed.error?.issues.map((i) => [i.code, i.path.join(".")])).toEqual([["unrecognized_keys", "gate"]]);
    expect(parsed.error?.issues[0]?.message).not.toMatch(/earlier replay-gate/);
  });
});
