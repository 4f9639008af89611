/**
 * Whether `replay --mode enforce` may run at all, decided before anything runs: every window
 * that records the policy it was captured under must resolve to a known policy version, the
 * environment must not be `locked`, and the approval rules that apply must be covered.
 */
import { z } from "zod";
import { compareStrings } from "../compare.js";
import type { ApprovalRule, ReplayGateConfig } from "../config.js";
import { matchPathGlob } from "../path-glob.js";
import type { ApprovalStatus, Posture } from "./audit-record.js";

/** A policy version found in the policy history. */
export interface PolicyVersion {
  readonly spec_hash: string;
  readonly name: string;
  readonly version: string;
  /** The commit that holds it; null for an uncommitted working-tree file. */
  readonly commit: string | null;
  readonly path: string;
}

/** One approval given for the run, and the identities it speaks for (`user:alice`, `team:neteng-leads`). */
export interface GivenApproval {
  readonly reviewer: string;
  readonly as: readonly string[];
}

export const REFUSAL_CODES = ["unknown-spec-hash", "environment-locked", "approvals-missing"] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

export interface Refusal {
  readonly code: RefusalCode;
  /** The window, environment or approval rule concerned. */
  readonly subject: string;
  readonly message: string;
}

export interface EnforceCheckInput {
  readonly windows: readonly { readonly id: string; readonly policySpecHash: string | null }[];
  /** Spec hash → the version it is, from the policy history. */
  readonly history: ReadonlyMap<string, PolicyVersion>;
  /** The environments the run stands for (`--environment`, else the windows' `source.environment`); null: unnamed. */
  readonly environments: readonly (string | null)[];
  readonly config: ReplayGateConfig | null;
  /** Policy files the run uses, as repository paths (for `paths:` approval rules). */
  readonly policyPaths: readonly string[];
  /** True when the policy file's own mode is dry-run: running it in enforce is a promotion. */
  readonly promotion: boolean;
  readonly approvals: readonly GivenApproval[];
}

export interface EnforceCheck {
  readonly refusals: readonly Refusal[];
  readonly posture: Posture;
  readonly approvalStatus: ApprovalStatus;
  /** Windows whose spec hash resolved, to the version that produced them. */
  readonly resolved: readonly { readonly window: string; readonly version: PolicyVersion }[];
}

/**
 * The environment's posture: as configured; an environment the config does not list is
 * `governed` (an unknown name must not open the gate); without any config, `open` (no
 * config, no approvals required).
 */
export function postureOf(config: ReplayGateConfig | null, environment: string | null): Posture {
  if (config === null) return "open";
  if (environment !== null && Object.hasOwn(config.environments, environment)) return config.environments[environment]!.posture;
  return "governed";
}

const POSTURE_RANK: Readonly<Record<Posture, number>> = { open: 0, governed: 1, locked: 2 };

/** The approvals file of `replay --approvals`: who approved, and as which `user:`/`team:` identities. */
export const givenApprovalsSchema = z.strictObject({
  approvals: z.array(z.strictObject({ reviewer: z.string().min(1), as: z.array(z.string().regex(/^(team|user):.+$/, { message: "expected team:<slug> or user:<login>" })).min(1) })),
});

function describeRule(rule: ApprovalRule): string {
  return rule.when !== undefined ? `when: ${rule.when}` : `paths: ${(rule.paths ?? []).join(", ")}`;
}

/** Approval rules that apply to an enforce run: promotion rules, and path rules matching a policy file. */
export function applicableRules(input: Pick<EnforceCheckInput, "config" | "policyPaths" | "promotion">): ApprovalRule[] {
  if (input.config === null) return [];
  return input.config.approvals.filter((r) => {
    if (r.when === "promotion") return input.promotion;
    if (r.when !== undefined) return false;
    return (r.paths ?? []).some((g) => input.policyPaths.some((p) => matchPathGlob(g, p)));
  });
}

/** Decides whether the enforce run may start; refusals name what to fix. */
export function checkEnforce(input: EnforceCheckInput): EnforceCheck {
  const refusals: Refusal[] = [];
  const resolved: { window: string; version: PolicyVersion }[] = [];
  for (const w of [...input.windows].sort((a, b) => compareStrings(a.id, b.id))) {
    if (w.policySpecHash === null) continue;
    const v = input.history.get(w.policySpecHash);
    if (v === undefined) {
      refusals.push({
        code: "unknown-spec-hash",
        subject: w.id,
        message: `window ${w.id} was captured under policy ${w.policySpecHash}, which matches no version in the policy history: its pipeline cannot be reproduced`,
      });
    } else resolved.push({ window: w.id, version: v });
  }
  const envs = input.environments.length === 0 ? [null] : [...new Set(input.environments)];
  let posture: Posture = "open";
  for (const environment of envs) {
    const p = postureOf(input.config, environment);
    if (POSTURE_RANK[p] > POSTURE_RANK[posture]) posture = p;
    const env = environment ?? "(unnamed)";
    if (p === "locked") refusals.push({ code: "environment-locked", subject: env, message: `environment ${env} is locked: no enforce runs (posture: locked in the config's environments)` });
  }
  let approvalStatus: ApprovalStatus = "not-required";
  if (posture === "governed") {
    const rules = applicableRules(input);
    if (rules.length > 0) approvalStatus = "approved";
    for (const rule of rules) {
      const from = new Set(rule.from);
      const who = new Set(input.approvals.filter((a) => a.as.some((x) => from.has(x))).map((a) => a.reviewer));
      if (who.size < rule.required) {
        approvalStatus = "missing";
        refusals.push({
          code: "approvals-missing",
          subject: describeRule(rule),
          message: `approval rule (${describeRule(rule)}) needs ${rule.required} approval${rule.required === 1 ? "" : "s"} from ${rule.from.join(", ")}; ${who.size} given${who.size > 0 ? ` (${[...who].sort(compareStrings).join(", ")})` : ""}`,
        });
      }
    }
  }
  return { refusals, posture, approvalStatus, resolved };
}
