/**
 * `diff` composed: resolve base and head policy sets (files, directories, globs, or git refs),
 * find the windows, replay each window once under every covering policy version (diff-window.ts;
 * on `jobs` workers, results merged in the windows' order) and build the report. Shared by the
 * CLI and the Action.
 */
import type { ChainedConfig, KindSettings } from "../core/kinds/settings.js";
import { isCorrelation, loadAnyPolicy, type AnyPolicy, type OtherPolicy } from "../core/kinds/any-policy.js";
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { Thresholds } from "../core/config.js";
import { compareStrings } from "../core/compare.js";
import { InputError, fail, formatProblem, type Problem } from "../core/errors.js";
import type { WindowEvidence } from "../core/evidence/bundle.js";
import { sha256Hex } from "../core/hash.js";
import { unreachableThresholds } from "../core/policy/reachability.js";
import { isGlob, matchSegmentGlob } from "../core/path-glob.js";
import { type LoadedPolicy } from "../core/policy/load.js";
import { buildDiffReport, type SourceInput, type WindowInput } from "../core/report/diff-report.js";
import type { Report } from "../core/report/report-schema.js";
import { PREFIX_BUFFER_EVENTS, pairSides, planWindow, replayDiffWindow, type DiffPlan, type DiffPlanTexts, type DiffTimings, type WindowOutcome } from "./diff-window.js";
import { resolveCommit, showFile } from "./git.js";
import { replayWindows } from "./parallel-replay.js";
import type { Jobs } from "./worker-pool.js";
import { readAnyPolicyFile } from "./policies.js";
import { isPolicyFileName, specPathsAtCommit } from "./spec-files.js";
import type { ReadProgress, WindowReadLimits, WindowSource } from "./window.js";
import { expandWindowArgs, loadWindowSources } from "./windows.js";
import { appendAll } from "../core/arrays.js";

export { PREFIX_BUFFER_EVENTS, type DiffTimings };

/** Everything `diff` needs. */
export interface DiffRunOptions {
  /** Base policy specs: files, directories, `*` globs, `<ref>:<path>`, or a bare ref (then head's paths at that ref). */
  readonly base: readonly string[];
  /** Head policy specs, the same forms. */
  readonly head: readonly string[];
  /** Window dirs, dirs of windows or `*` globs. */
  readonly windows: readonly string[];
  readonly thresholds: Thresholds;
  readonly config: { readonly file: string; readonly sha256: string } | null;
  /** The gate config's switches for policy kinds (`alertmanager.emulate`). */
  readonly kindSettings?: KindSettings | undefined;
  /** Working directory: relative paths and git run here. */
  readonly cwd: string;
  readonly warn: (message: string) => void;
  readonly onProgress?: ((message: string) => void) | undefined;
  /** The verified window cache's directory (window-cache.ts); none when undefined. */
  readonly cacheDir?: string | undefined;
  /** Watches the windows' reads (windows done, events/s, ETA). */
  readonly readProgress?: ReadProgress | undefined;
  /** Events kept from the first pass for time travel (default {@link PREFIX_BUFFER_EVENTS}); beyond, a second pass. */
  readonly prefixBuffer?: number | undefined;
  /**
   * Receives, per replayed window, what the evidence bundle needs (audit records, engine results),
   * collected on the same single pass. Off by default: scanning costs a little per event.
   */
  readonly onEvidence?: ((evidence: WindowEvidence) => void) | undefined;
  /** When given, milliseconds per run-record stage are added to it (timing costs a little per event). */
  readonly timings?: DiffTimings | undefined;
  /** Read limits for the windows' events (`--max-line-bytes`, config `limits`). */
  readonly limits?: WindowReadLimits | undefined;
  /**
   * Windows replayed at once (this thread and jobs − 1 worker threads), never more than the cores; `auto`: one
   * per core as the library's size pays for them (worker-pool.ts). Default 1: one after another
   * in this thread. The report, evidence and timings do not depend on it.
   */
  readonly jobs?: Jobs | undefined;
}

