/**
 * The emulator's in-memory world: users, one or more repositories with their pull requests,
 * issues, comments, statuses and collaborators, org teams, and id generation.
 */

/** A GitHub account the emulator knows. */
export interface UserRecord {
  login: string;
  id: number;
  /** `Bot` for logins ending in `[bot]`, like `github-actions[bot]`. */
  type: "User" | "Bot" | "Organization";
}

/** An org team and its members. */
export interface TeamRecord {
  id: number;
  org: UserRecord;
  slug: string;
  name: string;
  createdAt: string;
  /** Member logins (lower-case) with their team role. */
  members: Map<string, "member" | "maintainer">;
}

/** Repository role, as the collaborator permission endpoint reports it in `role_name`. */
export type RepoRole = "admin" | "maintain" | "write" | "triage" | "read";

/** A label attached to issues. */
export interface LabelRecord {
  id: number;
  name: string;
  color: string;
}

/** An issue, or the issue half of a pull request (GitHub numbers both from one sequence). */
export interface IssueRecord {
  id: number;
  number: number;
  title: string;
  body: string | null;
  user: UserRecord;
  state: "open" | "closed";
  stateReason: "completed" | "not_planned" | "reopened" | "duplicate" | null;
  labels: LabelRecord[];
  assignees: UserRecord[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  closedBy: UserRecord | null;
  /** Present when this number is a pull request. */
  pull: PullRecord | undefined;
}

/** One changed file of a pull request. */
export interface PullFileRecord {
  filename: string;
  status: "added" | "removed" | "modified" | "renamed" | "copied" | "changed" | "unchanged";
  additions: number;
  deletions: number;
  patch: string | undefined;
  previousFilename: string | undefined;
  sha: string;
}

/** A submitted pull request review. */
export interface ReviewRecord {
  id: number;
  user: UserRecord;
  state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED" | "PENDING";
  body: string;
  commitId: string;
  submittedAt: string;
}

/** The pull request specifics on top of its issue. */
export interface PullRecord {
  id: number;
  head: { sha: string; ref: string; repoFullName: string };
  base: { sha: string; ref: string };
  draft: boolean;
  merged: boolean;
  files: PullFileRecord[];
  reviews: ReviewRecord[];
}

/** An issue or pull request conversation comment. */
export interface CommentRecord {
  id: number;
  issueNumber: number;
  body: string;
  user: UserRecord;
  createdAt: string;
  updatedAt: string;
  /** Set by the GraphQL `minimizeComment` mutation; REST does not show it. */
  minimizedReason: string | undefined;
}

/** A commit status as created. */
export interface StatusRecord {
  id: number;
  sha: string;
  state: "error" | "failure" | "pending" | "success";
  context: string;
  description: string | null;
  targetUrl: string | null;
  creator: UserRecord;
  createdAt: string;
}

/** An Actions artifact, from CreateArtifact through its blob upload to FinalizeArtifact. */
export interface ArtifactRecord {
  id: number;
  name: string;
  repoFullName: string;
  /** Numeric workflow run id (what REST shows as `workflow_run.id`). */
  runId: number;
  runBackendId: string;
  jobBackendId: string;
  /** Blob name inside the emulated storage account. */
  blobKey: string;
  /** Staged blocks by block id, before `comp=blocklist` commits them. */
  stagedBlocks: Map<string, Buffer>;
  /** Committed blob bytes, once uploaded. */
  content: Buffer | undefined;
  contentType: string | undefined;
  /** `sha256:<hex>` declared at finalize. */
  digest: string | undefined;
  finalized: boolean;
  createdAt: string;
  expiresAt: string;
}

/** A workflow run a runtime token was minted for. */
export interface RunRecord {
  runId: number;
  runBackendId: string;
  jobBackendId: string;
  repoFullName: string;
  headSha: string;
  headBranch: string;
}

/** A repository and everything in it. */
export interface RepoRecord {
  id: number;
  owner: UserRecord;
  name: string;
  private: boolean;
  defaultBranch: string;
  createdAt: string;
  issues: Map<number, IssueRecord>;
  comments: Map<number, CommentRecord>;
  statuses: StatusRecord[];
  labels: Map<string, LabelRecord>;
  collaborators: Map<string, RepoRole>;
}

/** Base ids chosen to look like today's GitHub ids (large, distinct per resource type). */
const ID_BASES = {
  user: 9_100_000,
  repo: 712_000_000,
  issue: 2_400_000_000,
  pull: 1_900_000_000,
  comment: 2_700_000_000,
  review: 2_300_000_000,
  status: 31_000_000_000,
  label: 6_500_000_000,
  team: 14_000_000,
  artifact: 3_100_000_000,
} as const;

/** Which kind of id to allocate. */
export type IdKind = keyof typeof ID_BASES;

/** All mutable state of one emulator instance. */
export class EmulatorState {
  readonly users = new Map<string, UserRecord>();
  readonly repos = new Map<string, RepoRecord>();
  /** Teams by lower-case `org/team-slug`. */
  readonly teams = new Map<string, TeamRecord>();
  readonly artifacts: ArtifactRecord[] = [];
  /** Runs by their results-service backend id. */
  readonly runs = new Map<string, RunRecord>();
  private readonly counters = new Map<IdKind, number>();

