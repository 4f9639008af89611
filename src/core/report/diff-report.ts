/**
 * Builds `report.json` (schema in report-schema.ts) from replays that already ran: pure, so the
 * CLI and the Action produce the same bytes from the same inputs. The I/O that feeds it lives in
 * src/io/diff-run.ts.
 */
import { isCorrelation, type KindPair, type OtherPolicy } from "../kinds/any-policy.js";
import { compareKindWindow, type KindComparisonInput } from "../parity/kind-window.js";
import type { Thresholds } from "../config.js";
import { computeEvidenceDigest } from "../approvals/evidence.js";
import { evidenceSettings, type EvidenceSettings } from "../approvals/evidence-settings.js";
import { sha256Hex } from "../hash.js";
import type { ChainedConfig, KindSettings } from "../kinds/settings.js";
import { compareStrings, sortedUnique } from "../compare.js";
import type { EngineResult } from "../engine/types.js";
import type { LoadedPolicy } from "../policy/load.js";
import { evaluateThresholds } from "../gate/thresholds.js";
import { buildCoverage, suppressionCandidates, type CoverageRun } from "../parity/coverage.js";
import { buildDivergence, type DivergenceCapture } from "../parity/divergence.js";
import type { PolicyPair } from "../parity/policies.js";
import { semanticPolicyDiff, textPolicyDiff } from "../parity/policy-diff.js";
import { compareWindow, compareWindowResults, type SideRun, type WindowInfo } from "../parity/window.js";
import { ENGINE_VERSION, TOOL } from "../version.js";
import type { WindowManifest } from "../window/manifest.js";
import { REPORT_SCHEMA, reportSchema, type PolicyDiff, type PolicyInput, type Report, type WindowResult } from "./report-schema.js";
import { minOf } from "../arrays.js";

/** Where one side's policies came from. */
export interface SourceInput {
  /** What the user gave (`policies/*.yaml`, `origin/main:policies/edge-gw.yaml`). */
  readonly spec: string;
  readonly git: { readonly ref: string; readonly commit: string } | null;
}

/** One window × policy comparison, replayed. */
export interface ComparisonInput {
  readonly policy: string;
  readonly base: EngineResult | null;
  readonly head: EngineResult | null;
  readonly headRerun: EngineResult | null;
  readonly divergence: DivergenceCapture | null;
}

/** One window and every comparison it took part in (none: no policy covers it). */
export interface WindowInput {
  readonly info: WindowInfo;
  /** `sha256:` of window.yaml's bytes. */
  readonly manifestSha256: string;
  readonly events: WindowManifest["events"];
  readonly comparisons: readonly ComparisonInput[];
  /** Comparisons under policies of other kinds (Alertmanager configurations, Prometheus rules). */
  readonly kindComparisons?: readonly KindComparisonInput[] | undefined;
}

export interface DiffReportInput {
  readonly base: SourceInput;
  readonly head: SourceInput;
  readonly pairs: readonly PolicyPair[];
  /** Policies of other kinds, paired by name. */
  readonly kindPairs?: readonly KindPair[] | undefined;
  readonly windows: readonly WindowInput[];
  readonly config: { readonly file: string; readonly sha256: string } | null;
  readonly thresholds: Thresholds;
  /** The Alertmanager configuration each side's rule files were sent through (`prometheus_rules.alertmanager`); undefined when not chained. */
  readonly chained?: { readonly base: ChainedConfig; readonly head: ChainedConfig } | undefined;
  /** The gate config's switches both sides were replayed under (`alertmanager`, `prometheus_rules`); undefined: the defaults. */
  readonly settings?: KindSettings | undefined;
}

/** What a side's `chained_alertmanager` records. */
type ChainedInput = NonNullable<Report["inputs"]["head"]["chained_alertmanager"]>;

/** The chained configuration of one side, recorded only when that side has rule files to send through it. */
function chainedInput(chained: ChainedConfig | undefined, kindPairs: readonly KindPair[], side: "base" | "head"): ChainedInput | undefined {
  if (chained === undefined || !kindPairs.some((p) => p[side]?.kind === "prometheus-rules")) return undefined;
  return { file: chained.file, sha256: chained.text === null ? null : `sha256:${sha256Hex(chained.text)}` };
}

function policyInput(p: LoadedPolicy | OtherPolicy): PolicyInput {
  // Kinds without actions never act: they replay as dry-run.
  if (!isCorrelation(p)) return { name: p.name, version: p.version, mode: "dry-run", file: p.file, spec_hash: p.specHash };
  return { name: p.doc.metadata.name, version: p.doc.metadata.version, mode: p.doc.mode, file: p.file, spec_hash: p.specHash };
}

