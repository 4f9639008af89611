/** Finding windows on disk and replaying them, shared by the CLI and the Action. */
import { readdir, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { compareStrings } from "../core/compare.js";
import { Engine, type EngineOptions } from "../core/engine/engine.js";
import type { EngineResult } from "../core/engine/types.js";
import { InputError, type Problem } from "../core/errors.js";
import type { CompiledPolicy } from "../core/policy/compile.js";
import { isGlob, matchSegmentGlob } from "../core/path-glob.js";
import { replayPass } from "./replay-pass.js";
import { readWindowManifest, type StreamOptions, type WindowReadLimits, type WindowSource } from "./window.js";
import { appendAll } from "../core/arrays.js";

async function isDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function hasManifest(dir: string): Promise<boolean> {
  try {
    return (await stat(join(dir, "window.yaml"))).isFile();
  } catch {
    return false;
  }
}

/**
 * Expands window arguments: a window directory, a directory of windows, or a path whose last
 * segment is a glob (`policies/windows/*`, quoted so the shell leaves it alone; see core/path-glob.ts).
 */
export async function expandWindowArgs(args: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  const problems: Problem[] = [];
  for (const arg of args) {
    const name = basename(arg);
    if (isGlob(name)) {
      const parent = dirname(arg);
      const glob = (entry: string) => matchSegmentGlob(name, entry);
      let entries: string[] = [];
      try {
        entries = (await readdir(parent)).filter(glob).sort(compareStrings);
      } catch {
        problems.push({ file: arg, message: `no such directory ${parent}` });
        continue;
      }
      const dirs: string[] = [];
      for (const e of entries) if (await hasManifest(join(parent, e))) dirs.push(join(parent, e));
      if (dirs.length === 0) problems.push({ file: arg, message: "matches no window directory" });
      appendAll(out, dirs);
    } else if (await hasManifest(arg)) {
      out.push(arg);
    } else if (await isDir(arg)) {
      const entries = (await readdir(arg)).sort(compareStrings);
      const dirs: string[] = [];
      for (const e of entries) if (await hasManifest(join(arg, e))) dirs.push(join(arg, e));
      if (dirs.length === 0) problems.push({ file: arg, message: "is neither a window (no window.yaml) nor a directory of windows" });
      appendAll(out, dirs);
    } else {
      problems.push({ file: arg, message: "no such window directory" });
    }
  }
  if (problems.length > 0) throw new InputError(problems);
  return out;
}

/**
 * Reads every manifest, reporting all invalid ones together. Windows pinning the same events
 * hash are one window: later ones are dropped with a warning.
 */
export async function loadWindowSources(dirs: readonly string[], warn: (message: string) => void, limits: WindowReadLimits = {}): Promise<WindowSource[]> {
  const problems: Problem[] = [];
  const sources: WindowSource[] = [];
  const byHash = new Map<string, WindowSource>();
  const byId = new Map<string, WindowSource>();
  for (const dir of dirs) {
    try {
      const src = await readWindowManifest(dir, limits);
      const twin = byHash.get(src.manifest.events.sha256);
      if (twin) {
        warn(`${dir}: pins the same events (sha256 ${src.manifest.events.sha256.slice(0, 12)}…) as ${twin.dir}; replaying it once`);
        continue;
      }
      const sameId = byId.get(src.manifest.id);
      if (sameId) {
        const other = sameId.idLine === undefined ? sameId.manifestPath : `${sameId.manifestPath}:${sameId.idLine}`;
        problems.push({ file: src.manifestPath, line: src.idLine, path: "id", message: `window id "${src.manifest.id}" is also used by ${other}`, hint: "window ids must be unique in a library" });
        continue;
      }
      byHash.set(src.manifest.events.sha256, src);
      byId.set(src.manifest.id, src);
      sources.push(src);
    } catch (err) {
      if (err instanceof InputError) appendAll(problems, err.problems);
      else throw err;
    }
  }
  if (problems.length > 0) throw new InputError(problems);
  limits.progress?.plan(sources);
  return sources;
}

/**
 * Replays the window's events through one engine per policy in a single pass (read and parse
 * once, feed all), verifying the pin on the same read. Results are returned only when the
 * whole window verified.
 */
export async function replayWindow(src: WindowSource, policies: readonly CompiledPolicy[], options: StreamOptions & EngineOptions = {}): Promise<EngineResult[]> {
  const engines = policies.map((p) => new Engine(p, { windowEvents: src.manifest.events.count, ...options }));
  await replayPass(src, { ...options, engines });
  return engines.map((e) => e.finish());
}
