/**
 * Who may approve: a user's permission on the repository and org team membership.
 */
import { renderUser } from "../representations.js";
import type { RepoRole } from "../state.js";
import { notFound, requireRepo, type RestHandler } from "./context.js";

/** The legacy `permission` field folds the five roles into admin/write/read/none. */
const LEGACY_PERMISSION: Record<RepoRole | "none", string> = { admin: "admin", maintain: "write", write: "write", triage: "read", read: "read", none: "none" };

const ROLE_RANK: Record<RepoRole | "none", number> = { none: 0, read: 1, triage: 2, write: 3, maintain: 4, admin: 5 };

/** Handlers for repository permission and team membership. */
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
    operationId: "teams/get-membership-for-user-in-org",
    permission: { anyOf: ["members"], level: "read" },
    handle(ctx) {
      const org = String(ctx.params["org"]);
      const slug = String(ctx.params["team_slug"]);
      const login = String(ctx.params["username"]);
      const role = ctx.state.teams.get(`${org}/${slug}`.toLowerCase())?.get(login.toLowerCase());
      if (role === undefined) throw notFound(ctx);
      return {
        status: 200,
        body: { url: `${ctx.urls.api}/orgs/${org}/teams/${slug}/memberships/${login}`, role, state: "active" },
      };
    },
  },
];
