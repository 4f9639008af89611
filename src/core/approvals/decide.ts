/**
 * The gate (docs/gate.md, docs/action.md#the-gate) on top of the thresholds verdict: posture, approval requirements by
 * changed path, promotion and threshold breach, GitHub's review semantics, and the evidence
 * digest that lets an approval on an older commit stand. Pure: the Action gathers the facts.
 */
import { compareStrings, sortedUnique } from "../compare.js";
import { isBotEntry, type ApprovalRule } from "../config.js";
import type { Posture } from "../model/vocabulary.js";
import { matchesAny } from "../path-glob.js";
import { isBot, standingReviews, type StandingReview } from "./reviews.js";
import type { Counted, GateInput, GateReason, GateResult, PolicyChange, Refusal, RequirementResult } from "./types.js";

/** Roles whose approval counts for a `user:` entry (GitHub's own rule for branch protection). */
const WRITE_ROLES = new Set(["admin", "maintain", "write"]);

/**
 * Threshold breaches an owner may not accept: a nondeterministic replay is a defect, not a
 * behaviour change; a run that replayed nothing has no behaviour to accept (fail closed).
 */
const UNACCEPTABLE: ReadonlyMap<string, string> = new Map([
  ["nondeterministic", "a nondeterministic replay"],
  ["nothing-replayed", "a run that replayed no window"],
]);

const short = (sha: string | null) => (sha === null ? "an unknown commit" : sha.slice(0, 7));

/** The posture of an environment: as configured, else `governed` (approvals apply), the safe default. */
function postureOf(input: GateInput, env: string): Posture {
  return input.config.environments[env]?.posture ?? "governed";
}

function promoted(p: PolicyChange): boolean {
  return p.headMode === "enforce" && p.baseMode !== "enforce";
}

/** Whether one standing approval counts for `from`, and through which entry; else why not. */
function judge(input: GateInput, s: StandingReview, from: readonly string[]): { counted: Counted } | { refused: Refusal } {
  const login = s.login;
  const refuse = (reason: string) => ({ refused: { login, reason } });
  if (input.author !== undefined && login.toLowerCase() === input.author.toLowerCase()) return refuse("is the pull request author");
  if (isBot({ login, type: s.type })) return refuse("is a bot");
  if (s.state === "CHANGES_REQUESTED") return refuse("latest review requests changes");
  if (s.state === "DISMISSED") return refuse("approval was dismissed");
  let carriedOver = false;
  if (s.commit !== input.headSha) {
    const digest = s.commit === null ? null : input.reviewDigests[s.commit];
    if (digest === undefined || digest === null) return refuse(`approved ${short(s.commit)}, which could not be read to compare its evidence with head`);
    if (digest !== input.headDigest) return refuse(`approved ${short(s.commit)}; the evidence changed since (${digest.slice(7, 19)} → ${input.headDigest.slice(7, 19)})`);
    carriedOver = true;
  }
  const facts = input.reviewers[login.toLowerCase()];
  const notes: string[] = [];
  for (const entry of from) {
    const [kind, name = ""] = splitEntry(entry);
    if (kind === "user") {
      if (name.toLowerCase() !== login.toLowerCase()) continue;
      const role = facts?.role ?? "unknown";
      if (WRITE_ROLES.has(role)) return { counted: { login, via: entry, commit: s.commit, carried_over: carriedOver } };
      notes.push(role === "unknown" ? `is ${entry} but the permission could not be read` : `is ${entry} but has ${role} permission (write, maintain or admin needed)`);
    } else {
      const membership = facts?.teams[entry];
      if (membership === "member") return { counted: { login, via: entry, commit: s.commit, carried_over: carriedOver } };
      if (membership === "cannot-verify")
        notes.push(
          `cannot verify membership of ${entry} (the token cannot read the team: set the approvals-token input to a GitHub App or fine-grained token with Members: read, see the Team approvals section of docs/action.md)`,
        );
      else notes.push(`not a member of ${entry}`);
    }
  }
  return refuse(notes.length > 0 ? notes.join("; ") : "not listed");
}