  constructor(readonly now: () => Date) {}

  /** A fresh id of the given kind. */
  nextId(kind: IdKind): number {
    const next = (this.counters.get(kind) ?? 0) + 1;
    this.counters.set(kind, next);
    return ID_BASES[kind] + next * 7;
  }

  /** Current time as GitHub prints it: ISO 8601, seconds precision, `Z`. */
  timestamp(): string {
    return this.now().toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  /** The account with this login, created on first mention (as `type`, or Bot/User by its name). */
  user(login: string, type?: UserRecord["type"]): UserRecord {
    let user = this.users.get(login.toLowerCase());
    if (user === undefined) {
      user = { login, id: this.nextId("user"), type: type ?? (login.endsWith("[bot]") ? "Bot" : "User") };
      this.users.set(login.toLowerCase(), user);
    }
    return user;
  }

  /** Creates a repository owned by `owner`. */
  addRepo(owner: string, name: string, options: { private?: boolean; defaultBranch?: string; ownerType?: UserRecord["type"] } = {}): RepoRecord {
    const repo: RepoRecord = {
      id: this.nextId("repo"),
      owner: this.user(owner, options.ownerType),
      name,
      private: options.private ?? false,
      defaultBranch: options.defaultBranch ?? "main",
      createdAt: this.timestamp(),
      issues: new Map(),
      comments: new Map(),
      statuses: [],
      labels: new Map(),
      collaborators: new Map([[owner.toLowerCase(), "admin"]]),
    };
    this.repos.set(`${owner}/${name}`.toLowerCase(), repo);
    return repo;
  }

  /** The repository, or `undefined` (GitHub answers 404). Names are case-insensitive like GitHub's. */
  repo(owner: string, name: string): RepoRecord | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  /** Next issue/pull number in the repository. */
  nextNumber(repo: RepoRecord): number {
    let max = 0;
    for (const number of repo.issues.keys()) max = Math.max(max, number);
    return max + 1;
  }

  /** The label, created (as GitHub does for writers) when first used. */
  label(repo: RepoRecord, name: string): LabelRecord {
    let label = repo.labels.get(name.toLowerCase());
    if (label === undefined) {
      label = { id: this.nextId("label"), name, color: "ededed" };
      repo.labels.set(name.toLowerCase(), label);
    }
    return label;
  }

  /** The team, created (in an organization account) on first mention. */
  team(org: string, slug: string): TeamRecord {
    const key = `${org}/${slug}`.toLowerCase();
    let team = this.teams.get(key);
    if (team === undefined) {
      team = { id: this.nextId("team"), org: this.user(org, "Organization"), slug, name: slug, createdAt: this.timestamp(), members: new Map() };
      this.teams.set(key, team);
    }
    return team;
  }

  /** The comment with this id in any repository. */
  findComment(id: number): { repo: RepoRecord; comment: CommentRecord } | undefined {
    for (const repo of this.repos.values()) {
      const comment = repo.comments.get(id);
      if (comment !== undefined) return { repo, comment };
    }
    return undefined;
  }
}