async function kindOf(path: string): Promise<"file" | "dir" | null> {
  try {
    const s = await stat(path);
    return s.isDirectory() ? "dir" : s.isFile() ? "file" : null;
  } catch {
    return null;
  }
}

/** Local policy files named by one spec, sorted. */
async function localPolicyFiles(spec: string, cwd: string): Promise<string[]> {
  const abs = (p: string) => (p.startsWith("/") ? p : join(cwd, p));
  const name = basename(spec);
  if (isGlob(name)) {
    const parent = dirname(spec);
    const glob = (entry: string) => matchSegmentGlob(name, entry);
    let entries: string[];
    try {
      entries = await readdir(abs(parent));
    } catch {
      fail({ file: spec, message: `no such directory ${parent}` });
    }
    const files: string[] = [];
    for (const e of entries.filter(glob).sort(compareStrings)) if ((await kindOf(abs(join(parent, e)))) === "file") files.push(join(parent, e));
    if (files.length === 0) fail({ file: spec, message: "matches no policy file" });
    return files;
  }
  const kind = await kindOf(abs(spec));
  if (kind === "file") return [spec];
  if (kind === "dir") {
    const files = (await readdir(abs(spec)))
      .filter(isPolicyFileName)
      .sort(compareStrings)
      .map((e) => join(spec, e));
    if (files.length === 0) fail({ file: spec, message: "directory holds no .yaml policy file" });
    return files;
  }
  fail({ file: spec, message: "no such policy file, directory or git ref" });
}

/** Files named by a path spec at a commit, sorted. */
async function gitPolicyFiles(commit: string, ref: string, spec: string, cwd: string): Promise<readonly string[]> {
  const { paths, form } = await specPathsAtCommit(commit, spec, cwd, "policies");
  if (paths.length === 0) fail({ file: `${ref}:${spec}`, message: form === "glob" ? `matches no file at ${ref}` : `directory holds no .yaml policy file at ${ref}` });
  return paths;
}

/** One side's policies and where they came from. */
interface ResolvedSide {
  readonly source: SourceInput;
  readonly policies: LoadedPolicy[];
  /** Policies of other kinds (Alertmanager configurations, Prometheus rules). */
  readonly others: OtherPolicy[];
  /** The path specs used, so a bare ref on the other side can read the same paths. */
  readonly paths: readonly string[];
}

async function resolveSide(specs: readonly string[], otherPaths: readonly string[] | null, cwd: string): Promise<ResolvedSide> {
  const policies: LoadedPolicy[] = [];
  const others: OtherPolicy[] = [];
  const add = (p: AnyPolicy) => (isCorrelation(p) ? policies.push(p) : others.push(p));
  const paths: string[] = [];
  const problems: Problem[] = [];
  let git: SourceInput["git"] = null;
  for (const spec of specs) {
    try {
      if ((await kindOf(spec.startsWith("/") ? spec : join(cwd, spec))) !== null || (isGlob(basename(spec)) && !spec.includes(":"))) {
        for (const file of await localPolicyFiles(spec, cwd)) add(await readAnyPolicyFile(file.startsWith("/") ? file : join(cwd, file), cwd).then((p) => ({ ...p, file })));
        paths.push(spec);
        continue;
      }
      const colon = spec.indexOf(":");
      const ref = colon === -1 ? spec : spec.slice(0, colon);
      const commit = await resolveCommit(ref, cwd);
      if (commit === null) fail({ file: spec, message: colon === -1 ? "no such policy file, directory or git ref" : `"${ref}" is not a git ref in this repository` });
      if (git !== null && git.commit !== commit) fail({ file: spec, message: "one side can read from one git ref only" });
      git = { ref, commit };
      const pathSpecs = colon === -1 ? otherPaths : [spec.slice(colon + 1)];
      if (pathSpecs === null || pathSpecs.length === 0)
        fail({ file: spec, message: "a bare git ref needs the other side (or --config) to name the policy paths", hint: "write <ref>:<path>, e.g. origin/main:policies/edge-gw.yaml" });
      for (const p of pathSpecs) {
        for (const file of await gitPolicyFiles(commit, ref, p, cwd)) add(loadAnyPolicy(await showFile(commit, ref, file, cwd), `${ref}:${file}`));
        paths.push(p);
      }
    } catch (err) {
      if (err instanceof InputError) appendAll(problems, err.problems);
      else throw err;
    }
  }
  if (problems.length > 0) throw new InputError(problems);
  return { source: { spec: specs.join(" "), git }, policies, others, paths };
}

