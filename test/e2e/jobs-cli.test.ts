/**
 * `--jobs` on the built CLI (dist/cli.js with dist/replay-worker.js): replay and diff print the
 * same bytes with one worker and with several, a bad window exits 2 with the same messages, and
 * a bad `--jobs` is a usage error.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT, runCli } from "../support/cli.js";

const tmp = mkdtempSync(join(tmpdir(), "rg-jobs-cli-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const DIFF = ["diff", "--base", "policies/versions/edge-gw-2.14.2.yaml", "--head", "policies/edge-gw.yaml", "--no-cache"];

describe("--jobs", () => {
  it("prints the same diff JSON and Markdown with one worker and with two", () => {
    for (const format of ["json", "markdown"]) {
      const one = runCli([...DIFF, "--windows", "policies/windows/*", "--format", format, "--jobs", "1"]);
      const two = runCli([...DIFF, "--windows", "policies/windows/*", "--format", format, "--jobs", "2"]);
      expect(one.code).toBe(1);
      expect(two.code).toBe(one.code);
      expect(two.stdout).toBe(one.stdout);
    }
  });

  it("prints the same replay report with one worker and with two", () => {
    const args = ["replay", "--policy", "policies/edge-gw.yaml", "--window", "policies/windows/*", "--format", "json", "--no-cache"];
    const one = runCli([...args, "--jobs", "1"]);
    const two = runCli([...args, "--jobs", "2"]);
    expect(JSON.parse(one.stdout).windows.length).toBeGreaterThan(1);
    expect(two.code).toBe(one.code);
    expect(two.stdout).toBe(one.stdout);
  });

  it("exits 2 with the same located error under two workers when a window's events were altered", () => {
    const lib = join(tmp, "windows");
    cpSync(join(ROOT, "policies/windows"), lib, { recursive: true });
    const events = join(lib, "2026-02-26-pop12-routing", "events.ndjson.gz");
    const bytes = readFileSync(events);
    bytes[bytes.length - 12]! ^= 0xff;
    writeFileSync(events, bytes);
    const one = runCli([...DIFF, "--windows", join(lib, "*"), "--jobs", "1"]);
    const two = runCli([...DIFF, "--windows", join(lib, "*"), "--jobs", "2"]);
    expect(one.code).toBe(2);
    expect(two.code).toBe(2);
    expect(two.stdout).toBe("");
    expect(two.stderr).toBe(one.stderr);
    expect(two.stderr).toMatch(/events\.sha256: the events file hashes to/);
  });

  it("refuses a --jobs that is not a whole number from 1 to 64", () => {
    for (const bad of ["0", "1.5", "two", "65"]) {
      const r = runCli([...DIFF, "--windows", "policies/windows/*", "--jobs", bad]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--jobs takes a whole number of workers from 1 to 64/);
    }
  });
});
