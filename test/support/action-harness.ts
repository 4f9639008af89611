/**
 * Runs the Action the way the runner does — the built bundle (`node dist/index.js`, {@link runAction})
 * or its `run()` in this process ({@link runActionInProcess}): workspace as cwd, a real
 * git repository with base and head commits, `INPUT_*` variables (names upper-cased, hyphens kept)
 * with action.yml's defaults filled in, a real-shaped event payload at GITHUB_EVENT_PATH, fresh
 * GITHUB_OUTPUT / GITHUB_STEP_SUMMARY / GITHUB_STATE / GITHUB_ENV files, and the GitHub API, the
 * GraphQL endpoint and the artifact results service on a loopback emulator.
 */
import { execFile, execFileSync } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "yaml";
import type { GitHubEmulator } from "./github-emulator/index.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
export const ACTION_BUNDLE = path.join(ROOT, "dist/index.js");

/** The four bundled example windows and the current edge-gw policy. */
export const EXAMPLE_WINDOWS = ["2026-02-26-pop12-routing", "2026-02-26-pop9-maintenance-loss", "2026-03-04-pop7-dns-latency", "2026-03-18-pop12-quiet"] as const;
export const POLICY_PATH = "policies/edge-gw.yaml";

/** Text of a bundled file. */
export function bundled(relative: string): Promise<string> {
  return readFile(path.join(ROOT, relative), "utf8");
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, GIT_AUTHOR_NAME: "dev", GIT_AUTHOR_EMAIL: "dev@example.com", GIT_COMMITTER_NAME: "dev", GIT_COMMITTER_EMAIL: "dev@example.com", GIT_AUTHOR_DATE: "2026-03-01T00:00:00Z", GIT_COMMITTER_DATE: "2026-03-01T00:00:00Z" },
  }).trim();
}

/** A consumer repository on disk. */
export interface TestRepo {
  readonly dir: string;
  readonly base: string;
  /** Commits after base, in order; the last one is checked out. */
  readonly commits: string[];
  /** Adds a commit with these file changes (null deletes) and checks it out; returns its sha. */
  commit(files: Readonly<Record<string, string | null>>, message?: string): Promise<string>;
  /** Checks out a commit (the runner's checkout of that sha). */
  checkout(sha: string): void;
  /** Files changed between base and a commit, as GitHub would list them. */
  changedFiles(sha: string): string[];
  remove(): Promise<void>;
}

/** A repository whose base commit holds the bundled policy and windows, plus optional files (e.g. the config). */
export async function createRepo(baseFiles: Readonly<Record<string, string>> = {}, windows: readonly string[] = EXAMPLE_WINDOWS): Promise<TestRepo> {
  const dir = await mkdtemp(path.join(tmpdir(), "rg-action-repo-"));
  git(dir, "init", "-q", "-b", "main");
  git(dir, "config", "commit.gpgsign", "false");
  await mkdir(path.join(dir, "policies/windows"), { recursive: true });
  await cp(path.join(ROOT, POLICY_PATH), path.join(dir, POLICY_PATH));
  for (const w of windows) await cp(path.join(ROOT, "policies/windows", w), path.join(dir, "policies/windows", w), { recursive: true });
  for (const [file, text] of Object.entries(baseFiles)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "base");
  const base = git(dir, "rev-parse", "HEAD");
  const commits: string[] = [];
  let counter = 0;
  return {
    dir,
    base,
    commits,
    async commit(files, message) {
      for (const [file, text] of Object.entries(files)) {
        const full = path.join(dir, file);
        if (text === null) await rm(full, { recursive: true, force: true });
        else {
          await mkdir(path.dirname(full), { recursive: true });
          await writeFile(full, text);
        }
      }
      git(dir, "add", "-A");
      git(dir, "commit", "-q", "--allow-empty", "-m", message ?? `change ${++counter}`);
      const sha = git(dir, "rev-parse", "HEAD");
      commits.push(sha);
      return sha;
    },
    checkout(sha) {
      git(dir, "checkout", "-q", "--detach", sha);
    },
    changedFiles(sha) {
      return git(dir, "diff", "--name-only", `${base}...${sha}`).split("\n").filter((l) => l !== "");
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** A pull_request / pull_request_review payload as GitHub shapes it (the fields a workflow sees most). */
export function pullRequestPayload(options: { owner: string; repo: string; number: number; author: string; base: string; head: string; headRepo?: string }): Record<string, unknown> {
  const full = `${options.owner}/${options.repo}`;
  const headRepo = options.headRepo ?? full;
  const repoObject = (fullName: string, id: number) => ({ id, name: fullName.split("/")[1], full_name: fullName, owner: { login: fullName.split("/")[0], type: "Organization" }, private: false, fork: fullName !== full });
  return {
    number: options.number,
    pull_request: {
      number: options.number,
      state: "open",
      title: `Change #${options.number}`,
      user: { login: options.author, type: "User" },
      head: { sha: options.head, ref: "feature", label: `${headRepo.split("/")[0]}:feature`, repo: repoObject(headRepo, headRepo === full ? 1 : 2) },
      base: { sha: options.base, ref: "main", label: `${options.owner}:main`, repo: repoObject(full, 1) },
      draft: false,
    },
    repository: repoObject(full, 1),
    sender: { login: options.author, type: "User" },
  };
}

/** What one run of the Action left behind. */
export interface ActionRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly outputs: Record<string, string>;
  readonly summary: string;
  readonly annotations: { kind: string; props: string; message: string }[];
  readonly durationMs: number;
}

/** Parses GITHUB_OUTPUT's `name<<delimiter` blocks. */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i]!);
    if (m) {
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== m[2]; i++) value.push(lines[i]!);
      out[m[1]!] = value.join("\n");
    } else if (lines[i]!.includes("=")) {
      const [k, ...v] = lines[i]!.split("=");
      out[k!] = v.join("=");
    }
  }
  return out;
}

