/**
 * Facts about reviewers, from the REST API: the reviews list, each reviewer's permission (the
 * collaborator permission API) and their membership of the teams the config names. Without
 * `members: read` GitHub answers 404 for the team itself too, which is how "cannot verify" is told
 * apart from "not a member".
 */
import { splitEntry } from "../core/approvals/decide.js";
import { standingReviews, isBot, type ReviewInput } from "../core/approvals/reviews.js";
import type { Membership, RepoRole, ReviewerFacts } from "../core/approvals/types.js";
import type { ReplayGateConfig } from "../core/config.js";
import { httpStatus, type Octokit } from "./octokit.js";

interface Repo {
  readonly owner: string;
  readonly repo: string;
}

/** Every review of the pull request, oldest first. */
export async function listReviews(octokit: Octokit, repo: Repo, pullNumber: number): Promise<ReviewInput[]> {
  const reviews = await octokit.paginate(octokit.rest.pulls.listReviews, { ...repo, pull_number: pullNumber, per_page: 100 });
  return reviews.map((r) => ({
    id: r.id,
    user: r.user ? { login: r.user.login, type: r.user.type } : null,
    state: r.state,
    commit_id: r.commit_id,
    submitted_at: r.submitted_at ?? null,
  }));
}

async function roleOf(octokit: Octokit, repo: Repo, login: string): Promise<RepoRole> {
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ ...repo, username: login });
    const role = (data.role_name ?? data.permission) as string;
    return (["admin", "maintain", "write", "triage", "read", "none"] as const).find((r) => r === role) ?? "unknown";
  } catch {
    return "unknown";
  }
}

async function membership(octokit: Octokit, org: string, team: string, login: string, teamVisible: Map<string, boolean>): Promise<Membership> {
  try {
    const { data } = await octokit.rest.teams.getMembershipForUserInOrg({ org, team_slug: team, username: login });
    return data.state === "active" ? "member" : "not-member";
  } catch (error) {
    if (httpStatus(error) !== 404) return "cannot-verify";
  }
  const key = `${org}/${team}`;
  if (!teamVisible.has(key)) {
    try {
      await octokit.rest.teams.getByName({ org, team_slug: team });
      teamVisible.set(key, true);
    } catch {
      teamVisible.set(key, false);
    }
  }
  return teamVisible.get(key) ? "not-member" : "cannot-verify";
}

/** Facts for every human reviewer with a standing review, keyed by lower-case login. */
export async function gatherReviewerFacts(octokit: Octokit, repo: Repo, config: ReplayGateConfig, reviews: readonly ReviewInput[], author: string | undefined): Promise<Record<string, ReviewerFacts>> {
  const entries = [...new Set(config.approvals.flatMap((r) => r.from))];
  const teams = entries.filter((e) => splitEntry(e)[0] === "team");
  const teamVisible = new Map<string, boolean>();
  const facts: Record<string, ReviewerFacts> = {};
  for (const s of standingReviews(reviews)) {
    if (s.state !== "APPROVED" || isBot(s) || s.login.toLowerCase() === author?.toLowerCase()) continue;
    const memberships: Record<string, Membership> = {};
    for (const entry of teams) {
      const name = splitEntry(entry)[1];
      const [org, slug] = name.includes("/") ? (name.split("/", 2) as [string, string]) : [repo.owner, name];
      memberships[entry] = await membership(octokit, org, slug, s.login, teamVisible);
    }
    facts[s.login.toLowerCase()] = { role: await roleOf(octokit, repo, s.login), teams: memberships };
  }
  return facts;
}
