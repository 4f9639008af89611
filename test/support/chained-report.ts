/**
 * Reports built in-process (the pure `buildDiffReport`) for a repository whose Prometheus rule file
 * is chained into an Alertmanager configuration (`prometheus_rules.alertmanager`): the evidence
 * digest's tests vary only the chained configuration, the rule file and the windows. The windows
 * are reported, not replayed (no comparisons): the digest covers them all the same.
 */
import { DEFAULT_THRESHOLDS } from "../../src/core/config.js";
import { sha256Hex } from "../../src/core/hash.js";
import { loadAnyPolicy, pairKindPolicies, type OtherPolicy } from "../../src/core/kinds/any-policy.js";
import type { KindSettings } from "../../src/core/kinds/settings.js";
import { buildDiffReport, type WindowInput } from "../../src/core/report/diff-report.js";
import type { Report } from "../../src/core/report/report-schema.js";
import { ALERTMANAGER, DNS_RULES } from "./rules-chain.js";

export const CHAINED_PATH = "alertmanager/alertmanager.yml";

/** A rule file as the diff loads it. */
export const rulesFile = (threshold: string): OtherPolicy => loadAnyPolicy(DNS_RULES(threshold), "rules/dns.yaml") as OtherPolicy;

/** An Alertmanager configuration among the policies, paging `pageTo`, as the diff loads it. */
export const alertmanagerFile = (pageTo: string): OtherPolicy => loadAnyPolicy(ALERTMANAGER(pageTo), "alertmanager/alertmanager.yml") as OtherPolicy;

/** A window that no policy replayed, named `id`, whose manifest and events hashes derive from `id`. */
export function uncoveredWindow(id: string): WindowInput {
  return {
    info: { id, title: id, dir: `windows/${id}`, scope: {}, expect: undefined },
    manifestSha256: `sha256:${sha256Hex(`manifest ${id}`)}`,
    events: { path: "events.ndjson.gz", sha256: sha256Hex(`events ${id}`), count: 1, bytes: 1 },
    comparisons: [],
  };
}

/** What one report is built from; a chained side's text null means that side has no file at {@link CHAINED_PATH}. */
export interface ChainedReportInput {
  readonly base: OtherPolicy | null;
  readonly head: OtherPolicy | null;
  /** Each side's chained Alertmanager configuration text; undefined when the config names none. */
  readonly chained: { readonly base: string | null; readonly head: string | null } | undefined;
  readonly windows: readonly WindowInput[];
  /** The gate config's kind settings; a `prometheus_rules.alertmanager` there names the chained file (else {@link CHAINED_PATH}). */
  readonly settings?: KindSettings | undefined;
}

/** The report `diff` builds from these inputs. */
export function chainedReport(input: ChainedReportInput): Report {
  const commit = (c: string) => c.repeat(40);
  const path = input.settings?.prometheus_rules?.alertmanager ?? CHAINED_PATH;
  return buildDiffReport({
    base: { spec: `${commit("b")}:rules/*.yaml`, git: { ref: commit("b"), commit: commit("b") } },
    head: { spec: "rules/*.yaml", git: null },
    pairs: [],
    kindPairs: pairKindPolicies(input.base ? [input.base] : [], input.head ? [input.head] : [], new Set()),
    windows: input.windows,
    config: null,
    thresholds: DEFAULT_THRESHOLDS,
    chained: input.chained && { base: { file: `${commit("b")}:${path}`, text: input.chained.base }, head: { file: path, text: input.chained.head } },
    settings: input.settings,
  });
}