let nextRunId = 9_000_000_001;
let defaultsCache: Record<string, string> | undefined;

/** action.yml's input defaults, as the runner fills them in (`${{ github.token }}` → the job token). */
export async function actionDefaults(): Promise<Record<string, string>> {
  if (defaultsCache === undefined) {
    const doc = parse(await readFile(path.join(ROOT, "action.yml"), "utf8")) as { inputs: Record<string, { default?: string }> };
    defaultsCache = Object.fromEntries(Object.entries(doc.inputs).map(([name, spec]) => [name, spec.default ?? ""]));
  }
  return defaultsCache;
}

/** How to run the Action once. */
export interface RunOptions {
  readonly emu: GitHubEmulator;
  readonly repo: TestRepo;
  readonly token: string;
  readonly eventName: string;
  readonly payload: Record<string, unknown>;
  readonly inputs?: Readonly<Record<string, string>>;
  readonly runId?: number;
  readonly attempt?: number;
  /** GITHUB_SHA; defaults to the checked-out commit. */
  readonly sha?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** The Node binary; default the one running the tests. */
  readonly node?: string;
}

/** The files and environment of one run, as the runner prepares them for a step. */
interface PreparedRun {
  readonly temp: string;
  readonly files: { readonly output: string; readonly summary: string };
  readonly env: Record<string, string>;
}

async function prepareRun(options: RunOptions): Promise<PreparedRun> {
  const temp = await mkdtemp(path.join(tmpdir(), "rg-action-run-"));
  const files = { output: path.join(temp, "output"), summary: path.join(temp, "summary"), state: path.join(temp, "state"), env: path.join(temp, "env"), event: path.join(temp, "event.json") };
  for (const f of [files.output, files.summary, files.state, files.env]) await writeFile(f, "");
  await writeFile(files.event, JSON.stringify(options.payload, null, 2));
  await mkdir(path.join(temp, "runner-temp"));
  // Every run of a workflow has its own id; tests that need a fixed one (shards of one run) pass it.
  const runId = options.runId ?? nextRunId++;
  const headSha = git(options.repo.dir, "rev-parse", "HEAD");
  const inputs: Record<string, string> = {};
  for (const [name, value] of Object.entries({ ...(await actionDefaults()), ...options.inputs })) {
    inputs[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] = value === "${{ github.token }}" ? options.token : value;
  }
  const env: Record<string, string> = {
    PATH: process.env["PATH"] ?? "/usr/bin:/bin",
    HOME: process.env["HOME"] ?? temp,
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_WORKSPACE: options.repo.dir,
    GITHUB_EVENT_NAME: options.eventName,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_SHA: options.sha ?? headSha,
    GITHUB_REF: options.eventName.startsWith("pull_request") ? `refs/pull/${String((options.payload["pull_request"] as { number?: number } | undefined)?.number ?? 0)}/merge` : "refs/heads/main",
    GITHUB_RUN_ATTEMPT: String(options.attempt ?? 1),
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_STATE: files.state,
    GITHUB_ENV: files.env,
    RUNNER_TEMP: path.join(temp, "runner-temp"),
    GITHUB_ACTOR: String((options.payload["sender"] as { login?: string } | undefined)?.login ?? "dev"),
    // The run's head branch is how the artifact list tells a pull request's runs apart.
    ...options.emu.actionsEnv(options.token, { runId, headSha, headBranch: String((options.payload["pull_request"] as { head?: { ref?: string } } | undefined)?.head?.ref ?? "main") }),
    ...inputs,
    ...options.env,
  };
  return { temp, files, env };
}

