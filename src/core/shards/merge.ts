/**
 * Sharding over a GitHub Actions matrix: `shard: i/n` replays a stable share of the windows;
 * a final `merge` job combines the partial reports into one, on which the gate runs once.
 */
import { compareStrings, sortedUnique } from "../compare.js";
import type { Thresholds } from "../config.js";
import { evaluateThresholds } from "../gate/thresholds.js";
import { compareWindowResults } from "../parity/window.js";
import { summarize } from "../report/diff-report.js";
import { reportSchema, type Coverage, type Report, type SuppressionCandidate } from "../report/report-schema.js";
import { computeEvidenceDigest } from "../approvals/evidence.js";
import { fail } from "../errors.js";
import { canonicalJson, sha256Hex } from "../hash.js";

/** `2/4` → the second of four shards. */
export interface Shard {
  readonly index: number;
  readonly total: number;
}

/**
 * The windows of one shard: windows ordered by a hash of their directory, dealt round-robin, so
 * shards stay balanced and a window keeps its shard while others are added elsewhere in the order.
 */
export function selectShard<T>(items: readonly T[], key: (item: T) => string, shard: Shard): T[] {
  const ranked = items.map((item) => ({ item, rank: sha256Hex(key(item)) })).sort((a, b) => compareStrings(a.rank, b.rank));
  return ranked.filter((_, i) => i % shard.total === shard.index - 1).map((r) => r.item);
}

/** A shard's artifact name, parsed: `replay-gate-shard-<i>of<n>-<run>-<attempt>`. */
export interface ShardArtifact {
  readonly index: number;
  readonly total: number;
  readonly attempt: number;
}

/** Parses a shard artifact name; undefined for any other artifact. */
export function parseShardArtifactName(name: string): ShardArtifact | undefined {
  const m = /^replay-gate-shard-(\d+)of(\d+)-\d+-(\d+)$/.exec(name);
  return m === null ? undefined : { index: Number(m[1]), total: Number(m[2]), attempt: Number(m[3]) };
}

/**
 * Fail closed over a sharded run: every shard of the matrix must have uploaded its partial
 * report. A failed or cancelled shard uploads nothing, so a missing index is the reason the
 * merge job fails — a gate over part of the library would pass on evidence it never saw.
 * Returns the reason, or null when shards 1..n are all present for one n.
 */
export function shardsIncomplete(found: readonly ShardArtifact[]): string | null {
  if (found.length === 0) return "no shard uploaded a partial report: every shard failed or was cancelled (see the replay jobs of this run)";
  const totals = sortedUnique(found.map((s) => String(s.total)));
  if (totals.length > 1) return `the shards disagree on how many there are (${totals.join(", ")}); the matrix changed between attempts, re-run the whole workflow`;
  const total = found[0]!.total;
  const have = new Set(found.map((s) => s.index));
  const missing = Array.from({ length: total }, (_, i) => i + 1).filter((i) => !have.has(i));
  if (missing.length === 0) return null;
  return `${missing.length} of ${total} shard(s) (${missing.map((i) => `${i}/${total}`).join(", ")}) produced no partial report: failed or cancelled; re-run the failed jobs`;
}

function mergeCoverage(parts: readonly Coverage[]): Coverage {
  const rules = new Map<string, Coverage["rules"][number]>();
  for (const part of parts) {
    for (const r of part.rules) {
      const key = `${r.policy}\n${r.section}\n${r.id}`;
      const prev = rules.get(key);
      if (prev === undefined) rules.set(key, { ...r });
      else {
        const windows = sortedUnique([...prev.windows, ...r.windows]);
        const baseWindows = sortedUnique([...prev.base_windows, ...r.base_windows]);
        rules.set(key, { ...prev, windows, base_windows: baseWindows, hits: prev.hits + r.hits, untested: prev.change !== "unchanged" && windows.length === 0 && baseWindows.length === 0 });
      }
    }
  }
  const merged = [...rules.values()];
  return {
    rules: merged,
    untested: merged.filter((r) => r.untested).map((r) => ({ policy: r.policy, section: r.section, id: r.id, change: r.change as "added" | "changed" })),
    severe_suppressions: parts.flatMap((p) => p.severe_suppressions).sort((a, b) => compareStrings(a.policy, b.policy) || compareStrings(a.rule, b.rule) || compareStrings(a.window, b.window)),
  };
}

