/**
 * Finding a window already pinned with the same events: two windows with one events hash are one
 * window (docs/formats.md#pinned-window), so capture reports the existing one instead of writing a copy.
 */
import { readdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseYaml } from "../../core/yaml.js";

/** The directory of a window in `library` whose `events.sha256` is `sha256`, skipping `except`. */
export async function findWindowWithHash(library: string, sha256: string, except: readonly string[]): Promise<string | undefined> {
  let entries;
  try {
    entries = await readdir(library, { withFileTypes: true });
  } catch {
    return undefined;
  }
  const skip = new Set(except.map((p) => resolve(p)));
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const name of names) {
    const dir = join(library, name);
    if (skip.has(resolve(dir))) continue;
    let text: string;
    try {
      text = await readFile(join(dir, "window.yaml"), "utf8");
    } catch {
      continue;
    }
    try {
      const doc = parseYaml(text, join(dir, "window.yaml")).value as { events?: { sha256?: unknown } } | null;
      if (doc?.events?.sha256 === sha256) return dir;
    } catch {
      // A broken manifest is `replay-gate verify`'s to report, not capture's.
    }
  }
  return undefined;
}
