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
import type { ReplayGateConfig } from "../core/config.js";
import { sha256Hex } from "../core/hash.js";
import { isCorrelation, loadAnyPolicy } from "../core/kinds/any-policy.js";
import { manifestSchema } from "../core/window/manifest.js";
import { parseYaml, validateYaml } from "../core/yaml.js";
import { git, resolveCommit } from "../io/git.js";
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
