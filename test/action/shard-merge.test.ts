/**
 * The sharded run's merge job, in-process (src/action/shard.ts over the pure src/core/shards/merge.ts)
 * with a typed fake of the artifact client: every shard present merges into the report one replay
 * of all windows gives; a missing shard, a failed one, and a forged or foreign partial report fail
 * closed — the merge never returns a report built on evidence it did not see.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ArtifactClient } from "@actions/artifact";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { mergeShards, shardWindows, ShardsIncompleteError, type ShardArtifactClient } from "../../src/action/shard.js";
import { shardArtifactName } from "../../src/action/artifacts.js";
import { DEFAULT_CONFIG, type ReplayGateConfig } from "../../src/core/config.js";
import { InputError } from "../../src/core/errors.js";
import { stableJson } from "../../src/core/report/json.js";
import type { Report } from "../../src/core/report/report-schema.js";
import { runDiff } from "../../src/io/diff-run.js";
import { EXAMPLE_WINDOWS, POLICY_PATH } from "../support/action-harness.js";

// Keep the runner's log quiet: the merge logs through @actions/core.
vi.spyOn(process.stdout, "write").mockImplementation(() => true);

const ROOT = path.resolve(import.meta.dirname, "../..");
const RUN_ID = "4242";
const CONFIG_SHA = "c".repeat(64);
const OTHER_CONFIG_SHA = "d".repeat(64);
const OLDER_POLICY = "policies/versions/edge-gw-2.14.2.yaml";
const CONFIG: ReplayGateConfig = { ...DEFAULT_CONFIG, policies: [POLICY_PATH], windows: EXAMPLE_WINDOWS.map((w) => `policies/windows/${w}`) };

/** One artifact as the fake holds it: its name and files. */
interface FakeArtifact {
  readonly name: string;
  readonly files: Readonly<Record<string, string>>;
}

/** A typed fake of the two artifact calls the merge makes; `downloaded` lists the names fetched, in order. */
function fakeArtifacts(stored: readonly FakeArtifact[]): ShardArtifactClient & { downloaded: string[] } {
  const byId = new Map(stored.map((a, i) => [i + 1, a]));
  const downloaded: string[] = [];
  const listArtifacts: ArtifactClient["listArtifacts"] = async () => ({ artifacts: [...byId].map(([id, a]) => ({ id, name: a.name, size: 1, createdAt: new Date("2026-03-01T00:00:00Z"), digest: `sha256:${"0".repeat(64)}` })) });
  const downloadArtifact: ArtifactClient["downloadArtifact"] = async (id, options) => {
    const artifact = byId.get(id);
    if (artifact === undefined || options?.path === undefined) throw new Error(`fake: no artifact ${id} or no path`);
    downloaded.push(artifact.name);
    for (const [file, text] of Object.entries(artifact.files)) {
      await mkdir(path.dirname(path.join(options.path, file)), { recursive: true });
      await writeFile(path.join(options.path, file), text);
    }
    return { downloadPath: options.path };
  };
  return { listArtifacts, downloadArtifact, downloaded };
}

/** A replay as a shard job makes it: its share of the windows, base → head, under the config with this sha256. */
async function replay(base: string, windows: readonly string[], configSha = CONFIG_SHA): Promise<Report> {
  return runDiff({ base: [base], head: [POLICY_PATH], windows, thresholds: CONFIG.thresholds, config: { file: ".github/replay-gate.yml", sha256: configSha }, cwd: ROOT, warn: () => {} });
}

const shardWindowsOf = async (index: number, total: number) => (await shardWindows(CONFIG, ROOT, { index, total })).map((dir) => path.relative(ROOT, dir));
const artifact = (index: number, total: number, report: Report | string, attempt = 1): FakeArtifact => ({
  name: shardArtifactName(index, total, RUN_ID, String(attempt)),
  files: { "report.json": typeof report === "string" ? report : stableJson(report) },
});

let runTemp: string;
let shares: string[][];
/** Each shard's partial report and the report of one replay of all windows, unchanged policy (a pass). */
let unchanged: { parts: Report[]; whole: Report };
/** The same with the older policy as base: the windows' results change (a fail). */
let changed: { parts: Report[]; whole: Report };

