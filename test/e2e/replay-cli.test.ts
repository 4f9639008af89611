/**
 * `replay`, `explain` and `verify` on the bundled example library: golden output and exit codes
 * in-process; the built bundle, as a user runs it, for determinism across time zones, locales,
 * repeated runs and Node versions (20 and the Actions runtime, 24), from one shared set of runs.
 */
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { node24OrSkip, runCli, runCliInProcess, ROOT } from "../support/cli.js";
import { expectGolden } from "../support/golden.js";

const GOLDEN = join(ROOT, "test", "e2e", "golden", "replay");
const replayArgs = ["replay", "--policy", "policies/edge-gw.yaml", "--window", "policies/windows/2026-*"];

const golden = (name: string, actual: string): void => expectGolden(join(GOLDEN, name), actual);

/** The time zones and locales the built CLI runs under; the first is the reference. */
const ENVS: Record<string, string>[] = [
  { TZ: "UTC", LC_ALL: "C" },
  { TZ: "Pacific/Chatham", LC_ALL: "de_DE.UTF-8", LANG: "de_DE.UTF-8" },
  { TZ: "America/St_Johns", LC_ALL: "ar_EG.UTF-8" },
  { TZ: "Asia/Kolkata", LC_ALL: "C.UTF-8" },
];
/** `replay --format json --trace` by the built bundle under each of ENVS, run once for every test below. */
let traced: string[] = [];
beforeAll(() => {
  traced = ENVS.map((env) => {
    const r = runCli([...replayArgs, "--format", "json", "--trace"], { env });
    expect(r.code, r.stderr).toBe(0);
    return r.stdout;
  });
});

describe("replay-gate replay on the bundled library", () => {
  it("prints the golden JSON report and exits 0 when expectations hold", async () => {
    const r = await runCliInProcess([...replayArgs, "--format", "json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    golden("edge-gw-2.14.3.replay.json", r.stdout);
    const report = JSON.parse(r.stdout);
    const pop12 = report.windows.find((w: { window: { id: string } }) => w.window.id === "2026-02-26-pop12-routing");
    expect(pop12.collapse).toBe("140 → 1");
  });

  it("prints the golden text report without colour when stdout is not a terminal", async () => {
    const r = await runCliInProcess(replayArgs);
    expect(r.stdout).not.toContain("\u001b[");
    golden("edge-gw-2.14.3.replay.txt", r.stdout);
  });

  it("exits 1 and says which expectation failed under the older policy (the built bundle's exit code)", () => {
    const r = runCli(["replay", "--policy", "policies/versions/edge-gw-2.14.2.yaml", "--window", "policies/windows/2026-02-26-pop12-routing"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("✗ incidents: expected 1, got 4");
  });

  it("is byte-identical across time zones, locales and repeated runs (the built bundle)", async () => {
    expect(traced[0]!.length).toBeGreaterThan(10_000);
    for (const out of traced.slice(1)) expect(out).toBe(traced[0]);
    // In-process, in this test's own time zone and locale, the same bytes again.
    expect((await runCliInProcess([...replayArgs, "--format", "json", "--trace"])).stdout).toBe(traced[0]);
  });

  it("is byte-identical on Node 24, the Actions runtime", (ctx) => {
    const node = node24OrSkip(ctx);
    const on24 = runCli([...replayArgs, "--format", "json", "--trace"], { node, env: ENVS[0]! });
    expect(on24.code).toBe(0);
    expect(on24.stdout).toBe(traced[0]);
  });

  it("explains the first incident as a snapshot of the engine", async () => {
    const r = await runCliInProcess(["explain", "--policy", "policies/edge-gw.yaml", "--window", "policies/windows/2026-02-26-pop12-routing", "--at", "first-incident", "--format", "json"]);
    expect(r.code).toBe(0);
    const snap = JSON.parse(r.stdout);
    expect(snap.step.label).toBe("incident.open");
    expect(snap.incidents).toHaveLength(1);
    // Both flapping peers of POP-12 link first; the DNS surge joins later.
    expect(snap.incidents[0].rules).toEqual(["bgp-flap"]);
    expect(snap.open_groups.map((g: { fingerprint: string }) => g.fingerprint)).toEqual(["bgp-flap/POP-12/198.51.100.1", "bgp-flap/POP-12/198.51.100.2"]);
  });

  it("explains at a time: the state after the last step at or before it", async () => {
    const r = await runCliInProcess(["explain", "--policy", "policies/edge-gw.yaml", "--window", "policies/windows/2026-02-26-pop12-routing", "--at", "2026-02-26T10:12:36Z", "--format", "json"]);
    expect(r.code).toBe(0);
    const snap = JSON.parse(r.stdout);
    expect(snap.at_ms).toBeLessThanOrEqual(Date.parse("2026-02-26T10:12:36Z"));
    expect(snap.counts.alerts).toBeGreaterThan(0);
    expect(snap.incidents).toHaveLength(0);
  });

  it("verifies pins and exits 2 with one line per problem on a bad window", async () => {
    expect((await runCliInProcess(["verify", "policies/windows/2026-03-18-pop12-quiet"])).code).toBe(0);
    const r = await runCliInProcess(["verify", "no/such/window"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("error: no/such/window: no such window directory\n");
  });

  it("exits 2 with usage on a bad flag", async () => {
    const r = await runCliInProcess(["replay", "--polcy", "x"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("usage: replay-gate replay --policy");
  });
});

describe("the replay JSON report's schema", () => {
  it("holds for the golden report with its trace, and schema/replay.schema.json is fresh", async () => {
    const { replayReportSchema } = await import("../../src/core/report/replay-schema.js");
    const { z } = await import("zod");
    expect(replayReportSchema.safeParse(JSON.parse(traced[0]!)).error).toBeUndefined();
    const exported = JSON.stringify(z.toJSONSchema(replayReportSchema, { target: "draft-2020-12" }), null, 2) + "\n";
    expectGolden(join(ROOT, "schema", "replay.schema.json"), exported);
  });
});
