/**
 * A stateful GitHub emulator for end-to-end tests: the REST operations replay-gate uses, the
 * `minimizeComment` GraphQL mutation, and the Actions artifact results service with its blob
 * storage, all on one 127.0.0.1 port. Every REST request and response is checked against
 * GitHub's OpenAPI description; breaches land in `violations`, which tests assert is empty.
 *
 * ```ts
 * const emu = await startGitHubEmulator({ owner: "acme", repo: "netops" });
 * emu.addToken("ghs_test", TOKEN_PRESETS.sameRepoPullRequest);
 * emu.addPull({ number: 7, author: "dev", head: { sha: "a".repeat(40), ref: "feature" }, base: { sha: "b".repeat(40) } });
 * // run the client with GITHUB_API_URL=emu.url, ACTIONS_RESULTS_URL=emu.resultsUrl, ACTIONS_RUNTIME_TOKEN=emu.runtimeToken()
 * expect(emu.violations).toEqual([]);
 * await emu.close();
 * ```
 */
import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { TokenOptions, TokenRecord } from "./auth.js";
import { FaultBook, type FaultHandle, type FaultRule } from "./faults.js";
import type { RestHandler } from "./handlers/context.js";
import { accessHandlers } from "./handlers/access.js";
import { commentHandlers } from "./handlers/comments.js";
import { issueHandlers } from "./handlers/issues.js";
import { pullHandlers } from "./handlers/pulls.js";
import { repoHandlers } from "./handlers/repos.js";
import { statusHandlers } from "./handlers/statuses.js";
import { findOperationByTemplate } from "./openapi-spec.js";
import { nodeId } from "./representations.js";
import { Recorder, type RecordedRequest, type Violation } from "./recorder.js";
import { createRequestListener } from "./router.js";
import { mintRuntimeToken } from "./runtime-token.js";
import { EmulatorState, type IssueRecord, type PullFileRecord, type RepoRecord, type RepoRole, type ReviewRecord } from "./state.js";
import { readZip } from "./zip-reader.js";

export { TOKEN_PRESETS, type AccessLevel, type PermissionName, type TokenOptions } from "./auth.js";
export type { FaultHandle, FaultResponse, FaultRule } from "./faults.js";
export type { RecordedRequest, Violation } from "./recorder.js";
export { readZip } from "./zip-reader.js";

/** How to start an emulator. */
export interface EmulatorOptions {
  /** Owner of the repository the emulator serves (created at start). */
  owner: string;
  /** Name of that repository. */
  repo: string;
  /** Source of "now" for every timestamp and for rate-limit windows; default the real clock. */
  clock?: () => Date;
  /** Whether the repository is private (changes permission answers for non-collaborators); default false. */
  private?: boolean;
  /** Account type of `owner`; default `Organization` (teams live in organizations). */
  ownerType?: "User" | "Organization";
  /** Web base for `html_url`s; default `https://github.com`. */
  serverUrl?: string;
}

/** A changed file to put in a pull request. */
export interface PullFileInput {
  filename: string;
  /** Default `modified`. */
  status?: PullFileRecord["status"];
  additions?: number;
  deletions?: number;
  patch?: string;
  previous_filename?: string;
}

/** A pull request to create. */
export interface AddPullOptions {
  /** Default: the next free issue number. */
  number?: number;
  title?: string;
  body?: string;
  /** Login of the author; default `octocat`. */
  author?: string;
  /** Head commit; `repo` (`owner/name`) makes it a fork pull request (that repository is created if needed). */
  head: { sha: string; ref?: string; repo?: string };
  /** Base commit; `ref` defaults to `main`. */
  base: { sha: string; ref?: string };
  files?: readonly PullFileInput[];
  draft?: boolean;
  labels?: readonly string[];
}

/** A review to submit on a pull request. */
export interface AddReviewOptions {
  user: string;
  state: ReviewRecord["state"];
  /** Commit reviewed; default the pull request's head sha. */
  commitId?: string;
  body?: string;
  /** Default: the clock's now. */
  submittedAt?: string;
}