/**
 * The evidence digest (docs/report.md#inputs): head policy hashes, window manifest hashes, the engine
 * version, the result-changing settings (`settings` of the report's inputs) and head's chained
 * Alertmanager configuration (`chained_alertmanager` of the report's head inputs); either absent,
 * the digest is the one without it. Approvals given on a commit with the same digest still count.
 */
export function evidenceDigest(pairs: readonly (PolicyPair | KindPair)[], windows: readonly WindowInput[], chainedHead: ChainedInput | undefined, settings: EvidenceSettings | undefined): string {
  return computeEvidenceDigest({
    policies: pairs
      .filter((p) => p.head !== null)
      .map((p) => ({ name: p.name, specHash: p.head!.specHash }))
      .sort((a, b) => compareStrings(a.name, b.name)),
    windows: windows.map((w) => ({ id: w.info.id, manifestSha256: w.manifestSha256, eventsSha256: w.events.sha256 })),
    chainedAlertmanager: chainedHead?.sha256,
    settings,
  });
}

/** The report's summary over its windows (also recomputed when shards' partial reports merge). */
export function summarize(windows: readonly WindowResult[], uncovered: number, policiesChanged: number, untestedRules: number): Report["summary"] {
  const changed = windows.filter((w) => w.status !== "identical").length;
  const parities = windows.map((w) => w.parity).filter((p): p is number => p !== null);
  return {
    windows: windows.length,
    identical: windows.length - changed,
    changed,
    regressions: windows.filter((w) => w.expectations.regression).length,
    min_parity: minOf(parities, null),
    added_incidents: windows.reduce((n, w) => n + w.matching.added, 0),
    removed_incidents: windows.reduce((n, w) => n + w.matching.removed, 0),
    split: windows.reduce((n, w) => n + w.matching.split, 0),
    merged: windows.reduce((n, w) => n + w.matching.merged, 0),
    uncovered,
    policies_changed: policiesChanged,
    untested_rules: untestedRules,
    scope_changed: {
      service: sortedUnique(windows.flatMap((w) => w.scope_changed.service)),
      region: sortedUnique(windows.flatMap((w) => w.scope_changed.region)),
      pop: sortedUnique(windows.flatMap((w) => w.scope_changed.pop)),
    },
  };
}

/**
 * The `parity` the Action outputs: the lowest per-window parity; when windows were replayed but
 * none had both sides (a policy added or removed), 0 — nothing of base's incidents is known to
 * survive; null only when nothing was replayed.
 */
export function parityOutput(summary: Pick<Report["summary"], "windows" | "min_parity">): number | null {
  if (summary.min_parity !== null) return summary.min_parity;
  return summary.windows > 0 ? 0 : null;
}

