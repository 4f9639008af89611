/**
 * The gate's data: what the Action gathers (reviews, permissions, team memberships, evidence
 * digests, changed files, policy modes) and what {@link decideGate} answers. Everything here is
 * plain readonly data so the decision is pure and testable without GitHub.
 */
import type { ReplayGateConfig } from "../config.js";
import type { Frozen } from "../model/frozen.js";
import type { GateRecord } from "../model/gate.js";
import type { RunMode } from "../model/vocabulary.js";
import type { Evaluation } from "../report/report-schema.js";
import type { ReviewInput } from "./reviews.js";

/** A repository role as the collaborator permission API names it, or `unknown` when it could not be read. */
export type RepoRole = "admin" | "maintain" | "write" | "triage" | "read" | "none" | "unknown";

/** Team membership as far as the token can tell. */
export type Membership = "member" | "not-member" | "cannot-verify";

/** What the shell learned about one reviewer. */
export interface ReviewerFacts {
  readonly role: RepoRole;
  /** By `from` entry (`team:noc-reviewers`). */
  readonly teams: Readonly<Record<string, Membership>>;
}

/** One policy across the change, for promotion and posture. */
export interface PolicyChange {
  readonly name: string;
  /** Repository-relative path of the head file (or base file when removed). */
  readonly file: string;
  readonly baseMode: RunMode | null;
  readonly headMode: RunMode | null;
  /** `source.environment` of the windows the head version covers, sorted. */
  readonly environments: readonly string[];
}

/** Where the gate config came from: always the base commit. */
export interface ConfigOrigin {
  /** `<base sha>:.github/replay-gate.yml`, or null for the built-in defaults. */
  readonly file: string | null;
  readonly sha256: string | null;
  /** The pull request changes the config file; its head version was ignored. */
  readonly changedInPullRequest: boolean;
}

/** Everything {@link decideGate} needs; `reviews` is required even when undefined, so a caller cannot forget it. */
export interface GateInput {
  readonly config: ReplayGateConfig;
  readonly configOrigin: ConfigOrigin;
  /** The thresholds verdict from the report (or a merged shard report). */
  readonly evaluation: Evaluation;
  /** Repository-relative paths the change touches. */
  readonly changedFiles: readonly string[];
  readonly policies: readonly PolicyChange[];
  /** The pull request author; undefined outside a pull request. */
  readonly author: string | undefined;
  readonly headSha: string;
  /** Evidence digest at the head commit (core/approvals/evidence.ts). */
  readonly headDigest: string;
  /** The REST reviews list, undefined when the run has no pull request (then approvals cannot be met). */
  readonly reviews: readonly ReviewInput[] | undefined;
  /** Facts per reviewer login (lower-case). */
  readonly reviewers: Readonly<Record<string, ReviewerFacts>>;
  /** Evidence digest per reviewed commit; null when the commit could not be read. */
  readonly reviewDigests: Readonly<Record<string, string | null>>;
}

/**
 * The gate's answer, declared once by its schema (core/model/gate.ts `gateSchema`): the verdict,
 * reasons, breaches accepted and remaining, posture and every approval requirement, exactly as
 * report.json stores it under `gate`.
 */
export type GateResult = Frozen<GateRecord>;

/** One approval requirement and how far it is met. */
export type RequirementResult = GateResult["requirements"][number];

/** A reviewer who counted, and through which `from` entry. */
export type Counted = RequirementResult["counted"][number];

/** Why a reviewer did not count for a requirement. */
export type Refusal = RequirementResult["refused"][number];

/** A reason in the gate's verdict. */
export type GateReason = GateResult["reasons"][number];
