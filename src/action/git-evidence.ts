/**
 * Git in the runner's checkout: which commit is actually checked out, changed files when the API
 * cannot list them, and the evidence digest at any commit (policies of every kind, window manifests
 * and the Alertmanager configuration rule files are chained into, as committed there, and the gate
 * config's settings that change their results), so an approval on an older commit can be compared
 * with head.
 */
import { computeEvidenceDigest, type EvidencePolicy, type EvidenceWindow } from "../core/approvals/evidence.js";
import { evidenceSettings } from "../core/approvals/evidence-settings.js";
import { compareStrings } from "../core/compare.js";
import { DEFAULT_CONFIG, parseConfigText, type ReplayGateConfig } from "../core/config.js";
import { InputError } from "../core/errors.js";
import { sha256Hex } from "../core/hash.js";
import { isCorrelation, loadAnyPolicy } from "../core/kinds/any-policy.js";
import { manifestSchema } from "../core/window/manifest.js";
import { parseYaml, validateYaml } from "../core/yaml.js";
import { git, mergeBase, resolveCommit } from "../io/git.js";
import { specPathsAtCommit } from "../io/spec-files.js";

/** The pull request head the workspace holds: HEAD, or the head parent of GitHub's merge ref. */
export async function checkedOutHead(cwd: string, expected: string | undefined): Promise<{ head: string; mergeRef: boolean }> {
  const head = await resolveCommit("HEAD", cwd);
  if (head === null) throw new Error(`the workspace ${cwd} is not a git checkout; add actions/checkout (with fetch-depth: 0) before replay-gate`);
  if (expected === undefined || head === expected) return { head, mergeRef: false };
  const second = await resolveCommit("HEAD^2", cwd);
  if (second !== null) return { head: second, mergeRef: true };
  return { head, mergeRef: false };
}

/** Makes sure `sha` is present, fetching it from origin when the checkout was shallow. */
export async function ensureCommit(sha: string, cwd: string): Promise<boolean> {
  if ((await resolveCommit(sha, cwd)) !== null) return true;
  try {
    await git(["fetch", "--no-tags", "--depth=1", "origin", sha], cwd);
  } catch {
    return false;
  }
  return (await resolveCommit(sha, cwd)) !== null;
}

/** Files changed between the merge base of base and head, and head (`git diff base...head`). */
export async function changedFilesByGit(base: string, head: string, cwd: string): Promise<string[]> {
  const out = await git(["diff", "--name-only", "-z", "--no-renames", `${base}...${head}`, "--"], cwd);
  return out
    .split("\0")
    .filter((p) => p !== "")
    .sort(compareStrings);
}

/** git's `<rev>:./<path>`, for a path relative to the checkout with or without a leading `./`. */
const atCommit = (commit: string, path: string) => `${commit}:./${path.replace(/^(\.\/)+/, "")}`;

async function show(commit: string, path: string, cwd: string): Promise<string | null> {
  try {
    return await git(["show", atCommit(commit, path)], cwd);
  } catch {
    return null;
  }
}

/**
 * The chained Alertmanager configuration's `sha256:` at `commit`, or null when the commit has no
 * file at `path`. Anything else git cannot answer throws: a read failure is not an absent file,
 * which would make two unreadable commits look alike.
 */
async function chainedHashAt(commit: string, path: string, cwd: string): Promise<string | null> {
  const entry = await git(["ls-tree", "-z", commit, "--", path], cwd);
  if (entry === "") return null;
  if (!entry.includes(" blob ")) throw new Error(`${path} at ${commit} is not a file`);
  return `sha256:${sha256Hex(await git(["show", atCommit(commit, path)], cwd))}`;
}

/**
 * The evidence digest at `commit` under `config` (its policy and window paths, its result-changing
 * settings for the kinds of policy the commit has, and `prometheus_rules.alertmanager`), or null
 * when the commit or a policy there cannot be read.
 * Policies are loaded as the diff loads them (every kind, named as the report names head's), so
 * the digest equals the report's `inputs.evidence_digest` for the same commit.
 */