/** `team:slug` → ["team", "slug"]. */
export function splitEntry(entry: string): ["team" | "user", string] {
  const colon = entry.indexOf(":");
  return [entry.slice(0, colon) === "team" ? "team" : "user", entry.slice(colon + 1)];
}

function requirement(
  input: GateInput,
  standing: readonly StandingReview[],
  rule: ApprovalRule,
  id: string,
  kind: RequirementResult["kind"],
  because: readonly string[],
  waived: string | null,
): RequirementResult {
  const counted: Counted[] = [];
  const refused: Refusal[] = [];
  for (const s of standing) {
    const verdict = judge(input, s, rule.from);
    if ("counted" in verdict) counted.push(verdict.counted);
    else refused.push(verdict.refused);
  }
  const satisfied = waived !== null || counted.length >= rule.required;
  const usedUsers = new Set(counted.map((c) => c.via));
  const author = input.author?.toLowerCase();
  const canStillApprove = satisfied
    ? []
    : rule.from.filter((entry) => {
        const [k, name] = splitEntry(entry);
        return k === "team" || (!usedUsers.has(entry) && name.toLowerCase() !== author && !isBotEntry(entry));
      });
  const missing = satisfied ? 0 : Math.max(0, rule.required - counted.length);
  return { id, kind, because, required: rule.required, from: rule.from, counted, refused, missing, can_still_approve: canStillApprove, satisfied, waived };
}

/** `id`, or `id#2`, `id#3` when rules share one. */
function uniqueId(existing: readonly RequirementResult[], id: string): string {
  const n = existing.filter((r) => r.id === id || r.id.startsWith(`${id}#`)).length;
  return n === 0 ? id : `${id}#${n + 1}`;
}

