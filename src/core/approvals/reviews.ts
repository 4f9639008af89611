/**
 * GitHub's review semantics, as branch protection applies them: per reviewer only the latest
 * review that is not `COMMENTED` (or `PENDING`) matters; `APPROVED` approves, and a later
 * `CHANGES_REQUESTED` or a `DISMISSED` state revokes. Input is the REST reviews list (never the
 * event payload alone), oldest first as GitHub returns it.
 */
import { compareStrings } from "../compare.js";

/** The fields of a REST review the gate reads. */
export interface ReviewInput {
  readonly id: number;
  /** Null when the account was deleted. */
  readonly user: { readonly login: string; readonly type: string } | null;
  /** `APPROVED` `CHANGES_REQUESTED` `COMMENTED` `DISMISSED` `PENDING`. */
  readonly state: string;
  /** The commit the review was submitted on. */
  readonly commit_id: string | null;
  readonly submitted_at?: string | null | undefined;
}

/** One reviewer's standing review. */
export interface StandingReview {
  readonly login: string;
  readonly type: string;
  readonly state: "APPROVED" | "CHANGES_REQUESTED" | "DISMISSED";
  readonly commit: string | null;
  readonly reviewId: number;
}

const STANDING = new Set(["APPROVED", "CHANGES_REQUESTED", "DISMISSED"]);

/** True for GitHub App and other bot accounts (`type: Bot`, or a `[bot]` login). */
export function isBot(user: { readonly login: string; readonly type: string }): boolean {
  return user.type === "Bot" || user.login.endsWith("[bot]");
}

/**
 * The latest standing review per reviewer (logins compared case-insensitively), ordered by
 * login. Reviews are ordered by submission time, then id, so an unordered input gives the same answer.
 */
export function standingReviews(reviews: readonly ReviewInput[]): StandingReview[] {
  const ordered = [...reviews].sort((a, b) => compareStrings(a.submitted_at ?? "", b.submitted_at ?? "") || a.id - b.id);
  const latest = new Map<string, StandingReview>();
  for (const r of ordered) {
    if (r.user === null || !STANDING.has(r.state)) continue;
    latest.set(r.user.login.toLowerCase(), {
      login: r.user.login,
      type: r.user.type,
      state: r.state as StandingReview["state"],
      commit: r.commit_id,
      reviewId: r.id,
    });
  }
  return [...latest.values()].sort((a, b) => compareStrings(a.login.toLowerCase(), b.login.toLowerCase()));
}