/** Assembles the report: compares every window, diffs the policies, scores coverage, applies thresholds. */
export function buildDiffReport(input: DiffReportInput): Report {
  const policyDiffs: PolicyDiff[] = input.pairs.map((pair) => {
    const semantic = semanticPolicyDiff(pair.base, pair.head);
    const textDiff = textPolicyDiff(pair.base, pair.head);
    const status = pair.base === null ? "added" : pair.head === null ? "removed" : semantic.length === 0 && textDiff === "" ? "unchanged" : "changed";
    const windows = sortedUnique(input.windows.filter((w) => w.comparisons.some((c) => c.policy === pair.name)).map((w) => w.info.id));
    return { name: pair.name, status, base: pair.base ? policyInput(pair.base) : null, head: pair.head ? policyInput(pair.head) : null, semantic, text_diff: textDiff, windows };
  });
  const kindPairs = input.kindPairs ?? [];
  for (const pair of kindPairs) {
    const textDiff = textPolicyDiff(pair.base, pair.head);
    const status = pair.base === null ? "added" : pair.head === null ? "removed" : textDiff === "" ? "unchanged" : "changed";
    const windows = sortedUnique(input.windows.filter((w) => (w.kindComparisons ?? []).some((c) => c.policy === pair.name)).map((w) => w.info.id));
    policyDiffs.push({
      name: pair.name,
      status,
      kind: pair.kind,
      base: pair.base ? policyInput(pair.base) : null,
      head: pair.head ? policyInput(pair.head) : null,
      semantic: [],
      text_diff: textDiff,
      windows,
    });
  }
  policyDiffs.sort((a, b) => compareStrings(a.name, b.name));
  const kindPairOf = new Map(kindPairs.map((p) => [p.name, p]));
  const pairOf = new Map(input.pairs.map((p) => [p.name, p]));
  const diffOf = new Map(policyDiffs.map((d) => [d.name, d]));
  const results: WindowResult[] = [];
  const runs: CoverageRun[] = [];
  for (const w of input.windows) {
    for (const c of w.comparisons) {
      const pair = pairOf.get(c.policy)!;
      const side = (p: LoadedPolicy | null, r: EngineResult | null): SideRun | null => (p && r ? { policy: p, result: r } : null);
      const divergence = c.divergence ? buildDivergence(c.divergence, c.base ? pair.base!.compiled : null, c.head ? pair.head!.compiled : null, diffOf.get(c.policy)!.semantic) : null;
      results.push(
        compareWindow({
          window: w.info,
          policy: c.policy,
          base: side(pair.base, c.base),
          head: side(pair.head, c.head),
          headRerun: c.headRerun,
          changes: diffOf.get(c.policy)!.semantic,
          divergence,
        }),
      );
      if (c.head) runs.push({ window: w.info.id, policy: c.policy, base: c.base, head: c.head });
    }
    for (const c of w.kindComparisons ?? []) results.push(compareKindWindow(w.info, kindPairOf.get(c.policy)!, c));
  }
  results.sort(compareWindowResults);
  const candidates = suppressionCandidates(runs);
  const windows = results.map((w) => {
    const mine = candidates.filter((c) => c.policy === w.policy && c.windows.includes(w.id));
    if (mine.length === 0) return w;
    return {
      ...w,
      highlights: [
        ...w.highlights,
        ...mine.map((c) => ({
          kind: "suppression-candidate" as const,
          rule: c.rule,
          text: `suppression candidate: ${c.fingerprint} forms alert groups that join no incident in ${c.windows.length} windows`,
          base: null,
          head: c.groups,
        })),
      ],
    };
  });
  const coverage = buildCoverage(
    input.pairs.filter((p) => p.head !== null).map((p) => ({ name: p.name, doc: p.head!.doc, baseDoc: p.base?.doc ?? null, changes: diffOf.get(p.name)!.semantic })),
    runs,
  );
  const evaluation = evaluateThresholds(windows, input.thresholds, { policies: policyDiffs, coverage });
  const uncovered = input.windows.filter((w) => w.comparisons.length === 0 && (w.kindComparisons ?? []).length === 0);
  const chainedBase = chainedInput(input.chained?.base, kindPairs, "base"),
    chainedHead = chainedInput(input.chained?.head, kindPairs, "head");
  const settings = evidenceSettings(input.settings, {
    alertmanager: kindPairs.some((p) => p.head?.kind === "alertmanager"),
    rules: kindPairs.some((p) => p.head?.kind === "prometheus-rules"),
  });
  const report: Report = {
    schema: REPORT_SCHEMA,
    verdict: evaluation.verdict,
    summary: summarize(windows, uncovered.length, policyDiffs.filter((p) => p.status !== "unchanged").length, coverage.untested.length),
    windows,
    evaluation,
    uncovered_windows: uncovered.map((w) => ({ id: w.info.id, title: w.info.title, dir: w.info.dir, scope: w.info.scope })).sort((a, b) => compareStrings(a.id, b.id)),
    policies: policyDiffs,
    coverage,
    suppression_candidates: candidates,
    inputs: {
      base: {
        spec: input.base.spec,
        git: input.base.git,
        policies: [...input.pairs, ...kindPairs].flatMap((p) => (p.base ? [policyInput(p.base)] : [])).sort((a, b) => compareStrings(a.name, b.name)),
        ...(chainedBase && { chained_alertmanager: chainedBase }),
      },
      head: {
        spec: input.head.spec,
        git: input.head.git,
        policies: [...input.pairs, ...kindPairs].flatMap((p) => (p.head ? [policyInput(p.head)] : [])).sort((a, b) => compareStrings(a.name, b.name)),
        ...(chainedHead && { chained_alertmanager: chainedHead }),
      },
      windows: input.windows
        .map((w) => ({
          id: w.info.id,
          dir: w.info.dir,
          manifest_sha256: w.manifestSha256,
          events: w.events,
          policies: [...w.comparisons, ...(w.kindComparisons ?? [])].map((c) => c.policy).sort(compareStrings),
        }))
        .sort((a, b) => compareStrings(a.id, b.id)),
      config: input.config,
      ...(settings && { settings }),
      evidence_digest: evidenceDigest([...input.pairs, ...kindPairs], input.windows, chainedHead, settings),
    },
    tool: { name: TOOL.name, version: TOOL.version },
    engine_version: ENGINE_VERSION,
  };
  // Parsing fixes key order to the schema's and proves the report matches what it documents.
  return reportSchema.parse(report);
}