/** Reads what the step left in its files and on stdout, and removes the run's temporary files. */
async function collectRun(prepared: PreparedRun, result: { code: number | null; stdout: string; stderr: string }, started: number): Promise<ActionRun> {
  const annotations = [...result.stdout.matchAll(/^::(notice|warning|error)( [^:]*)?::(.*)$/gm)].map((m) => ({ kind: m[1]!, props: (m[2] ?? "").trim(), message: m[3]! }));
  const run: ActionRun = {
    ...result,
    outputs: parseOutputFile(await readFile(prepared.files.output, "utf8")),
    summary: await readFile(prepared.files.summary, "utf8"),
    annotations,
    durationMs: Date.now() - started,
  };
  await rm(prepared.temp, { recursive: true, force: true });
  return run;
}

/**
 * Runs `node dist/index.js` as the runner does and collects what it wrote: the true end-to-end run
 * (the bundle, its start under the runner's environment, a chosen Node binary). Keep it for the few
 * tests that prove those; decisions go through {@link runActionInProcess}.
 */
export async function runAction(options: RunOptions): Promise<ActionRun> {
  const prepared = await prepareRun(options);
  const started = Date.now();
  const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(options.node ?? process.execPath, [ACTION_BUNDLE], { cwd: options.repo.dir, env: prepared.env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
  return collectRun(prepared, result, started);
}

/** Variables the runner sets for a step; the host's own are hidden from an in-process run. */
const RUNNER_VARIABLE = /^(GITHUB_|INPUT_|RUNNER_|ACTIONS_|CI$)/;

type Write = typeof process.stdout.write;

/** GITHUB_API_URL when this process first loaded the Action in-process. */
let loadedWithApiUrl: string | undefined;

/** Replaces a stream's write with one that appends to `sink` (and calls the write's callback, as the stream would). */
function captureWrites(stream: NodeJS.WriteStream, sink: (text: string) => void): () => void {
  const original = stream.write;
  const capture = (chunk: string | Uint8Array, encodingOrCallback?: BufferEncoding | ((error?: Error | null) => void), callback?: (error?: Error | null) => void): boolean => {
    sink(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    const done = typeof encodingOrCallback === "function" ? encodingOrCallback : callback;
    if (done !== undefined) queueMicrotask(() => done(null));
    return true;
  };
  stream.write = capture as Write;
  return () => {
    stream.write = original;
  };
}

/**
 * Runs the Action's `run()` (src/action/main.ts) in this process with the environment, files and
 * working directory {@link runAction} gives the bundle, against the same emulator over loopback
 * HTTP, and collects the same {@link ActionRun}: stdout and stderr as written, the exit code the
 * step would end with (`process.exitCode`), outputs and summary from their files. For the Action's
 * decisions: no Node start and bundle load per run. The process's environment, directory, exit
 * code and streams are restored afterwards (vitest runs each test file in its own process, and the
 * tests of one file one after another).
 */
export async function runActionInProcess(options: RunOptions): Promise<ActionRun> {
  if (options.node !== undefined) throw new Error("runActionInProcess runs on this Node; use runAction for another Node binary");
  const prepared = await prepareRun(options);
  const apiUrl = prepared.env["GITHUB_API_URL"];
  // @actions/github reads GITHUB_API_URL once, when loaded, and @actions/artifact's download of an
  // earlier run's artifact uses that: one emulator per test file (per process) in-process.
  if (loadedWithApiUrl !== undefined && loadedWithApiUrl !== apiUrl) throw new Error(`runActionInProcess: this process loaded the Action against ${loadedWithApiUrl}; start one emulator per test file`);
  loadedWithApiUrl = apiUrl;
  const savedEnv = { ...process.env };
  const savedCwd = process.cwd();
  const savedExitCode = process.exitCode;
  for (const name of Object.keys(process.env)) if (RUNNER_VARIABLE.test(name)) delete process.env[name];
  Object.assign(process.env, prepared.env);
  process.chdir(options.repo.dir);
  process.exitCode = undefined;
  let stdout = "";
  let stderr = "";
  const restoreStdout = captureWrites(process.stdout, (t) => void (stdout += t));
  const restoreStderr = captureWrites(process.stderr, (t) => void (stderr += t));
  const started = Date.now();
  let code: number;
  try {
    // Imported on first use (with the runner's variables set), so files that only spawn the bundle do not load the Action's sources.
    const { run } = await import("../../src/action/main.js");
    await run();
    code = Number(process.exitCode ?? 0);
  } catch (error) {
    // What would end the bundle with an uncaught exception: Node prints it and exits 1.
    stderr += `${(error as Error).stack ?? String(error)}\n`;
    code = 1;
  } finally {
    restoreStderr();
    restoreStdout();
    process.exitCode = savedExitCode;
    process.chdir(savedCwd);
    for (const name of Object.keys(process.env)) if (!(name in savedEnv)) delete process.env[name];
    Object.assign(process.env, savedEnv);
  }
  return collectRun(prepared, { code, stdout, stderr }, started);
}

/**
 * Uploads an artifact to the emulator as another step of run `runId` would (the runner's
 * `ACTIONS_RUNTIME_TOKEN` of that run, @actions/artifact's own client): how a test puts a forged
 * or foreign file where the Action will find it.
 */
export async function uploadRunArtifact(emu: GitHubEmulator, token: string, runId: number, name: string, files: Readonly<Record<string, string>>): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), "rg-upload-"));
  const savedEnv = { ...process.env };
  const restoreStdout = captureWrites(process.stdout, () => {});
  try {
    for (const [file, text] of Object.entries(files)) await writeFile(path.join(dir, file), text);
    Object.assign(process.env, emu.actionsEnv(token, { runId }), { GITHUB_WORKSPACE: dir });
    const { DefaultArtifactClient } = await import("@actions/artifact");
    await new DefaultArtifactClient().uploadArtifact(
      name,
      Object.keys(files).map((file) => path.join(dir, file)),
      dir,
    );
  } finally {
    restoreStdout();
    for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
    Object.assign(process.env, savedEnv);
    await rm(dir, { recursive: true, force: true });
  }
}

