/**
 * dist/index.js is what the runner executes: one ESM file that must start without node_modules,
 * on the Node that runs the tests (20 or 24), and report a bad input by name.
 */
import { execFile } from "node:child_process";
import { copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTION_BUNDLE } from "../support/action-harness.js";
import { node24OrSkip } from "../support/cli.js";

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "rg-bundle-"));
  await copyFile(ACTION_BUNDLE, path.join(dir, "index.js"));
  await writeFile(path.join(dir, "output"), "");
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function runBundle(env: Record<string, string>, node: string = process.execPath): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(node, [path.join(dir, "index.js")], { cwd: dir, env: { PATH: process.env["PATH"] ?? "", GITHUB_OUTPUT: path.join(dir, "output"), ...env } }, (error, stdout) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout });
    });
  });
}

describe("the bundled action", () => {
  it("starts from a directory without node_modules and names a bad input and its allowed values", async () => {
    const result = await runBundle({ "INPUT_GITHUB-TOKEN": "t", INPUT_COMMENT: "loud", GITHUB_REPOSITORY: "acme/netops", GITHUB_EVENT_NAME: "pull_request" });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('::error::Input "comment" is "loud"; allowed values: update, new, hide-and-new, delete-and-new, off');
  });

  it("refuses pull_request_target with the reason and the alternative", async () => {
    const result = await runBundle({ "INPUT_GITHUB-TOKEN": "t", GITHUB_REPOSITORY: "acme/netops", GITHUB_EVENT_NAME: "pull_request_target" });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("does not run on pull_request_target");
  });

  it("starts on Node 24, the runtime action.yml names", async (ctx) => {
    const node = node24OrSkip(ctx);
    const result = await runBundle({ "INPUT_GITHUB-TOKEN": "t", "INPUT_FAIL-ON": "maybe", GITHUB_REPOSITORY: "acme/netops", GITHUB_EVENT_NAME: "pull_request" }, node);
    expect(result.stdout).toContain('::error::Input "fail-on" is "maybe"; allowed values: fail, pending, never');
  });
});