const isBareRef = async (spec: string, cwd: string) => !spec.includes(":") && !isGlob(basename(spec)) && (await kindOf(spec.startsWith("/") ? spec : join(cwd, spec))) === null;

/** Resolves both sides; a side given as a bare ref reads the other side's paths at that ref. */
export async function resolvePolicies(base: readonly string[], head: readonly string[], cwd: string): Promise<{ base: ResolvedSide; head: ResolvedSide }> {
  const headBare = (await Promise.all(head.map((s) => isBareRef(s, cwd)))).every(Boolean);
  if (headBare) {
    const b = await resolveSide(base, null, cwd);
    return { base: b, head: await resolveSide(head, b.paths, cwd) };
  }
  const h = await resolveSide(head, null, cwd);
  return { base: await resolveSide(base, h.paths, cwd), head: h };
}

/**
 * The Alertmanager configuration rule files feed (`prometheus_rules.alertmanager`), as each side
 * has it: at the side's git commit when it was read from a ref, else from the working tree. A
 * side without the file sends its alerts nowhere; neither side having it is an input error.
 */
async function readChainedConfigs(
  base: ResolvedSide,
  head: ResolvedSide,
  settings: KindSettings | undefined,
  configFile: string | undefined,
  cwd: string,
): Promise<{ base: ChainedConfig; head: ChainedConfig } | undefined> {
  const path = settings?.prometheus_rules?.alertmanager;
  if (path === undefined || ![...base.others, ...head.others].some((p) => p.kind === "prometheus-rules")) return undefined;
  const read = async (side: ResolvedSide): Promise<ChainedConfig> => {
    const git = side.source.git;
    if (git !== null) {
      try {
        return { file: `${git.ref}:${path}`, text: await showFile(git.commit, git.ref, path, cwd) };
      } catch (err) {
        if (err instanceof InputError) return { file: `${git.ref}:${path}`, text: null };
        throw err;
      }
    }
    try {
      return { file: path, text: await readFile(path.startsWith("/") ? path : join(cwd, path), "utf8") };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return { file: path, text: null };
      throw err;
    }
  };
  const chained = { base: await read(base), head: await read(head) };
  if (chained.base.text === null && chained.head.text === null)
    fail({
      file: configFile ?? path,
      path: "prometheus_rules.alertmanager",
      message: `no Alertmanager configuration at ${path} under base or head`,
      hint: "name the alertmanager.yml the rule files' alerts are sent to, relative to the repository root",
    });
  return chained;
}

