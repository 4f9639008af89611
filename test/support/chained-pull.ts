/**
 * A pull request on a repository whose Prometheus rule files are chained into an Alertmanager
 * configuration (`prometheus_rules.alertmanager`), run in-process against the API emulator: the
 * approval tests open it, push heads, move its base and read the one comment the Action keeps.
 */
import { execFileSync } from "node:child_process";
import { cp } from "node:fs/promises";
import path from "node:path";
import { expect } from "vitest";
import { createRepo, pullRequestPayload, runActionInProcess, unexpectedStderr, type ActionRun, type TestRepo } from "./action-harness.js";
import { ROOT } from "./cli.js";
import { startGitHubEmulator, TOKEN_PRESETS, type GitHubEmulator } from "./github-emulator/index.js";
import { ALERTMANAGER, CHAIN_CONFIG, DNS_RULES } from "./rules-chain.js";

export const CHAINED_AM_PATH = "alertmanager/alertmanager.yml";

/** The chained rules config, with one approval from carol for any rule or Alertmanager change. */
export const CHAINED_APPROVALS_CONFIG = `${CHAIN_CONFIG}approvals:
  - paths: [rules/*.yaml, alertmanager/*.yml]
    required: 1
    from: [user:carol]
`;

/** The open pull request and what the tests do with it. */
export interface ChainedPull {
  readonly emu: GitHubEmulator;
  readonly repo: TestRepo;
  /** The pull request's base commit (moved by {@link ChainedPull.moveBase}). */
  readonly base: () => string;
  /** The heads pushed so far, the first one opened. */
  readonly heads: string[];
  /** Points the pull request at `head` and runs the Action on the event. */
  runOn(head: string, action: "opened" | "synchronize" | "edited"): Promise<ActionRun>;
  /** Commits `files` on top of the base branch and makes that the pull request's base; returns it. */
  moveBase(files: Readonly<Record<string, string | null>>, message: string): Promise<string>;
  /** The Action's one comment on the pull request. */
  comment(): string;
  close(): Promise<void>;
}

/**
 * Opens pull request `number` whose first head edits the rule file's bytes and nothing it fires or
 * pages; carol has write permission. `config` is the gate config at the base commit.
 */
export async function openChainedPull(options: { owner: string; repo: string; token: string; number: number; config?: string }): Promise<ChainedPull> {
  const emu = await startGitHubEmulator({ owner: options.owner, repo: options.repo });
  emu.addToken(options.token, TOKEN_PRESETS.withOrgRead);
  emu.setPermission("carol", "write");
  const repo = await createRepo(
    { ".github/replay-gate.yml": options.config ?? CHAINED_APPROVALS_CONFIG, "rules/dns.yaml": DNS_RULES("0.1"), [CHAINED_AM_PATH]: ALERTMANAGER("dns-pager") },
    [],
  );
  await cp(path.join(ROOT, "policies/prometheus/windows/wrccdc-dns"), path.join(repo.dir, "windows/wrccdc-dns"), { recursive: true });
  let base = await repo.commit({}, "the recorded DNS window");
  /** The files GitHub lists for the pull request at `head`. */
  const changedFiles = (head: string) =>
    execFileSync("git", ["diff", "--name-only", `${base}...${head}`], { cwd: repo.dir, encoding: "utf8" })
      .split("\n")
      .filter((f) => f !== "")
      .map((filename) => ({ filename }));
  const heads = [await repo.commit({ "rules/dns.yaml": `${DNS_RULES("0.1")}# reviewed by the DNS team\n` })];
  emu.addPull({ number: options.number, author: "dev", head: { sha: heads[0]! }, base: { sha: base }, files: changedFiles(heads[0]!) });
  return {
    emu,
    repo,
    base: () => base,
    heads,
    async runOn(head, action) {
      emu.pushToPull(options.number, head, changedFiles(head));
      const payload = { action, ...pullRequestPayload({ owner: options.owner, repo: options.repo, number: options.number, author: "dev", base, head }) };
      repo.checkout(head);
      const result = await runActionInProcess({ emu, repo, token: options.token, eventName: "pull_request", payload });
      expect(unexpectedStderr(result.stderr)).toBe("");
      expect(emu.violations).toEqual([]);
      return result;
    },
    async moveBase(files, message) {
      repo.checkout(base);
      base = await repo.commit(files, message);
      return base;
    },
    comment() {
      const all = emu.comments(options.owner, options.repo, options.number);
      expect(all).toHaveLength(1);
      return all[0]!.body;
    },
    async close() {
      await emu.close();
      await repo.remove();
    },
  };
}
