import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { DefaultArtifactClient } from "@actions/artifact";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitHubEmulator, TOKEN_PRESETS, type GitHubEmulator } from "../support/github-emulator/index.js";
import { backendIds, restClient, sha, twirp, uploadRaw, withEnv } from "./clients.js";

const OWNER = "acme";
const REPO = "netops";
const FILES: Record<string, string> = {
  "report.json": JSON.stringify({ schema: "replay-gate/report@1", verdict: "pass" }, null, 2),
  "decision-log.jsonl": '{"seq":1,"verdict":"pass"}\n',
  "windows/2026-02-26-pop12-routing/trace.txt": "alert 1 -> incident A\n".repeat(200),
};

let emu: GitHubEmulator;
let workspace: string;

beforeAll(async () => {
  emu = await startGitHubEmulator({ owner: OWNER, repo: REPO });
  emu.addToken("ghs_writer", TOKEN_PRESETS.sameRepoPullRequest);
  workspace = await mkdtemp(path.join(tmpdir(), "rg-emulator-artifacts-"));
  for (const [name, content] of Object.entries(FILES)) {
    await mkdir(path.dirname(path.join(workspace, "out", name)), { recursive: true });
    await writeFile(path.join(workspace, "out", name), content);
  }
});

afterAll(async () => {
  await emu.close();
  await rm(workspace, { recursive: true, force: true });
});

/** The toolkit reads its configuration from the environment, as in a real job. */
function actionsEnv(runId: number): Record<string, string | undefined> {
  return {
    ...emu.actionsEnv("ghs_writer", { runId, headSha: sha("a"), headBranch: "feature" }),
    GITHUB_WORKSPACE: workspace,
    // Anything but github.com makes @actions/artifact assume GHES and refuse.
    GITHUB_SERVER_URL: undefined,
    ACTIONS_ARTIFACT_UPLOAD_CONCURRENCY: "2",
  };
}

describe("artifact upload through the results service", () => {
  it("uploads with DefaultArtifactClient, finalizes with a checked sha256, and reads back", async () => {
    const root = path.join(workspace, "out");
    const result = await withEnv(actionsEnv(777), () => new DefaultArtifactClient().uploadArtifact("replay-gate", Object.keys(FILES).map((f) => path.join(root, f)), root));

    const [artifact] = emu.artifacts();
    expect(artifact).toMatchObject({ name: "replay-gate", runId: 777, finalized: true, id: result.id, size: result.size });
    expect(artifact?.digest).toBe(`sha256:${result.digest}`);
    expect(artifact?.digest).toBe(`sha256:${createHash("sha256").update(artifact?.content ?? Buffer.alloc(0)).digest("hex")}`);
    const files = artifact?.files() ?? new Map<string, Buffer>();
    expect(Object.fromEntries([...files].map(([name, bytes]) => [name, bytes.toString("utf8")]))).toEqual(FILES);

    // The toolkit streams through BlockBlobClient.uploadStream: staged blocks, then a block list.
    expect(emu.requests.map((r) => r.operation)).toEqual(["CreateArtifact", "StageBlock", "CommitBlockList", "FinalizeArtifact"]);
    expect(emu.violations).toEqual([]);
  });

  it("agrees with the system unzip on the uploaded archive", async (context) => {
    if (!existsSync("/usr/bin/unzip")) context.skip();
    const zipPath = path.join(workspace, "uploaded.zip");
    await writeFile(zipPath, emu.artifacts()[0]?.content ?? Buffer.alloc(0));
    expect(execFileSync("unzip", ["-p", zipPath, "report.json"]).toString("utf8")).toBe(FILES["report.json"]);
  });

  it("lists and downloads it again with the toolkit and through REST", async () => {
    const id = emu.artifacts()[0]?.id ?? 0;
    const downloadDir = path.join(workspace, "download");
    await withEnv(actionsEnv(777), async () => {
      const client = new DefaultArtifactClient();
      const listed = await client.listArtifacts();
      expect(listed.artifacts.map((a) => [a.name, a.id])).toEqual([["replay-gate", id]]);
      await client.downloadArtifact(id, { path: downloadDir });
    });
    expect(await readFile(path.join(downloadDir, "decision-log.jsonl"), "utf8")).toBe(FILES["decision-log.jsonl"]);

    const octokit = restClient(emu, "ghs_writer");
    const rest = await octokit.rest.actions.listWorkflowRunArtifacts({ owner: OWNER, repo: REPO, run_id: 777, name: "replay-gate" });
    expect(rest.data.artifacts.map((a) => [a.id, a.digest, a.workflow_run?.head_sha])).toEqual([[id, emu.artifacts()[0]?.digest, sha("a")]]);
    expect(emu.violations).toEqual([]);
  });

  it("refuses a finalize whose sha256 does not match the stored bytes, and records it", async () => {
    const token = emu.runtimeToken({ runId: 778 });
    emu.clearLog();
    const answer = await uploadRaw(emu, token, "tampered", Buffer.from("zip bytes"), { hash: `sha256:${"0".repeat(64)}` });
    expect(answer).toMatchObject({ status: 400, body: { code: "invalid_argument", msg: expect.stringMatching(/declared hash sha256:0{64} does not match/) } });
    expect(emu.artifacts().find((a) => a.name === "tampered")?.finalized).toBe(false);
    expect(emu.violations).toMatchObject([{ kind: "integrity", operation: "FinalizeArtifact" }]);
  });

  it("refuses a finalize whose size does not match the stored bytes", async () => {
    const token = emu.runtimeToken({ runId: 779 });
    emu.clearLog();
    const answer = await uploadRaw(emu, token, "short", Buffer.from("12345"), { size: 4 });
    expect(answer.body["msg"]).toBe("declared size 4 does not match the uploaded 5 bytes");
    expect(emu.violations.map((v) => v.kind)).toEqual(["integrity"]);
  });

  it("rejects a runtime token it did not sign, and one scoped to another run", async () => {
    const token = emu.runtimeToken({ runId: 780 });
    const [header, payload] = token.split(".");
    const forged = `${header}.${payload}.${"A".repeat(43)}`;
    const ids = backendIds(token);
    const unsigned = await twirp(emu, forged, "CreateArtifact", { ...ids, name: "x", version: 7 });
    expect(unsigned).toMatchObject({ status: 401, body: { code: "unauthenticated", msg: "token signature is invalid" } });
    const otherRun = backendIds(emu.runtimeToken({ runId: 781 }));
    const crossed = await twirp(emu, token, "CreateArtifact", { ...otherRun, name: "x", version: 7 });
    expect(crossed).toMatchObject({ status: 403, body: { code: "permission_denied" } });
  });
});