/** A comment as a person sees it, including whether it is hidden. */
export interface CommentView {
  id: number;
  nodeId: string;
  body: string;
  author: string;
  createdAt: string;
  updatedAt: string;
  /** `minimizedReason` if hidden through GraphQL (e.g. `outdated`), else undefined. */
  minimizedReason: string | undefined;
}

/** A commit status as created. */
export interface StatusView {
  context: string;
  state: "error" | "failure" | "pending" | "success";
  description: string | null;
  targetUrl: string | null;
  creator: string;
  createdAt: string;
}

/** An issue (not pull requests). */
export interface IssueView {
  number: number;
  title: string;
  body: string | null;
  state: "open" | "closed";
  labels: string[];
  author: string;
}

/** An uploaded artifact. */
export interface ArtifactView {
  id: number;
  name: string;
  runId: number;
  finalized: boolean;
  size: number;
  /** `sha256:<hex>` as finalized. */
  digest: string | undefined;
  /** The raw uploaded bytes (a zip unless uploaded with `skipArchive`). */
  content: Buffer | undefined;
  /** The zip's files by path; throws if the content is not a zip. */
  files(): Map<string, Buffer>;
}

/** Options of a minted runtime token: the run it belongs to. */
export interface RuntimeTokenOptions {
  /** Numeric run id (`GITHUB_RUN_ID`); default 9000000001. */
  runId?: number;
  headSha?: string;
  headBranch?: string;
}

const ALL_HANDLERS: readonly RestHandler[] = [...pullHandlers, ...commentHandlers, ...statusHandlers, ...accessHandlers, ...issueHandlers, ...repoHandlers];

/** `operationId`s of every emulated REST operation (others answer 400 and record an `unsupported` violation). */
export const EMULATED_OPERATIONS: readonly string[] = ALL_HANDLERS.map((h) => h.operationId);

/** A running emulator. */
export class GitHubEmulator {
  /** Base URL for `GITHUB_API_URL` (and the GraphQL endpoint at `${url}/graphql`). */
  readonly url: string;
  /** Base URL for `ACTIONS_RESULTS_URL`. */
  readonly resultsUrl: string;
  private readonly state: EmulatorState;
  private readonly recorder = new Recorder();
  private readonly faultBook = new FaultBook();
  private readonly tokens = new Map<string, TokenRecord>();
  private readonly secret = randomBytes(32).toString("hex");

  /** @internal use {@link startGitHubEmulator}. */
  constructor(
    private readonly server: Server,
    readonly owner: string,
    readonly repo: string,
    options: EmulatorOptions,
  ) {
    const { port } = server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    this.resultsUrl = `${this.url}/`;
    this.state = new EmulatorState(options.clock ?? (() => new Date()));
    this.state.addRepo(owner, repo, { private: options.private ?? false, ownerType: options.ownerType ?? "Organization" });
    const handlers = new Map(ALL_HANDLERS.map((h) => [h.operationId, h]));
    server.on(
      "request",
      createRequestListener({ state: this.state, recorder: this.recorder, faults: this.faultBook, tokens: this.tokens, handlers, urls: { api: this.url, web: options.serverUrl ?? "https://github.com" }, secret: this.secret }),
    );
  }

  /** Every request so far, in order of arrival. */
  get requests(): readonly RecordedRequest[] {
    return this.recorder.requests;
  }

  /** Every contract breach so far; a faithful client run leaves this empty. */
  get violations(): readonly Violation[] {
    return this.recorder.violations;
  }

  /** Forgets recorded requests and violations (state is kept). */
  clearLog(): void {
    this.recorder.clear();
  }

  /** Accepts `token` (as `token X` or `Bearer X`) with these permissions. */
  addToken(token: string, options: TokenOptions): void {
    this.tokens.set(token, {
      value: token,
      login: options.login ?? "github-actions[bot]",
      permissions: { ...options.permissions },
      refusal: options.refusal ?? "integration",
      limit: options.rateLimit ?? 5000,
      used: 0,
      resetAt: Math.floor(this.state.now().getTime() / 1000) + 3600,
    });
    this.state.user(options.login ?? "github-actions[bot]");
  }

