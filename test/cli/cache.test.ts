/** The window cache on the command line: where it goes, how it is turned off, and that it never changes what a command prints. */
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { cacheDirFrom } from "../../src/cli/cache.js";
import type { CliIo } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";
import { DEFAULT_CACHE_DIR } from "../../src/io/window-cache.js";

const ROOT = resolve(import.meta.dirname, "..", "..");

function io(env: Record<string, string> = {}, cwd = "/work/repo"): CliIo & { out: () => string; err: () => string } {
  let out = "",
    err = "";
  return { stdout: (t) => (out += t), stderr: (t) => (err += t), stderrIsTTY: false, stdoutIsTTY: false, env, cwd, out: () => out, err: () => err };
}

describe("cacheDirFrom", () => {
  it("defaults to .replay-gate/cache under the working directory", () => {
    expect(cacheDirFrom("diff", {}, io(), "u")).toBe(join("/work/repo", DEFAULT_CACHE_DIR));
  });

  it("takes --cache relative to the working directory, over REPLAY_GATE_CACHE", () => {
    expect(cacheDirFrom("diff", { cache: "c" }, io({ REPLAY_GATE_CACHE: "/elsewhere" }), "u")).toBe("/work/repo/c");
  });

  it("takes REPLAY_GATE_CACHE as a directory, or off", () => {
    expect(cacheDirFrom("diff", {}, io({ REPLAY_GATE_CACHE: "/var/rg" }), "u")).toBe("/var/rg");
    expect(cacheDirFrom("diff", {}, io({ REPLAY_GATE_CACHE: "off" }), "u")).toBeUndefined();
  });

  it("turns the cache off with --no-cache and refuses it together with --cache", () => {
    expect(cacheDirFrom("diff", { "no-cache": true }, io(), "u")).toBeUndefined();
    expect(() => cacheDirFrom("diff", { cache: "c", "no-cache": true }, io(), "u")).toThrow(/contradict/);
  });
});

describe("diff and replay with the cache", () => {
  const windows = ["--windows", "policies/windows/2026-02-26-pop12-routing", "--windows", "policies/windows/2026-03-04-pop7-dns-latency"];
  const diffArgs = ["diff", "--base", "policies/versions/edge-gw-2.14.2.yaml", "--head", "policies/edge-gw.yaml", ...windows, "--format", "json"];

  it("prints the same diff report with --no-cache, while building the cache and when reading it", async () => {
    const cache = mkdtempSync(join(tmpdir(), "rg-cli-cache-"));
    const runs = [];
    for (const flags of [["--no-cache"], ["--cache", cache], ["--cache", cache]]) {
      const run = io({}, ROOT);
      const code = await main([...diffArgs, ...flags], run);
      runs.push({ code, out: run.out() });
    }
    expect(readdirSync(cache)).toHaveLength(2);
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[2]).toEqual(runs[0]);
  });

  it("writes no cache with --no-cache", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "rg-cli-nocache-"));
    const run = io({}, cwd);
    const code = await main(["replay", "--policy", join(ROOT, "policies/edge-gw.yaml"), "--window", join(ROOT, "policies/windows/2026-02-26-pop12-routing"), "--no-cache", "--format", "json"], run);
    expect(code).toBe(0);
    expect(existsSync(join(cwd, ".replay-gate"))).toBe(false);
  });

  it("exits 2 when --cache and --no-cache are both given", async () => {
    const run = io({}, ROOT);
    expect(await main([...diffArgs, "--cache", "x", "--no-cache"], run)).toBe(2);
    expect(run.err()).toMatch(/--cache and --no-cache contradict/);
  });
});
