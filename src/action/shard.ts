/**
 * Sharding over a GitHub Actions matrix, the shell side: a shard replays its share of the windows
 * and uploads a partial report; the `merge: true` job downloads every shard's latest attempt and
 * merges them (the merge itself is pure: src/core/shards/merge.ts).
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DefaultArtifactClient } from "@actions/artifact";
import { log } from "./log.js";
import { mergeReports, parseShardArtifactName, selectShard, shardsIncomplete, type Shard, type ShardArtifact } from "../core/shards/merge.js";
import type { ReplayGateConfig } from "../core/config.js";
import { stableJson } from "../core/report/json.js";
import { readJsonStrict } from "../io/read-json.js";
import { reportSchema, type Report } from "../core/report/report-schema.js";
import { expandWindowArgs } from "../io/windows.js";
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

/** Downloads the partial reports of every shard of this run (latest attempt per shard). */
async function downloadShardReports(runTemp: string): Promise<{ reports: Report[]; names: string[] }> {
  const client = new DefaultArtifactClient();
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
  for (const [key, a] of [...latest].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) {
    const dir = await mkdtemp(join(runTemp, `shard-${key.replace("/", "of")}-`));
    await client.downloadArtifact(a.id, { path: dir });
    reports.push(reportSchema.parse(await readJsonStrict(join(dir, "report.json"), { missing: `shard artifact ${a.name} holds no report.json` })));
    names.push(a.name);
  }
  return { reports, names };
}

/** Downloads and merges the shards of this run; refuses shards that ran under another config. */
export async function mergeShards(runTemp: string, config: ReplayGateConfig, configSha256: string | null): Promise<Report> {
  const { reports, names } = await downloadShardReports(runTemp);
  log.info(`Merging ${names.length} partial report(s): ${names.join(", ")}`);
  const report = mergeReports(reports, config.thresholds);
  if ((report.inputs.config?.sha256 ?? null) !== configSha256) throw new Error("merge: the shards ran under another config than this job reads at the base commit; re-run the whole workflow");
  return report;
}