  /** Creates another repository, e.g. the fork a pull request comes from. */
  addRepo(owner: string, name: string, options: { private?: boolean } = {}): void {
    this.state.addRepo(owner, name, options);
  }

  private mainRepo(): RepoRecord {
    const repo = this.state.repo(this.owner, this.repo);
    if (repo === undefined) throw new Error("emulator: main repository missing");
    return repo;
  }

  /** Opens a pull request in the main repository. */
  addPull(options: AddPullOptions): { number: number } {
    const repo = this.mainRepo();
    const number = options.number ?? this.state.nextNumber(repo);
    if (repo.issues.has(number)) throw new Error(`emulator: #${number} already exists`);
    const headRepo = options.head.repo ?? `${this.owner}/${this.repo}`;
    const [headOwner = "", headName = ""] = headRepo.split("/");
    if (this.state.repo(headOwner, headName) === undefined) this.state.addRepo(headOwner, headName);
    const now = this.state.timestamp();
    const issue: IssueRecord = {
      id: this.state.nextId("issue"),
      number,
      title: options.title ?? `Pull request #${number}`,
      body: options.body ?? null,
      user: this.state.user(options.author ?? "octocat"),
      state: "open",
      stateReason: null,
      labels: (options.labels ?? []).map((name) => this.state.label(repo, name)),
      assignees: [],
      createdAt: now,
      updatedAt: now,
      closedAt: null,
      closedBy: null,
      pull: {
        id: this.state.nextId("pull"),
        head: { sha: options.head.sha, ref: options.head.ref ?? "feature", repoFullName: headRepo },
        base: { sha: options.base.sha, ref: options.base.ref ?? repo.defaultBranch },
        draft: options.draft ?? false,
        merged: false,
        files: (options.files ?? []).map((file, index) => ({
          filename: file.filename,
          status: file.status ?? "modified",
          additions: file.additions ?? 1,
          deletions: file.deletions ?? 0,
          patch: file.patch,
          previousFilename: file.previous_filename,
          sha: (index + 1).toString(16).padStart(40, "0"),
        })),
        reviews: [],
      },
    };
    repo.issues.set(number, issue);
    return { number };
  }

  /** Submits a review on a pull request of the main repository. */
  addReview(pullNumber: number, options: AddReviewOptions): { id: number } {
    const pull = this.mainRepo().issues.get(pullNumber)?.pull;
    if (pull === undefined) throw new Error(`emulator: no pull request #${pullNumber}`);
    const review: ReviewRecord = {
      id: this.state.nextId("review"),
      user: this.state.user(options.user),
      state: options.state,
      body: options.body ?? "",
      commitId: options.commitId ?? pull.head.sha,
      submittedAt: options.submittedAt ?? this.state.timestamp(),
    };
    pull.reviews.push(review);
    return { id: review.id };
  }

  /** Sets a user's role on the main repository (`none` removes them as collaborator). */
  setPermission(user: string, role: RepoRole | "none"): void {
    const repo = this.mainRepo();
    this.state.user(user);
    if (role === "none") repo.collaborators.delete(user.toLowerCase());
    else repo.collaborators.set(user.toLowerCase(), role);
  }

  /** Creates an org team (`team` is the slug), with no members yet. */
  addTeam(org: string, team: string): void {
    this.state.team(org, team);
  }

  /** Adds a user to an org team (`team` is the slug), creating the team if needed. */
  addTeamMember(org: string, team: string, user: string, role: "member" | "maintainer" = "member"): void {
    this.state.user(user);
    this.state.team(org, team).members.set(user.toLowerCase(), role);
  }

  /**
   * Injects a failure. `path` is a template from GitHub's description (checked: a typo throws),
   * a literal path, or a RegExp.
   */
  fault(rule: FaultRule): FaultHandle {
    if (typeof rule.path === "string" && rule.path.includes("{") && rule.method !== "*") findOperationByTemplate(rule.method.toUpperCase(), rule.path);
    return this.faultBook.add(rule);
  }

  /** Removes all fault rules. */
  clearFaults(): void {
    this.faultBook.clear();
  }

