/**
 * End to end, as the runner runs it: the built bundle against the GitHub emulator, in a real git
 * repository. Pull requests that pass outright, wait for approvals, and turn green on a review.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitHubEmulator, TOKEN_PRESETS, type GitHubEmulator } from "../support/github-emulator/index.js";
import { node24OrSkip } from "../support/cli.js";
import { bundled, createRepo, POLICY_PATH, pullRequestPayload, runAction, unexpectedStderr, type TestRepo } from "../support/action-harness.js";

const OWNER = "acme";
const REPO = "netops";
const TOKEN = "ghs_pass";

let emu: GitHubEmulator;
let repo: TestRepo;
let policy: string;

beforeAll(async () => {
  emu = await startGitHubEmulator({ owner: OWNER, repo: REPO });
  emu.addToken(TOKEN, TOKEN_PRESETS.withOrgRead);
  repo = await createRepo();
  policy = await bundled(POLICY_PATH);
});

afterAll(async () => {
  await emu?.close();
  await repo?.remove();
});

describe("a pull request with no approval rules", () => {
  it("passes: status success on the head commit, one sticky comment, outputs and an artifact", async () => {
    const head = await repo.commit({ [POLICY_PATH]: policy.replace("# edge-gw correlation policy — the current version.", "# edge-gw correlation policy — reworded comment.") });
    emu.addPull({ number: 1, author: "dev", head: { sha: head }, base: { sha: repo.base }, files: repo.changedFiles(head).map((filename) => ({ filename })) });
    const run = await runAction({ emu, repo, token: TOKEN, eventName: "pull_request", payload: { action: "opened", ...pullRequestPayload({ owner: OWNER, repo: REPO, number: 1, author: "dev", base: repo.base, head }) } });
    expect(unexpectedStderr(run.stderr)).toBe("");
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs["verdict"]).toBe("pass");
    expect(emu.statuses(head).map((s) => s.state)).toEqual(["pending", "success"]);
    const comments = emu.comments(OWNER, REPO, 1);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain("## replay-gate: ✅ pass");
    const [artifact] = emu.artifacts();
    expect(artifact?.name).toMatch(/^replay-gate-\d+-1$/);
    const names = [...artifact!.files().keys()].sort();
    expect(names.filter((n) => !n.startsWith("evidence/"))).toEqual(["comment.md", "decision-log.jsonl", "evidence.tar.gz", "report.html", "report.json", "run.json"]);
    // The evidence bundle: per window the manifest and, per policy side, audit record, incidents, trace and signatures.
    expect(names).toContain("evidence/MANIFEST.json");
    expect(names).toContain("evidence/report.json");
    expect(names.some((n) => /^evidence\/windows\/[^/]+\/edge-gw\/head\/audit\.json$/.test(n))).toBe(true);
    expect(artifact?.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    // The evidence digest recomputed from git equals the one the report builder computed.
    const report = JSON.parse(artifact!.files().get("report.json")!.toString("utf8")) as { inputs: { evidence_digest: string }; gate: { verdict: string } };
    expect(run.outputs["evidence-digest"]).toBe(report.inputs.evidence_digest);
    expect(report.gate.verdict).toBe("pass");
    expect(emu.violations).toEqual([]);
  });

  it("runs the same on Node 24, the runtime action.yml names", async (ctx) => {
    const node = node24OrSkip(ctx);
    repo.checkout(repo.base);
    const head = await repo.commit({ [POLICY_PATH]: policy.replace("# edge-gw correlation policy — the current version.", "# edge-gw correlation policy — on Node 24.") });
    emu.addPull({ number: 3, author: "dev", head: { sha: head }, base: { sha: repo.base }, files: repo.changedFiles(head).map((filename) => ({ filename })) });
    const run = await runAction({ emu, repo, token: TOKEN, node, eventName: "pull_request", payload: { action: "opened", ...pullRequestPayload({ owner: OWNER, repo: REPO, number: 3, author: "dev", base: repo.base, head }) } });
    expect(unexpectedStderr(run.stderr)).toBe("");
    expect(run.outputs["verdict"]).toBe("pass");
    expect(emu.statuses(head).map((s) => s.state)).toEqual(["pending", "success"]);
    expect(emu.comments(OWNER, REPO, 3)[0]?.body).toContain("## replay-gate: ✅ pass");
    expect(emu.violations).toEqual([]);
  });
});