beforeAll(async () => {
  runTemp = await mkdtemp(path.join(tmpdir(), "rg-shard-merge-"));
  shares = [await shardWindowsOf(1, 2), await shardWindowsOf(2, 2)];
  const all = CONFIG.windows;
  unchanged = { parts: await Promise.all(shares.map((s) => replay(POLICY_PATH, s))), whole: await replay(POLICY_PATH, all) };
  changed = { parts: await Promise.all(shares.map((s) => replay(OLDER_POLICY, s))), whole: await replay(OLDER_POLICY, all) };
});

afterAll(async () => {
  await rm(runTemp, { recursive: true, force: true });
});

describe("the merge job with every shard's partial report", () => {
  it("deals each window to exactly one of the two shards", () => {
    expect(shares.every((s) => s.length > 0)).toBe(true);
    expect([...shares[0]!, ...shares[1]!].sort()).toEqual([...CONFIG.windows].sort());
  });

  it("merges the shards into the very report one replay of all windows gives, and passes when nothing changed", async () => {
    const client = fakeArtifacts([artifact(2, 2, unchanged.parts[1]!), artifact(1, 2, unchanged.parts[0]!)]);
    const merged = await mergeShards(runTemp, ROOT, CONFIG, CONFIG_SHA, client);
    expect(merged.verdict).toBe("pass");
    expect(merged.windows.map((w) => w.id)).toEqual(unchanged.whole.windows.map((w) => w.id));
    expect(stableJson(merged)).toBe(stableJson(unchanged.whole));
    expect(client.downloaded).toEqual([shardArtifactName(1, 2, RUN_ID, "1"), shardArtifactName(2, 2, RUN_ID, "1")]);
  });

  it("fails the merged report when one shard's windows changed, as one replay of all windows does", async () => {
    const merged = await mergeShards(runTemp, ROOT, CONFIG, CONFIG_SHA, fakeArtifacts([artifact(1, 2, changed.parts[0]!), artifact(2, 2, changed.parts[1]!)]));
    expect(changed.whole.verdict).toBe("fail");
    expect(merged.verdict).toBe("fail");
    expect(stableJson(merged)).toBe(stableJson(changed.whole));
  });

  it("merges a re-run shard's latest attempt, not the report of the attempt that failed", async () => {
    // Attempt 1 of shard 2 replayed under the older policy (say, before a fix); attempt 2 is the re-run.
    const client = fakeArtifacts([artifact(1, 2, unchanged.parts[0]!), artifact(2, 2, changed.parts[1]!, 1), artifact(2, 2, unchanged.parts[1]!, 2)]);
    const merged = await mergeShards(runTemp, ROOT, CONFIG, CONFIG_SHA, client);
    expect(stableJson(merged)).toBe(stableJson(unchanged.whole));
    expect(client.downloaded).toEqual([shardArtifactName(1, 2, RUN_ID, "1"), shardArtifactName(2, 2, RUN_ID, "2")]);
  });
});

