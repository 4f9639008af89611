/**
 * What this run is about, from the event name and payload GitHub wrote: a pull request (opened,
 * synchronized, reviewed), a merge-queue group, or a scheduled/manual regression run.
 * `pull_request_target` is refused: it runs with a write token in the base's context, and this
 * gate reads a pull request's files; use `pull_request` plus the `workflow_run` pattern instead.
 */
import { readFile } from "node:fs/promises";
import { ActionInputError } from "./inputs.js";

/** A pull request as the gate needs it. */
export interface PullRequestRef {
  readonly number: number;
  readonly baseSha: string;
  readonly headSha: string;
  /** The head branch, which finds the pull request's earlier artifacts. */
  readonly headRef: string;
  /** The base branch (where a broken gate config must be fixed); undefined when the payload lacks it. */
  readonly baseRef?: string | undefined;
  readonly author: string;
  /** The head lives in another repository: GitHub gives the run a read-only token. */
  readonly fork: boolean;
}

/** The run's plan. */
export type RunPlan =
  | { readonly kind: "pull_request"; readonly pr: PullRequestRef; readonly action: string }
  | { readonly kind: "pull_request_review"; readonly pr: PullRequestRef; readonly action: string }
  | { readonly kind: "merge_group"; readonly baseSha: string; readonly headSha: string; readonly prNumber: number | undefined }
  | { readonly kind: "regression"; readonly sha: string; readonly trigger: "schedule" | "workflow_dispatch" }
  /** The fork commenter: a gate run of a fork pull request completed; post its verified result. */
  | { readonly kind: "fork_comment"; readonly runId: number; readonly runUrl: string; readonly headSha: string; readonly headRepo: string };

interface RawPull {
  number?: unknown;
  user?: { login?: unknown } | null;
  base?: { sha?: unknown; ref?: unknown; repo?: { full_name?: unknown } | null };
  head?: { sha?: unknown; ref?: unknown; repo?: { full_name?: unknown } | null };
}

const SHA = /^[0-9a-f]{40,64}$/;

function sha(value: unknown, what: string): string {
  if (typeof value !== "string" || !SHA.test(value)) throw new Error(`the event payload has no valid ${what}`);
  return value;
}

function pullRef(raw: RawPull | undefined): PullRequestRef {
  if (raw === undefined || typeof raw.number !== "number") throw new Error("the event payload has no pull_request");
  const baseRepo = raw.base?.repo?.full_name;
  const headRepo = raw.head?.repo?.full_name;
  return {
    number: raw.number,
    baseSha: sha(raw.base?.sha, "pull_request.base.sha"),
    headSha: sha(raw.head?.sha, "pull_request.head.sha"),
    headRef: typeof raw.head?.ref === "string" ? raw.head.ref : "",
    baseRef: typeof raw.base?.ref === "string" ? raw.base.ref : undefined,
    author: typeof raw.user?.login === "string" ? raw.user.login : "",
    // A deleted fork has head.repo null: treat it as a fork (read-only token).
    fork: typeof headRepo !== "string" || headRepo.toLowerCase() !== String(baseRepo).toLowerCase(),
  };
}

/** `gh-readonly-queue/main/pr-123-<sha>` → 123. */
export function prNumberFromQueueRef(ref: string): number | undefined {
  const m = /\/pr-(\d+)-[0-9a-f]+$/.exec(ref);
  return m ? Number(m[1]) : undefined;
}

/** Reads the payload and decides what to do. */
export async function planRun(eventName: string, eventPath: string | undefined, githubSha: string | undefined): Promise<RunPlan> {
  const payload = eventPath ? (JSON.parse(await readFile(eventPath, "utf8")) as Record<string, unknown>) : {};
  const action = typeof payload["action"] === "string" ? payload["action"] : "";
  switch (eventName) {
    case "pull_request":
      return { kind: "pull_request", pr: pullRef(payload["pull_request"] as RawPull | undefined), action };
    case "pull_request_review":
      return { kind: "pull_request_review", pr: pullRef(payload["pull_request"] as RawPull | undefined), action };
    case "merge_group": {
      const group = payload["merge_group"] as { head_sha?: unknown; base_sha?: unknown; head_ref?: unknown } | undefined;
      return {
        kind: "merge_group",
        headSha: sha(group?.head_sha, "merge_group.head_sha"),
        baseSha: sha(group?.base_sha, "merge_group.base_sha"),
        prNumber: typeof group?.head_ref === "string" ? prNumberFromQueueRef(group.head_ref) : undefined,
      };
    }
    case "schedule":
    case "workflow_dispatch":
      return { kind: "regression", sha: sha(githubSha, "GITHUB_SHA"), trigger: eventName };
    case "workflow_run": {
      const run = payload["workflow_run"] as
        { id?: unknown; event?: unknown; html_url?: unknown; head_sha?: unknown; head_repository?: { full_name?: unknown } | null; repository?: { full_name?: unknown } | null } | undefined;
      const headRepo = run?.head_repository?.full_name,
        baseRepo = run?.repository?.full_name;
      if (run?.event !== "pull_request" || typeof headRepo !== "string" || typeof baseRepo !== "string" || headRepo.toLowerCase() === baseRepo.toLowerCase()) {
        throw new ActionInputError(
          "on workflow_run, replay-gate only posts the result of a fork pull request's gate run; add `if: github.event.workflow_run.event == 'pull_request' && github.event.workflow_run.head_repository.full_name != github.repository` to the job (docs/workflows/fork-commenter.yml)",
        );
      }
      if (typeof run.id !== "number" || typeof run.html_url !== "string") throw new Error("the event payload has no valid workflow_run.id");
      return { kind: "fork_comment", runId: run.id, runUrl: run.html_url, headSha: sha(run.head_sha, "workflow_run.head_sha"), headRepo };
    }
    case "pull_request_target":
      throw new ActionInputError(
        "replay-gate does not run on pull_request_target (a write token next to a pull request's files); trigger it on pull_request, and for fork pull requests add the workflow_run commenter (docs/action.md)",
      );
    default:
      throw new ActionInputError(`replay-gate runs on pull_request, pull_request_review, merge_group, schedule, workflow_dispatch and (fork commenter) workflow_run; this run is "${eventName}"`);
  }
}
