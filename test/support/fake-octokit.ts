/**
 * A typed fake of the Octokit edge for in-process Action tests: the comment, issue and status
 * endpoints the publisher calls, backed by in-memory state, with parameters typed by Octokit's
 * own method types (a call the real client would reject does not compile) and every call logged.
 */
import type { Octokit } from "../../src/action/octokit.js";

type Rest = Octokit["rest"];
type Params<F> = F extends (params: infer P) => unknown ? NonNullable<P> : never;

/** A stored comment. */
export interface FakeComment {
  id: number;
  node_id: string;
  body: string;
  user: { login: string; type: "Bot" | "User" };
  minimized: boolean;
}

/** A stored commit status (newest first, as GitHub lists them). */
export interface FakeStatus {
  state: string;
  context: string;
  description: string;
  target_url: string;
}

/** A stored issue. */
export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  labels: string[];
  user: { login: string; type: "Bot" | "User" };
  comments: string[];
}

/** What the fake holds and what it was asked. */
export interface FakeGitHub {
  readonly octokit: Octokit;
  readonly comments: FakeComment[];
  readonly statuses: FakeStatus[];
  readonly issues: FakeIssue[];
  /** Operation names in call order (`issues.createComment`, `graphql`, …). */
  readonly calls: string[];
  /** The pull request's current head (pulls.get). */
  head: string;
  /** Makes the next createComment store the comment and then answer 502 (GitHub lost the answer). */
  loseNextCreateAnswer: boolean;
}

const BOT = { login: "github-actions[bot]", type: "Bot" as const };

function httpError(status: number, message: string): Error {
  return Object.assign(new Error(message), { status });
}

/** A fake GitHub for one repository and one pull request. */
export function fakeGitHub(): FakeGitHub {
  let nextId = 1;
  const state: Omit<FakeGitHub, "octokit"> = { comments: [], statuses: [], issues: [], calls: [], head: "", loseNextCreateAnswer: false };
  const log = (name: string) => state.calls.push(name);
  const issues = {
    listComments: async (_: Params<Rest["issues"]["listComments"]>) => {
      log("issues.listComments");
      return { data: state.comments.map((c) => ({ ...c, user: { ...c.user } })) };
    },
    createComment: async (p: Params<Rest["issues"]["createComment"]>) => {
      log("issues.createComment");
      const id = nextId++;
      if (p.issue_number >= 1000) {
        state.issues.find((i) => i.number === p.issue_number)?.comments.push(p.body);
        return { data: { id } };
      }
      state.comments.push({ id, node_id: `IC_${id}`, body: p.body, user: BOT, minimized: false });
      if (state.loseNextCreateAnswer) {
        state.loseNextCreateAnswer = false;
        throw httpError(502, "Bad Gateway");
      }
      return { data: { id } };
    },
    updateComment: async (p: Params<Rest["issues"]["updateComment"]>) => {
      log("issues.updateComment");
      const c = state.comments.find((x) => x.id === p.comment_id);
      if (c === undefined) throw httpError(404, "Not Found");
      c.body = p.body;
      return { data: { id: c.id } };
    },
    deleteComment: async (p: Params<Rest["issues"]["deleteComment"]>) => {
      log("issues.deleteComment");
      const i = state.comments.findIndex((x) => x.id === p.comment_id);
      if (i === -1) throw httpError(404, "Not Found");
      state.comments.splice(i, 1);
      return { data: undefined };
    },
    listForRepo: async (p: Params<Rest["issues"]["listForRepo"]>) => {
      log("issues.listForRepo");
      return { data: state.issues.filter((i) => i.state === p.state && (p.labels === undefined || i.labels.includes(p.labels))).map((i) => ({ ...i, pull_request: undefined })) };
    },
    create: async (p: Params<Rest["issues"]["create"]>) => {
      log("issues.create");
      const number = 1000 + state.issues.length;
      state.issues.push({ number, title: p.title as string, body: p.body ?? "", state: "open", labels: (p.labels ?? []).map(String), user: BOT, comments: [] });
      return { data: { number } };
    },
    update: async (p: Params<Rest["issues"]["update"]>) => {
      log("issues.update");
      const issue = state.issues.find((i) => i.number === p.issue_number);
      if (issue === undefined) throw httpError(404, "Not Found");
      if (p.body !== undefined && p.body !== null) issue.body = p.body;
      if (p.title !== undefined && p.title !== null) issue.title = String(p.title);
      if (p.state !== undefined) issue.state = p.state;
      return { data: { number: issue.number } };
    },
  };
  const repos = {
    createCommitStatus: async (p: Params<Rest["repos"]["createCommitStatus"]>) => {
      log("repos.createCommitStatus");
      state.statuses.unshift({ state: p.state, context: p.context ?? "default", description: p.description ?? "", target_url: p.target_url ?? "" });
      return { data: {} };
    },
    listCommitStatusesForRef: async (_: Params<Rest["repos"]["listCommitStatusesForRef"]>) => {
      log("repos.listCommitStatusesForRef");
      return { data: state.statuses.map((s) => ({ ...s })) };
    },
  };
  const pulls = {
    get: async (_: Params<Rest["pulls"]["get"]>) => {
      log("pulls.get");
      return { data: { head: { sha: state.head } } };
    },
  };
  const fake = {
    rest: { issues, repos, pulls },
    paginate: async <P>(method: (p: P) => Promise<{ data: unknown[] }>, params: P) => (await method(params)).data,
    graphql: async (query: string, variables: { id: string }) => {
      log("graphql");
      if (query.includes("minimizeComment")) {
        const c = state.comments.find((x) => x.node_id === variables.id);
        if (c !== undefined) c.minimized = true;
      }
      return {};
    },
  };
  // The fake implements only the endpoints above; the cast is confined to this one line.
  return Object.assign(state, { octokit: fake as unknown as Octokit });
}
