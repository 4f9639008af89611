/**
 * report.json's `gate` (schema `replay-gate/report@1`): what the Action decided on top of the
 * thresholds — who approved what, who did not count and why, which threshold breaches an
 * owner accepted and which remain, posture, and where the config came from. Stored strictly
 * and in snake_case like the rest of the report. These schemas are the gate's one declaration:
 * the in-memory result `decideGate` returns (`GateResult` in core/approvals/types.ts) is their
 * inferred type, so what the gate decides is what report.json stores, field for field.
 *
 * Reports written before the gate was stored this way held the in-memory result as it was
 * (`breachAccepted`, `canStillApprove`, …). They are refused, naming the first such key: a gate
 * record that no schema described cannot be trusted field by field, and every reader of a
 * report.json (a shard merge, a reused replay, a fork's artifact, `report --html`) re-derives
 * what it needs from a fresh run instead.
 */
import { z } from "zod";
import { GATE_REASON_CODES, POSTURES, REASON_CODES } from "./vocabulary.js";

const nat = z.number().int().nonnegative();
const strings = z.array(z.string());

/** camelCase keys as the gate was written before it had a schema: refused with a pointer to the fix. */
const LEGACY_KEY = /^[a-z]+[A-Z]/;

/** Strict objects whose unknown keys, when camelCase, are named as a report from an earlier version. */
function strict<T extends z.ZodRawShape>(shape: T) {
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code !== "unrecognized_keys") return undefined;
      const legacy = issue.keys.find((k) => LEGACY_KEY.test(k));
      if (legacy === undefined) return undefined;
      return `unrecognized key "${legacy}": this report.json was written by an earlier replay-gate, which stored the gate in camelCase; the gate is now stored in snake_case (${snake(legacy)}) and the earlier form is not read. Replay again with this version to write the report anew`;
    },
  });
}

/** `canStillApprove` → `can_still_approve`. */
function snake(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** A reviewer whose approval counted for a requirement. */
export const countedSchema = strict({
  login: z.string(),
  via: z.string().describe("The `from` entry the approval counted through (`team:noc-reviewers`, `user:alice`)"),
  commit: z.string().nullable().describe("The commit the review approved"),
  carried_over: z.boolean().describe("Approved on an older commit whose evidence digest equals head's"),
});

/** A reviewer whose latest review did not count for a requirement, and why. */
export const refusalSchema = strict({
  login: z.string(),
  reason: z.string(),
});

/** One approval requirement of the config (docs/gate.md) and how far it is met. */
export const requirementSchema = strict({
  id: z.string().describe("`paths:policies/prod/**`, `promotion`, `threshold-breach` (`#2`, `#3` when rules share one)"),
  kind: z.enum(["paths", "promotion", "threshold-breach"]),
  because: strings.describe("What triggered it: changed files, promoted policies (`edge-gw: dry-run → enforce`) or threshold reason codes"),
  required: nat,
  from: strings.describe("Who may approve, as configured"),
  counted: z.array(countedSchema).describe("Approvals that count"),
  refused: z.array(refusalSchema).describe("Standing reviews that do not count, with why"),
  missing: nat.describe("Approvals still needed (0 once met or waived)"),
  can_still_approve: strings.describe("`from` entries that could still supply the missing approvals"),
  satisfied: z.boolean(),
  waived: z.string().nullable().describe("Why posture `open` waives the requirement; null when it applies"),
});
export type RequirementRecord = z.infer<typeof requirementSchema>;

export const gateReasonSchema = strict({
  code: z.enum(GATE_REASON_CODES),
  message: z.string(),
});

/** The gate's verdict, reasons and approvals, as report.json stores them. */
export const gateSchema = strict({
  verdict: z.enum(["pass", "fail", "pending"]),
  summary: z.string().describe("One line: the commit status description and the comment's first line"),
  reasons: z.array(gateReasonSchema),
  thresholds: z.enum(["pass", "fail"]).describe("`evaluation.verdict`, before approvals"),
  breaches: strict({
    accepted: z.array(z.enum(REASON_CODES)).describe("Threshold reason codes an owner's `threshold-breach` approval accepted"),
    remaining: z.array(z.enum(REASON_CODES)).describe("Threshold reason codes that still fail the gate: no approval accepted them, or none can (`nondeterministic`, `nothing-replayed`)"),
  }).describe("The thresholds' reason codes (`evaluation.reasons`), distinct and sorted, split by whether an owner accepted them"),
  config: strict({
    file: z.string().nullable().describe("`<base sha>:.github/replay-gate.yml`; null for the built-in defaults"),
    sha256: z.string().nullable(),
    changed_in_pull_request: z.boolean().describe("The pull request edits the config; its head version was ignored"),
    note: z.string().nullable(),
  }).describe("The gate config, always read from the base commit"),
  evidence: strict({ head_digest: z.string().describe("Evidence digest at the evaluated head commit, by the formula of `inputs.evidence_digest`") }),
  posture: z.array(
    strict({
      environment: z.string(),
      posture: z.enum(POSTURES),
      policies: strings.describe("Head policies whose windows run in the environment"),
    }),
  ),
  requirements: z.array(requirementSchema),
});
export type GateRecord = z.infer<typeof gateSchema>;
