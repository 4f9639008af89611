/**
 * Who may approve: a user's permission on the repository, org teams and team membership.
 *
 * Without `members: read` GitHub answers 404 for the team and for the membership alike, so
 * "not a member" and "cannot see the team" look the same on the membership endpoint; a client
 * tells them apart by asking for the team itself first.
 */
import { renderUser, nodeId, type Urls } from "../representations.js";
import type { RepoRole, TeamRecord } from "../state.js";
import { notFound, requireRepo, type HandlerContext, type RestHandler } from "./context.js";

/** The legacy `permission` field folds the five roles into admin/write/read/none. */
const LEGACY_PERMISSION: Record<RepoRole | "none", string> = { admin: "admin", maintain: "write", write: "write", triage: "read", read: "read", none: "none" };

const ROLE_RANK: Record<RepoRole | "none", number> = { none: 0, read: 1, triage: 2, write: 3, maintain: 4, admin: 5 };

const membersRead = { anyOf: ["members"], level: "read" } as const;

function requireTeam(ctx: HandlerContext): TeamRecord {
  const team = ctx.state.teams.get(`${String(ctx.params["org"])}/${String(ctx.params["team_slug"])}`.toLowerCase());
  if (team === undefined) throw notFound(ctx);
  return team;
}

/** `team-full`. */
function renderTeam(urls: Urls, team: TeamRecord): Record<string, unknown> {
  const orgApi = `${urls.api}/orgs/${team.org.login}`;
  const url = `${urls.api}/organizations/${team.org.id}/team/${team.id}`;
  return {
    id: team.id,
    node_id: nodeId("T", team.id),
    url,
    html_url: `${urls.web}/orgs/${team.org.login}/teams/${team.slug}`,
    name: team.name,
    slug: team.slug,
    description: null,
    privacy: "closed",
    notification_setting: "notifications_enabled",
    permission: "pull",
    members_url: `${url}/members{/member}`,
    repositories_url: `${url}/repos`,
    parent: null,
    type: "organization",
    members_count: team.members.size,
    repos_count: 1,
    created_at: team.createdAt,
    updated_at: team.createdAt,
    organization_id: team.org.id,
    organization: {
      login: team.org.login,
      id: team.org.id,
      node_id: nodeId("O", team.org.id),
      url: orgApi,
      repos_url: `${orgApi}/repos`,
      events_url: `${orgApi}/events`,
      hooks_url: `${orgApi}/hooks`,
      issues_url: `${orgApi}/issues`,
      members_url: `${orgApi}/members{/member}`,
      public_members_url: `${orgApi}/public_members{/member}`,
      avatar_url: `https://avatars.githubusercontent.com/u/${team.org.id}?v=4`,
      description: null,
      html_url: `${urls.web}/${team.org.login}`,
      has_organization_projects: true,
      has_repository_projects: true,
      public_repos: 1,
      public_gists: 0,
      followers: 0,
      following: 0,
      type: "Organization",
      created_at: team.createdAt,
      updated_at: team.createdAt,
      archived_at: null,
    },
  };
}

/** Handlers for repository permission, teams and team membership. */
export const accessHandlers: readonly RestHandler[] = [
  {
    operationId: "repos/get-collaborator-permission-level",
    permission: { anyOf: ["metadata"], level: "read" },
    handle(ctx) {
      const repo = requireRepo(ctx);
      const login = String(ctx.params["username"]);
      const user = ctx.state.users.get(login.toLowerCase());
      // GitHub answers 404 for an account that does not exist; the emulator knows an account once a test mentions it.
      if (user === undefined) throw notFound(ctx);
      // Everyone can read a public repository; a private one grants nothing to non-collaborators.
      const role: RepoRole | "none" = repo.collaborators.get(login.toLowerCase()) ?? (repo.private ? "none" : "read");
      const rank = ROLE_RANK[role];
      return {
        status: 200,
        body: {
          permission: LEGACY_PERMISSION[role],
          role_name: role,
          user: {
            ...renderUser(ctx.urls, user),
            permissions: { admin: rank >= 5, maintain: rank >= 4, push: rank >= 3, triage: rank >= 2, pull: rank >= 1 },
            role_name: role,
          },
        },
      };
    },
  },
  {
    operationId: "teams/get-by-name",
    permission: membersRead,
    hiddenWithoutPermission: true,
    handle(ctx) {
      return { status: 200, body: renderTeam(ctx.urls, requireTeam(ctx)) };
    },
  },
  {
    operationId: "teams/get-membership-for-user-in-org",
    permission: membersRead,
    hiddenWithoutPermission: true,
    handle(ctx) {
      const team = requireTeam(ctx);
      const login = String(ctx.params["username"]);
      const role = team.members.get(login.toLowerCase());
      if (role === undefined) throw notFound(ctx);
      return {
        status: 200,
        body: { url: `${ctx.urls.api}/organizations/${team.org.id}/team/${team.id}/memberships/${encodeURIComponent(login)}`, role, state: "active" },
      };
    },
  },
];
