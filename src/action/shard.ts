/**
 * Sharding over a GitHub Actions matrix, the shell side: a shard replays its share of the windows
 * and uploads a partial report; the `merge: true` job downloads every shard's latest attempt and
 * merges them (the merge itself is pure: src/core/shards/merge.ts).
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DefaultArtifactClient, type ArtifactClient } from "@actions/artifact";
import { log } from "./log.js";
import { mergeReports, parseShardArtifactName, selectShard, shardsIncomplete, type Shard, type ShardArtifact } from "../core/shards/merge.js";
import type { ReplayGateConfig } from "../core/config.js";
import { compareStrings } from "../core/compare.js";
import { stableJson } from "../core/report/json.js";
import { readJsonStrict } from "../io/read-json.js";
import { reportSchema, type Report } from "../core/report/report-schema.js";
import { expandWindowArgs, loadWindowSources } from "../io/windows.js";
import { shardArtifactName, uploadDir } from "./artifacts.js";
import { writeSummary } from "./summary.js";

/** The window directories of one shard (absolute), out of the config's windows. */
export async function shardWindows(config: ReplayGateConfig, cwd: string, shard: Shard): Promise<string[]> {
  const dirs = await expandWindowArgs(config.windows.map((w) => join(cwd, w)));
  const mine = selectShard(dirs, (d) => d.slice(cwd.length + 1), shard);
  log.info(`Shard ${shard.index}/${shard.total}: ${mine.length} of ${dirs.length} window(s)`);
  return mine;
}

/** Writes and uploads a shard's partial report; the merge job gates. */
export async function publishShard(report: Report, shard: Shard, outDir: string, run: { runId: string; attempt: string }): Promise<string> {
  const path = join(outDir, "report.json");
  await writeFile(path, stableJson(report));
  await writeSummary(`replay-gate shard ${shard.index}/${shard.total}: ${report.summary.windows} comparison(s), ${report.summary.changed} changed; the merge job gates.\n`);
  await uploadDir(shardArtifactName(shard.index, shard.total, run.runId, run.attempt), outDir);
  return path;
}

/** A sharded run that cannot be gated: a shard failed or was cancelled. A result (`failure`), not a crash. */
export class ShardsIncompleteError extends Error {
  override readonly name = "ShardsIncompleteError";
}

/** The two artifact calls the merge job makes on this run's artifacts (DefaultArtifactClient's; a typed fake in tests). */
export type ShardArtifactClient = Pick<ArtifactClient, "listArtifacts" | "downloadArtifact">;

/** Downloads the partial reports of every shard of this run (latest attempt per shard). */
async function downloadShardReports(runTemp: string, client: ShardArtifactClient): Promise<{ reports: Report[]; names: string[]; shards: Shard[] }> {
  const { artifacts } = await client.listArtifacts();
  const latest = new Map<string, { id: number; name: string; attempt: number; shard: ShardArtifact }>();
  for (const a of artifacts) {
    const shard = parseShardArtifactName(a.name);
    if (shard === undefined) continue;
    const key = `${shard.index}/${shard.total}`;
    if ((latest.get(key)?.attempt ?? -1) < shard.attempt) latest.set(key, { id: a.id, name: a.name, attempt: shard.attempt, shard });
  }
  const incomplete = shardsIncomplete([...latest.values()].map((a) => a.shard));
  if (incomplete !== null) throw new ShardsIncompleteError(incomplete);
  const reports: Report[] = [];
  const names: string[] = [];
  const shards: Shard[] = [];
  for (const [key, a] of [...latest].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) {
    const dir = await mkdtemp(join(runTemp, `shard-${key.replace("/", "of")}-`));
    await client.downloadArtifact(a.id, { path: dir });
    const parsed = reportSchema.safeParse(await readJsonStrict(join(dir, "report.json"), { missing: `shard artifact ${a.name} holds no report.json` }));
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(`merge: the report.json of shard artifact ${a.name} is not a replay-gate report (${issue.path.join(".")}: ${issue.message}); re-run the whole workflow`);
    }
    reports.push(parsed.data);
    names.push(a.name);
    shards.push({ index: a.shard.index, total: a.shard.total });
  }
  return { reports, names, shards };
}

/**
 * Refuses a partial report that does not hold exactly its shard's share of the library at this
 * checkout (the window ids the shard job itself reads): a report that drops a window would
 * otherwise merge into a gate that passes on evidence nobody replayed, and one that adds or
 * repeats a window into one that counts it twice.
 */
async function checkShardShares(reports: readonly Report[], shards: readonly Shard[], config: ReplayGateConfig, cwd: string): Promise<void> {
  const dirs = await expandWindowArgs(config.windows.map((w) => join(cwd, w)));
  for (const [i, report] of reports.entries()) {
    const shard = shards[i]!;
    const share = selectShard(dirs, (d) => d.slice(cwd.length + 1), shard);
    const expected = (await loadWindowSources(share, () => {}, { maxLineBytes: config.limits?.max_line_bytes })).map((w) => w.manifest.id).sort(compareStrings);
    const held = report.inputs.windows.map((w) => w.id).sort(compareStrings);
    if (held.length !== expected.length || held.some((id, k) => id !== expected[k])) {
      const heldSet = new Set(held),
        expectedSet = new Set(expected);
      const missing = expected.filter((id) => !heldSet.has(id));
      const extra = held.filter((id) => !expectedSet.has(id));
      throw new Error(
        `merge: the partial report of shard ${shard.index}/${shard.total} does not hold that shard's windows (${expected.length} expected, ${held.length} held; missing: ${missing.join(", ") || "none"}; not its own or repeated: ${extra.join(", ") || "none"}); re-run the whole workflow`,
      );
    }
  }
}

/**
 * Downloads and merges the shards of this run; refuses shards that ran under another config.
 * Throws {@link ShardsIncompleteError} when a shard uploaded nothing, and an Error for a partial
 * report that is not one (no report.json, not a valid report, not its shard's windows, another
 * base, head or config).
 */
export async function mergeShards(runTemp: string, cwd: string, config: ReplayGateConfig, configSha256: string | null, client: ShardArtifactClient = new DefaultArtifactClient()): Promise<Report> {
  const { reports, names, shards } = await downloadShardReports(runTemp, client);
  await checkShardShares(reports, shards, config, cwd);
  log.info(`Merging ${names.length} partial report(s): ${names.join(", ")}`);
  const report = mergeReports(reports, config.thresholds, names);
  if ((report.inputs.config?.sha256 ?? null) !== configSha256) throw new Error("merge: the shards ran under another config than this job reads at the base commit; re-run the whole workflow");
  return report;
}
