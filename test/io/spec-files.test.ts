/** The one spec-to-files resolver at a git commit, as `diff --base <ref>` and the Action's evidence digest use it. */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { specPathsAtCommit } from "../../src/io/spec-files.js";

const git = (cwd: string, ...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", ...args], { cwd, encoding: "utf8" });

describe("specPathsAtCommit", () => {
  let repo: string, first: string;
  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), "rg-spec-files-"));
    git(repo, "init", "-q", "-b", "main");
    const files: Record<string, string> = {
      "policies/edge-gw.yaml": "a",
      "policies/edge-fw.yml": "b",
      "policies/README.md": "c",
      "policies/versions/edge-gw-2.14.2.yaml": "d",
      "policies/windows/w1/window.yaml": "e",
      "policies/windows/w2/window.yaml": "f",
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(repo, path, ".."), { recursive: true });
      writeFileSync(join(repo, path), text);
    }
    git(repo, "add", ".");
    git(repo, "commit", "-q", "-m", "first");
    first = git(repo, "rev-parse", "HEAD").trim();
    // Later commits and the working tree do not change what the first commit holds.
    writeFileSync(join(repo, "policies/edge-new.yaml"), "g");
    git(repo, "add", ".");
    git(repo, "commit", "-q", "-m", "second");
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it("reads a last-segment glob against the commit's tree, with * and ?", async () => {
    expect(await specPathsAtCommit(first, "policies/*.yaml", repo, "policies")).toEqual({ paths: ["policies/edge-gw.yaml"], form: "glob" });
    expect(await specPathsAtCommit(first, "policies/edge-?w.y*", repo, "policies")).toEqual({ paths: ["policies/edge-fw.yml", "policies/edge-gw.yaml"], form: "glob" });
  });

  it("names a directory's .yaml and .yml files for policies, and nothing else", async () => {
    expect(await specPathsAtCommit(first, "policies", repo, "policies")).toEqual({ paths: ["policies/edge-fw.yml", "policies/edge-gw.yaml"], form: "directory" });
  });

  it("names window directories: a glob's matches, a window itself, or a directory's entries", async () => {
    expect((await specPathsAtCommit(first, "policies/windows/*", repo, "windows")).paths).toEqual(["policies/windows/w1", "policies/windows/w2"]);
    expect((await specPathsAtCommit(first, "policies/windows/w1", repo, "windows")).paths).toEqual(["policies/windows/w1"]);
    expect((await specPathsAtCommit(first, "policies/windows", repo, "windows")).paths).toEqual(["policies/windows/w1", "policies/windows/w2"]);
  });

  it("names nothing for a glob in a directory the commit lacks, and a plain path as itself", async () => {
    expect(await specPathsAtCommit(first, "rules/*.yaml", repo, "policies")).toEqual({ paths: [], form: "glob" });
    expect(await specPathsAtCommit(first, "policies/missing.yaml", repo, "policies")).toEqual({ paths: ["policies/missing.yaml"], form: "path" });
  });
});