  /**
   * Mints an `ACTIONS_RUNTIME_TOKEN` for a run of the main repository, signed by this emulator,
   * with the `Actions.Results:<runBackendId>:<jobBackendId>` scope @actions/artifact reads.
   */
  runtimeToken(options: RuntimeTokenOptions = {}): string {
    const runId = options.runId ?? 9_000_000_001;
    let run = [...this.state.runs.values()].find((r) => r.runId === runId);
    if (run === undefined) {
      run = {
        runId,
        runBackendId: randomUUID(),
        jobBackendId: randomUUID(),
        repoFullName: `${this.owner}/${this.repo}`,
        headSha: options.headSha ?? "0".repeat(40),
        headBranch: options.headBranch ?? "main",
      };
      this.state.runs.set(run.runBackendId, run);
    }
    return mintRuntimeToken(this.secret, run, Math.floor(this.state.now().getTime() / 1000));
  }

  /**
   * Environment for a child process (the built action) to talk to this emulator. Leaves
   * `GITHUB_SERVER_URL` unset: @actions/artifact treats any other host than github.com as GHES
   * and refuses to upload.
   */
  actionsEnv(token: string, options: RuntimeTokenOptions = {}): Record<string, string> {
    return {
      GITHUB_API_URL: this.url,
      GITHUB_GRAPHQL_URL: `${this.url}/graphql`,
      GITHUB_REPOSITORY: `${this.owner}/${this.repo}`,
      GITHUB_REPOSITORY_OWNER: this.owner,
      GITHUB_RUN_ID: String(options.runId ?? 9_000_000_001),
      GITHUB_TOKEN: token,
      ACTIONS_RESULTS_URL: this.resultsUrl,
      ACTIONS_RUNTIME_TOKEN: this.runtimeToken(options),
    };
  }

  /** Comments on an issue or pull request, oldest first. */
  comments(owner: string, repo: string, issueNumber: number): CommentView[] {
    const record = this.state.repo(owner, repo);
    if (record === undefined) return [];
    return [...record.comments.values()]
      .filter((c) => c.issueNumber === issueNumber)
      .sort((a, b) => a.id - b.id)
      .map((c) => ({ id: c.id, nodeId: nodeId("IC", c.id), body: c.body, author: c.user.login, createdAt: c.createdAt, updatedAt: c.updatedAt, minimizedReason: c.minimizedReason }));
  }

  /** Statuses created for a commit of the main repository, oldest first. */
  statuses(sha: string): StatusView[] {
    return this.mainRepo()
      .statuses.filter((s) => s.sha === sha.toLowerCase())
      .map((s) => ({ context: s.context, state: s.state, description: s.description, targetUrl: s.targetUrl, creator: s.creator.login, createdAt: s.createdAt }));
  }

  /** Issues (not pull requests) of the main repository, by number. */
  issues(): IssueView[] {
    return [...this.mainRepo().issues.values()]
      .filter((i) => i.pull === undefined)
      .sort((a, b) => a.number - b.number)
      .map((i) => ({ number: i.number, title: i.title, body: i.body, state: i.state, labels: i.labels.map((l) => l.name), author: i.user.login }));
  }

  /** Artifacts created through the results service, in creation order (finalized or not). */
  artifacts(): ArtifactView[] {
    return this.state.artifacts.map((a) => ({
      id: a.id,
      name: a.name,
      runId: a.runId,
      finalized: a.finalized,
      size: a.content?.length ?? 0,
      digest: a.digest,
      content: a.content,
      files: () => {
        if (a.content === undefined) throw new Error(`emulator: artifact ${a.name} has no content`);
        return readZip(a.content);
      },
    }));
  }

  /** Stops the server. */
  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.closeAllConnections();
      this.server.close((error) => (error === undefined ? resolve() : reject(error)));
    });
  }
}

/** Starts an emulator on 127.0.0.1 with an ephemeral port. */
export async function startGitHubEmulator(options: EmulatorOptions): Promise<GitHubEmulator> {
  const server = createServer();
  // Keep-alive sockets from clients would hold close() open.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return new GitHubEmulator(server, options.owner, options.repo, options);
}