/** Runs the whole diff and returns the report (pure data; render it with any renderer). */
export async function runDiff(options: DiffRunOptions): Promise<Report> {
  const { base, head } = await resolvePolicies(options.base, options.head, options.cwd);
  if (base.policies.length + base.others.length === 0 && head.policies.length + head.others.length === 0) fail({ file: "replay-gate diff", message: "no policies on either side" });
  const baseAll = [...base.policies, ...base.others],
    headAll = [...head.policies, ...head.others];
  const chained = await readChainedConfigs(base, head, base.others.length + head.others.length > 0 ? options.kindSettings : undefined, options.config?.file, options.cwd);
  const { pairs, kindPairs } = pairSides(baseAll, headAll, options.kindSettings, chained);
  // Fail closed: a kind whose comparison the report cannot carry is refused, never passed.
  const notYet = kindPairs.find((p) => (p.head ?? p.base)!.seam.kind.compare === undefined);
  if (notYet)
    fail({
      file: (notYet.head ?? notYet.base)!.file,
      message: `diff, check and the gate cannot compare ${(notYet.head ?? notYet.base)!.seam.kind.label} files yet`,
      hint: "replay-gate replay --policy <file> shows what each version fires; leave the file out of policies: until the gate supports its kind",
    });
  const dirs = await expandWindowArgs(options.windows.map((w) => (w.startsWith("/") ? w : join(options.cwd, w))));
  const sources = await loadWindowSources(dirs, options.warn, { ...options.limits, cacheDir: options.cacheDir, progress: options.readProgress });
  const plan: DiffPlan = {
    pairs,
    kindPairs,
    determinism: options.thresholds.determinism,
    keep: options.prefixBuffer ?? PREFIX_BUFFER_EVENTS,
    evidence: options.onEvidence !== undefined,
    timings: options.timings !== undefined,
  };
  const replayed: { src: WindowSource; dir: string }[] = [];
  for (const src of sources) {
    const { planned, kindPlanned } = planWindow(plan, src);
    const dir = displayDir(src.dir, options.cwd);
    if (planned.length === 0 && kindPlanned.length === 0) options.warn(`${dir}: no policy covers this window's scope (or reads its signals); it is reported, not replayed`);
    else replayed.push({ src, dir });
    const capacity = { id: src.manifest.id, events: src.manifest.events.count, spanMs: src.endMs - src.startMs };
    for (const p of planned) {
      const sides = [p.base ? p.pair.base : null, p.head ? p.pair.head : null];
      for (const policy of sides) if (policy) for (const problem of unreachableThresholds(policy, capacity)) options.warn(formatProblem(problem));
    }
  }
  const texts = (side: readonly AnyPolicy[]) => side.map((p) => ({ text: p.text, file: p.file }));
  const init: DiffPlanTexts = {
    base: texts(baseAll),
    head: texts(headAll),
    kindSettings: options.kindSettings,
    chained,
    determinism: plan.determinism,
    keep: plan.keep,
    evidence: plan.evidence,
    timings: plan.timings,
  };
  const outcomes = await replayWindows(replayed, options.jobs ?? 1, options.readProgress, {
    inProcess: (w) => replayDiffWindow(plan, w.src, w.dir, options.onProgress),
    worker: { kind: "diff", plan: init },
  });
  const byWindow = new Map<WindowSource, WindowOutcome>();
  replayed.forEach((w, i) => byWindow.set(w.src, outcomes[i]!));
  const windows: WindowInput[] = [];
  for (const src of sources) {
    const outcome = byWindow.get(src);
    if (outcome?.evidence) options.onEvidence?.(outcome.evidence);
    if (outcome?.timings && options.timings) addTimings(options.timings, outcome.timings);
    const m = src.manifest;
    windows.push({
      info: { id: m.id, title: m.title, dir: displayDir(src.dir, options.cwd), scope: m.scope, expect: m.expect },
      manifestSha256: `sha256:${sha256Hex(src.manifestText)}`,
      events: m.events,
      comparisons: outcome?.comparisons ?? [],
      kindComparisons: outcome?.kindComparisons ?? [],
    });
  }
  const t = performance.now();
  const report = buildDiffReport({ base: base.source, head: head.source, pairs, kindPairs, windows, config: options.config, thresholds: options.thresholds, chained, settings: options.kindSettings });
  if (options.timings) options.timings.report += performance.now() - t;
  return report;
}

function addTimings(sum: DiffTimings, add: DiffTimings): void {
  sum.ingest += add.ingest;
  sum.correlation += add.correlation;
  sum.aggregation += add.aggregation;
  sum.report += add.report;
}

/** Window dirs in the report are relative to the working directory, so reports agree across machines. */
function displayDir(dir: string, cwd: string): string {
  const prefix = cwd.endsWith("/") ? cwd : `${cwd}/`;
  return dir.startsWith(prefix) ? dir.slice(prefix.length) : dir;
}