/** Decides the gate. Fail beats pending beats pass. */
export function decideGate(input: GateInput): GateResult {
  const standing = input.reviews === undefined ? [] : standingReviews(input.reviews);
  const reasons: GateReason[] = [];

  // Posture per environment the head policies cover.
  const envs = new Map<string, string[]>();
  for (const p of input.policies) if (p.headMode !== null) for (const e of p.environments) envs.set(e, [...(envs.get(e) ?? []), p.name]);
  const posture = [...envs.keys()].sort(compareStrings).map((environment) => ({ environment, posture: postureOf(input, environment), policies: sortedUnique(envs.get(environment)!) }));
  for (const p of input.policies) {
    if (p.headMode !== "enforce") continue;
    const locked = p.environments.filter((e) => postureOf(input, e) === "locked");
    if (locked.length > 0) reasons.push({ code: "posture-locked", message: `${p.name} is in enforce mode, which the locked environment ${locked.join(", ")} forbids` });
  }
  const changed = new Set(input.changedFiles);
  const touchedEnvs = sortedUnique(input.policies.filter((p) => changed.has(p.file) || p.baseMode !== p.headMode).flatMap((p) => p.environments));
  const allOpen = touchedEnvs.length > 0 && touchedEnvs.every((e) => postureOf(input, e) === "open");
  const openWaiver = allOpen ? `every environment this change touches (${touchedEnvs.join(", ")}) is open` : null;

  const requirements: RequirementResult[] = [];
  const breachCodes = input.evaluation.reasons.map((r) => r.code);
  input.config.approvals.forEach((rule) => {
    if (rule.paths !== undefined) {
      const files = input.changedFiles.filter((f) => matchesAny(rule.paths!, f)).sort(compareStrings);
      if (files.length > 0) requirements.push(requirement(input, standing, rule, uniqueId(requirements, `paths:${rule.paths.join(",")}`), "paths", files, openWaiver));
    } else if (rule.when === "promotion") {
      const policies = input.policies.filter(promoted);
      if (policies.length === 0) return;
      const waived = policies.every((p) => p.environments.length > 0 && p.environments.every((e) => postureOf(input, e) === "open")) ? "the promoted policies run only in open environments" : null;
      requirements.push(
        requirement(
          input,
          standing,
          rule,
          uniqueId(requirements, "promotion"),
          "promotion",
          policies.map((p) => `${p.name}: ${p.baseMode ?? "new"} → enforce`),
          waived,
        ),
      );
    } else if (rule.when === "threshold-breach" && input.evaluation.verdict === "fail") {
      requirements.push(requirement(input, standing, rule, uniqueId(requirements, "threshold-breach"), "threshold-breach", sortedUnique(breachCodes), null));
    }
  });

  let breachAccepted = false;
  if (input.evaluation.verdict === "fail") {
    const breach = requirements.find((r) => r.kind === "threshold-breach");
    const unacceptable = sortedUnique(breachCodes.filter((c) => UNACCEPTABLE.has(c)));
    const n = input.evaluation.reasons.length;
    if (unacceptable.length > 0) {
      reasons.push({ code: "breach-not-acceptable", message: `${n} threshold breach(es), including ${unacceptable.map((c) => UNACCEPTABLE.get(c)!).join(" and ")}, which no approval can accept` });
    } else if (breach?.satisfied === true) {
      breachAccepted = true;
      reasons.push({ code: "breach-accepted", message: `${n} threshold breach(es) accepted by ${breach.counted.map((c) => c.login).join(", ")}` });
    } else {
      const who = breach === undefined ? "" : `; ${breach.required - breach.counted.length} more approval(s) from ${breach.can_still_approve.join(", ")} can accept it`;
      reasons.push({ code: "thresholds", message: `${n} threshold breach(es): ${input.evaluation.reasons[0]?.message ?? ""}${who}` });
    }
  }
  const missing = requirements.filter((r) => r.kind !== "threshold-breach" && !r.satisfied);
  for (const r of missing) {
    reasons.push({ code: "approvals-missing", message: `${r.id}: ${r.counted.length}/${r.required} approval(s); can approve: ${r.can_still_approve.join(", ") || "nobody listed"}` });
  }
  if (missing.length > 0 && input.reviews === undefined) reasons.push({ code: "no-pull-request", message: "approvals are required but this run has no pull request to read reviews from" });
  const note = input.configOrigin.changedInPullRequest ? "This pull request changes the gate config; it was evaluated under the base commit's config, so a change cannot relax its own gate." : null;
  if (note !== null) reasons.push({ code: "config-changed", message: note });

  const failed = reasons.some((r) => r.code === "posture-locked" || r.code === "thresholds" || r.code === "breach-not-acceptable");
  const verdict = failed ? "fail" : missing.length > 0 ? "pending" : "pass";
  return {
    verdict,
    summary: summarize(verdict, reasons, input.evaluation.reasons.length),
    reasons,
    thresholds: input.evaluation.verdict,
    breaches: breachAccepted ? { accepted: sortedUnique(breachCodes), remaining: [] } : { accepted: [], remaining: sortedUnique(breachCodes) },
    config: { file: input.configOrigin.file, sha256: input.configOrigin.sha256, changed_in_pull_request: input.configOrigin.changedInPullRequest, note },
    evidence: { head_digest: input.headDigest },
    posture,
    requirements,
  };
}

function summarize(verdict: GateResult["verdict"], reasons: readonly GateReason[], breaches: number): string {
  const first = (code: GateReason["code"]) => reasons.find((r) => r.code === code)?.message;
  if (verdict === "fail") return first("posture-locked") ?? first("breach-not-acceptable") ?? first("thresholds") ?? `${breaches} threshold breach(es)`;
  if (verdict === "pending")
    return `waiting for approvals: ${reasons
      .filter((r) => r.code === "approvals-missing")
      .map((r) => r.message)
      .join(" · ")}`;
  return first("breach-accepted") ?? "thresholds met and every required approval given";
}
