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
 * // The emulator answers from this process's event loop: spawn the action asynchronously
 * // (`promisify(execFile)`), never with execFileSync, or both sides wait for ever.
 * await run("node", ["dist/index.js"], { env: { ...process.env, ...emu.actionsEnv("ghs_test", { runId: 42 }) } });
 * expect(emu.comments("acme", "netops", 7)).toHaveLength(1);
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
import { Recorder, type RecordedRequest, type Violation } from "./recorder.js";
import { createRequestListener } from "./router.js";
import { mintRuntimeToken } from "./runtime-token.js";
import { seedPull, seedPush, seedReview, type AddPullOptions, type AddReviewOptions, type PullFileInput } from "./seed.js";
import { EmulatorState, type RepoRecord, type RepoRole } from "./state.js";
import { artifactViews, commentViews, issueViews, statusViews, type ArtifactView, type CommentView, type IssueView, type StatusView } from "./views.js";

export { TOKEN_PRESETS, type AccessLevel, type PermissionName, type TokenOptions } from "./auth.js";
export type { FaultHandle, FaultResponse, FaultRule } from "./faults.js";
export type { RecordedRequest, Violation } from "./recorder.js";
export { readZip } from "./zip-reader.js";
export type { AddPullOptions, AddReviewOptions, PullFileInput } from "./seed.js";
export type { ArtifactView, CommentView, IssueView, StatusView } from "./views.js";

/** How to start an emulator. */
export interface EmulatorOptions {
  /** Owner of the repository the emulator serves (created at start). */
  owner: string;
  /** Name of that repository. */
  repo: string;
  /**
   * Source of "now" for every timestamp, signed-URL expiry and rate-limit window; default the real
   * clock. plugin-throttling compares `x-ratelimit-reset` with the real `Date.now()`, so a fixed
   * clock in the past makes a primary-rate-limit retry happen at once.
   */
  clock?: () => Date;
  /** Whether the repository is private (changes permission answers for non-collaborators); default false. */
  private?: boolean;
  /** Account type of `owner`; default `Organization` (teams live in organizations). */
  ownerType?: "User" | "Organization";
  /** Web base for `html_url`s; default `https://github.com`. */
  serverUrl?: string;
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
    return seedPull(this.state, this.mainRepo(), options);
  }

  /** Pushes to a pull request's branch (GitHub's `synchronize`): its head commit and changed files become these. */
  pushToPull(pullNumber: number, headSha: string, files: readonly PullFileInput[]): void {
    seedPush(this.state, this.mainRepo(), pullNumber, headSha, files);
  }

  /** Submits a review on a pull request of the main repository. */
  addReview(pullNumber: number, options: AddReviewOptions): { id: number } {
    return seedReview(this.state, this.mainRepo(), pullNumber, options);
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
    return record === undefined ? [] : commentViews(record, issueNumber);
  }

  /** Statuses created for a commit of the main repository, oldest first. */
  statuses(sha: string): StatusView[] {
    return statusViews(this.mainRepo(), sha);
  }

  /** Issues (not pull requests) of the main repository, by number. */
  issues(): IssueView[] {
    return issueViews(this.mainRepo());
  }

  /** Artifacts created through the results service, in creation order (finalized or not). */
  artifacts(): ArtifactView[] {
    return artifactViews(this.state);
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