export async function evidenceDigestAt(commit: string, config: ReplayGateConfig, cwd: string): Promise<string | null> {
  if (!(await ensureCommit(commit, cwd))) return null;
  try {
    const policies: EvidencePolicy[] = [];
    let rules = false,
      alertmanager = false;
    for (const spec of config.policies) {
      for (const file of (await specPathsAtCommit(commit, spec, cwd, "policies")).paths) {
        const text = await show(commit, file, cwd);
        if (text === null) continue;
        // Labelled with the bare path, as the head side's working-tree files are: kinds without
        // names of their own take the file's base name, which a `<commit>:` prefix would change.
        const loaded = loadAnyPolicy(text, file);
        if (isCorrelation(loaded)) policies.push({ name: loaded.doc.metadata.name, specHash: loaded.specHash });
        else {
          policies.push({ name: loaded.name, specHash: loaded.specHash });
          rules ||= loaded.kind === "prometheus-rules";
          alertmanager ||= loaded.kind === "alertmanager";
        }
      }
    }
    // The report records a chained configuration only for a side that has rule files to send through it.
    const chainedPath = config.prometheus_rules?.alertmanager;
    const chainedAlertmanager = chainedPath !== undefined && rules ? await chainedHashAt(commit, chainedPath, cwd) : undefined;
    const windows: EvidenceWindow[] = [];
    const dirs = new Set<string>();
    for (const spec of config.windows) for (const dir of (await specPathsAtCommit(commit, spec, cwd, "windows")).paths) dirs.add(dir);
    for (const dir of [...dirs].sort(compareStrings)) {
      const text = await show(commit, `${dir}/window.yaml`, cwd);
      if (text === null) continue;
      const manifest = validateYaml(parseYaml(text, `${dir}/window.yaml`), manifestSchema);
      windows.push({ id: manifest.id, manifestSha256: `sha256:${sha256Hex(text)}`, eventsSha256: manifest.events.sha256 });
    }
    return computeEvidenceDigest({ policies, windows, chainedAlertmanager, settings: evidenceSettings(config, { alertmanager, rules }) });
  } catch {
    return null;
  }
}

/** Most versions of the gate config an approval's evidence is recomputed under; beyond, it fails closed. */
export const MAX_REVIEW_CONFIG_VERSIONS = 16;

/** The blob id of `path` at `commit`, or null when the commit has no file there. */
async function blobAt(commit: string, path: string, cwd: string): Promise<string | null> {
  const entry = await git(["ls-tree", "-z", commit, "--", path], cwd);
  const m = /^[0-7]+ blob ([0-9a-f]{40,64})\t/.exec(entry);
  return m === null ? null : m[1]!;
}

/**
 * The evidence digest an approval of `commit` was given on, for comparing with head's. The
 * approving run read the gate config at its own base commit, which git does not record: any
 * version of `configPath` the base branch had between the merge base of `commit` and `base` and
 * `base` itself may be the one. The digest is `evidenceDigestAt(commit, config)` when every such
 * version gives that same digest (a version changing only thresholds or approvals does); else the
 * first differing one (newest first), so the approval compares unequal with head and does not
 * carry over: the reviewer may have seen a replay under other settings. A version that does not
 * parse is skipped (no run replays under it); null when git cannot tell (no merge base, more than
 * {@link MAX_REVIEW_CONFIG_VERSIONS} versions, a commit or policy that cannot be read).
 */
export async function reviewedEvidenceDigest(commit: string, base: string, config: ReplayGateConfig, configPath: string, cwd: string): Promise<string | null> {
  const current = await evidenceDigestAt(commit, config, cwd);
  if (current === null) return null;
  const fork = await mergeBase(commit, base, cwd);
  if (fork === null) return null;
  try {
    const changed = (await git(["log", "--format=%H", `${fork}..${base}`, "--", configPath], cwd)).split("\n").filter((c) => c !== "");
    const inEffect = await blobAt(base, configPath, cwd);
    const versions: (string | null)[] = [];
    for (const c of [...changed, fork]) {
      const blob = await blobAt(c, configPath, cwd);
      if (blob !== inEffect && !versions.includes(blob)) versions.push(blob);
      if (versions.length > MAX_REVIEW_CONFIG_VERSIONS) return null;
    }
    for (const blob of versions) {
      const text = blob === null ? null : await git(["cat-file", "blob", blob], cwd);
      let then: ReplayGateConfig;
      try {
        then = text === null ? DEFAULT_CONFIG : parseConfigText(text, `${blob}:${configPath}`);
      } catch (error) {
        if (error instanceof InputError) continue;
        throw error;
      }
      const digest = await evidenceDigestAt(commit, then, cwd);
      if (digest !== current) return digest;
    }
    return current;
  } catch {
    return null;
  }
}