function mergeCandidates(parts: readonly (readonly SuppressionCandidate[])[]): SuppressionCandidate[] {
  const by = new Map<string, SuppressionCandidate>();
  for (const c of parts.flat()) {
    const key = `${c.policy}\n${c.rule}\n${c.fingerprint}`;
    const prev = by.get(key);
    by.set(key, prev === undefined ? { ...c } : { ...prev, windows: sortedUnique([...prev.windows, ...c.windows]), groups: prev.groups + c.groups, alerts: prev.alerts + c.alerts });
  }
  return [...by.values()].sort((a, b) => compareStrings(a.policy, b.policy) || compareStrings(a.rule, b.rule) || compareStrings(a.fingerprint, b.fingerprint));
}

/** `inputs.settings` as one line, for comparing and for messages. */
const settingsText = (r: Report) => (r.inputs.settings === undefined ? "none (the defaults)" : canonicalJson(r.inputs.settings));

/**
 * Fail closed: shards replayed under different result-changing settings (`inputs.settings`) did not
 * replay one run, and their merged digest would vouch for evidence neither holds.
 */
function checkSameSettings(parts: readonly Report[], names: readonly string[] | undefined): void {
  const first = settingsText(parts[0]!);
  const i = parts.findIndex((p) => settingsText(p) !== first);
  if (i < 0) return;
  fail({
    file: `the partial report of ${names?.[i] ?? `shard report ${i + 1}`}`,
    path: "inputs.settings",
    message: `replayed under the gate settings ${settingsText(parts[i]!)}, the partial report of ${names?.[0] ?? "shard report 1"} under ${first}`,
    hint: "every shard must read the same .github/replay-gate.yml; re-run the whole workflow",
  });
}

/**
 * One report from the shards' partial reports. Windows, coverage and candidates are unioned,
 * summary, evaluation and evidence digest recomputed. Partial reports must share base, head, config
 * and result-changing settings; `names` (the shards' artifact names, in the order of `parts`) locate
 * a mismatch.
 */
export function mergeReports(parts: readonly Report[], thresholds: Thresholds, names?: readonly string[]): Report {
  const first = parts[0];
  if (first === undefined) throw new Error("no partial reports to merge");
  for (const p of parts) {
    if (
      p.inputs.base.git?.commit !== first.inputs.base.git?.commit ||
      p.inputs.head.git?.commit !== first.inputs.head.git?.commit ||
      p.inputs.config?.sha256 !== first.inputs.config?.sha256 ||
      p.inputs.head.chained_alertmanager?.sha256 !== first.inputs.head.chained_alertmanager?.sha256
    ) {
      throw new Error("partial reports disagree on base, head or config; were they produced by one run?");
    }
  }
  checkSameSettings(parts, names);
  const windows = parts.flatMap((p) => p.windows).sort(compareWindowResults);
  const uncovered = [...new Map(parts.flatMap((p) => p.uncovered_windows).map((w) => [w.id, w])).values()].sort((a, b) => compareStrings(a.id, b.id));
  const inputWindows = [...new Map(parts.flatMap((p) => p.inputs.windows).map((w) => [w.id, w])).values()].sort((a, b) => compareStrings(a.id, b.id));
  const policies = first.policies.map((pd) => ({ ...pd, windows: sortedUnique(parts.flatMap((p) => p.policies.find((x) => x.name === pd.name)?.windows ?? [])) }));
  const coverage = mergeCoverage(parts.map((p) => p.coverage));
  const evaluation = evaluateThresholds(windows, thresholds, { policies, coverage });
  const digest = computeEvidenceDigest({
    policies: first.inputs.head.policies.map((p) => ({ name: p.name, specHash: p.spec_hash })),
    windows: inputWindows.map((w) => ({ id: w.id, manifestSha256: w.manifest_sha256, eventsSha256: w.events.sha256 })),
    chainedAlertmanager: first.inputs.head.chained_alertmanager?.sha256,
    settings: first.inputs.settings,
    engineVersion: first.engine_version,
  });
  const report: Report = {
    ...first,
    verdict: evaluation.verdict,
    summary: summarize(windows, uncovered.length, policies.filter((p) => p.status !== "unchanged").length, coverage.untested.length),
    windows,
    evaluation,
    uncovered_windows: uncovered,
    policies,
    coverage,
    suppression_candidates: mergeCandidates(parts.map((p) => p.suppression_candidates)),
    inputs: { ...first.inputs, windows: inputWindows, evidence_digest: digest },
  };
  delete (report as { gate?: unknown }).gate;
  return reportSchema.parse(report);
}