describe("the merge job fails closed", () => {
  it("refuses when a shard failed or was cancelled (uploaded nothing), naming it, and downloads nothing", async () => {
    const client = fakeArtifacts([artifact(1, 2, unchanged.parts[0]!), { name: "replay-gate-4242-1", files: { "report.json": stableJson(unchanged.whole) } }]);
    const merging = mergeShards(runTemp, ROOT, CONFIG, CONFIG_SHA, client);
    await expect(merging).rejects.toBeInstanceOf(ShardsIncompleteError);
    await expect(merging).rejects.toThrow("1 of 2 shard(s) (2/2) produced no partial report: failed or cancelled; re-run the failed jobs");
    expect(client.downloaded).toEqual([]);
  });

  it("refuses when every shard is missing", async () => {
    await expect(mergeShards(runTemp, ROOT, CONFIG, CONFIG_SHA, fakeArtifacts([]))).rejects.toThrow(/^no shard uploaded a partial report/);
  });

  it("refuses shards that disagree on how many there are (the matrix changed between attempts)", async () => {
    const client = fakeArtifacts([artifact(1, 2, unchanged.parts[0]!), artifact(2, 2, unchanged.parts[1]!), artifact(3, 3, unchanged.parts[1]!)]);
    await expect(mergeShards(runTemp, ROOT, CONFIG, CONFIG_SHA, client)).rejects.toBeInstanceOf(ShardsIncompleteError);
  });

  it("refuses a shard artifact without a report.json", async () => {
    const client = fakeArtifacts([artifact(1, 2, unchanged.parts[0]!), { name: shardArtifactName(2, 2, RUN_ID, "1"), files: { "notes.txt": "nothing here\n" } }]);
    await expect(mergeShards(runTemp, ROOT, CONFIG, CONFIG_SHA, client)).rejects.toThrow(`shard artifact ${shardArtifactName(2, 2, RUN_ID, "1")} holds no report.json`);
  });

  it("refuses a forged partial report that is not a valid report (a window's result rewritten to a bare pass)", async () => {
    const forged = JSON.parse(stableJson(changed.parts[1]!)) as Record<string, unknown>;
    forged["windows"] = [{ id: "2026-03-18-pop12-quiet", status: "identical" }];
    const client = fakeArtifacts([artifact(1, 2, changed.parts[0]!), artifact(2, 2, JSON.stringify(forged))]);
    await expect(mergeShards(runTemp, ROOT, CONFIG, CONFIG_SHA, client)).rejects.toThrow(
      `merge: the report.json of shard artifact ${shardArtifactName(2, 2, RUN_ID, "1")} is not a replay-gate report (windows.0.title: Invalid input: expected string, received undefined); re-run the whole workflow`,
    );
  });

  it("refuses a forged partial report that drops the windows of its share, though it is a valid report", async () => {
    const forged = structuredClone(changed.parts[1]!);
    const dropped = forged.inputs.windows.map((w) => w.id);
    forged.windows = [];
    forged.inputs = { ...forged.inputs, windows: [] };
    const client = fakeArtifacts([artifact(1, 2, changed.parts[0]!), artifact(2, 2, forged)]);
    await expect(mergeShards(runTemp, ROOT, CONFIG, CONFIG_SHA, client)).rejects.toThrow(
      `merge: the partial report of shard 2/2 does not hold that shard's windows (${dropped.length} expected, 0 held; missing: ${[...dropped].sort().join(", ")}; not its own or repeated: none); re-run the whole workflow`,
    );
  });

  it("refuses a partial report that also holds a window of another shard", async () => {
    const forged = structuredClone(unchanged.parts[1]!);
    const borrowed = unchanged.parts[0]!.inputs.windows[0]!;
    forged.inputs = { ...forged.inputs, windows: [...forged.inputs.windows, borrowed] };
    forged.windows = [...forged.windows, ...unchanged.parts[0]!.windows.filter((w) => w.id === borrowed.id)];
    const client = fakeArtifacts([artifact(1, 2, unchanged.parts[0]!), artifact(2, 2, forged)]);
    await expect(mergeShards(runTemp, ROOT, CONFIG, CONFIG_SHA, client)).rejects.toThrow(new RegExp(`^merge: the partial report of shard 2/2 does not hold that shard's windows .*not its own or repeated: ${borrowed.id}\\)`));
  });

  it("refuses a partial report that is not JSON", async () => {
    const client = fakeArtifacts([artifact(1, 2, unchanged.parts[0]!), artifact(2, 2, '{"verdict": "pass"')]);
    const merging = mergeShards(runTemp, ROOT, CONFIG, CONFIG_SHA, client);
    await expect(merging).rejects.toBeInstanceOf(InputError);
    await expect(merging).rejects.toThrow(/shard-2of2-[^/]+\/report\.json: not valid JSON/);
  });

  it("refuses partial reports that disagree on the config they ran under", async () => {
    const foreign = await replay(POLICY_PATH, shares[1]!, OTHER_CONFIG_SHA);
    const client = fakeArtifacts([artifact(1, 2, unchanged.parts[0]!), artifact(2, 2, foreign)]);
    await expect(mergeShards(runTemp, ROOT, CONFIG, CONFIG_SHA, client)).rejects.toThrow("partial reports disagree on base, head or config; were they produced by one run?");
  });

  it("refuses shards that all ran under another config than the merge job reads at the base", async () => {
    const client = fakeArtifacts([artifact(1, 2, unchanged.parts[0]!), artifact(2, 2, unchanged.parts[1]!)]);
    await expect(mergeShards(runTemp, ROOT, CONFIG, OTHER_CONFIG_SHA, client)).rejects.toThrow("merge: the shards ran under another config than this job reads at the base commit; re-run the whole workflow");
  });
});