/** A push to the pull request's branch (GitHub's `synchronize`): a new head and file list. */
export function pushToPull(emu: GitHubEmulator, number: number, head: string, files: readonly string[]): void {
  emu.pushToPull(number, head, files.map((filename) => ({ filename })));
}

/** Opens a pull request for `head` in the emulator with the files git sees changed, and returns its payload. */
export function openPull(emu: GitHubEmulator, repo: TestRepo, number: number, head: string, author = "dev", headRepo?: string): Record<string, unknown> {
  emu.addPull({ number, author, head: { sha: head, ...(headRepo ? { repo: headRepo } : {}) }, base: { sha: repo.base }, files: repo.changedFiles(head).map((filename) => ({ filename })) });
  return pullRequestPayload({ owner: emu.owner, repo: emu.repo, number, author, base: repo.base, head, ...(headRepo ? { headRepo } : {}) });
}

/** The config most gate scenarios use: any policy change needs one approval; promotions and breaches have owners. */
export const APPROVALS_CONFIG = `policies: policies/*.yaml
windows: policies/windows/*
thresholds:
  min_parity: 0.95
approvals:
  - paths: policies/*.yaml
    required: 1
    from: [team:noc-reviewers, user:alice]
  - when: promotion
    required: 1
    from: [team:neteng-leads]
  - when: threshold-breach
    required: 1
    from: [user:owner1]
environments:
  prod: { posture: governed }
`;

/** stderr without Node's deprecation notices from bundled dependencies (the artifact client's unzip uses `Buffer()`). */
export function unexpectedStderr(stderr: string): string {
  return stderr
    .split("\n")
    .filter((line) => !/DeprecationWarning|--trace-deprecation/.test(line) && line.trim() !== "")
    .join("\n");
}
