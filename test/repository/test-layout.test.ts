/**
 * The test folders mirror src/: a test of `src/core/comment/` lives in `test/core/comment/`, so the
 * tests of a module are found where the module is. Besides the mirrored folders (action, cli,
 * core, io), test/ holds only what tests no single module: end-to-end runs of the built bundles
 * (e2e), the GitHub emulator's own tests (emulator), fixtures, repository checks and the shared
 * helpers (support). Golden files and fixtures sit in `golden/` and `fixtures/` beside their tests.
 * docs/development.md ("Test layout") says the same for a person.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { compareStrings } from "../../src/core/compare.js";
import { ROOT } from "../support/cli.js";

const TEST = join(ROOT, "test");
const SRC = join(ROOT, "src");

/** test/<name> mirrors src/<name>. */
const MIRRORED = ["action", "cli", "core", "io"] as const;
/** test/<name> tests no single module of src/. */
const CROSS_CUTTING = ["e2e", "emulator", "fixtures", "repository", "support"] as const;
/** Data beside the tests that read it, in any folder. */
const DATA_FOLDERS = new Set(["golden", "fixtures"]);

/** Sub-folders of `dir`, sorted, as paths relative to `base`. */
function folders(dir: string, base: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort(compareStrings)
    .flatMap((name) => (DATA_FOLDERS.has(name) ? [] : [relative(base, join(dir, name)), ...folders(join(dir, name), base)]));
}

/** The folders under a mirrored test folder that name no folder of src/. */
function unmirrored(testRoot: string, srcRoot: string, top: string): string[] {
  const here = join(testRoot, top);
  if (!existsSync(here)) return [];
  return folders(here, testRoot).filter((f) => !(existsSync(join(srcRoot, f)) && statSync(join(srcRoot, f)).isDirectory()));
}

describe("test/", () => {
  it("holds only folders that mirror src/ and the cross-cutting ones", () => {
    const allowed = new Set<string>([...MIRRORED, ...CROSS_CUTTING]);
    const top = readdirSync(TEST, { withFileTypes: true }).filter((e) => e.isDirectory());
    expect(top.map((e) => e.name).filter((n) => !allowed.has(n))).toEqual([]);
    for (const name of MIRRORED) expect(statSync(join(SRC, name)).isDirectory(), `src/${name}`).toBe(true);
  });

  it.each(MIRRORED.map((m) => [m]))("test/%s/ has no folder that src/ does not (golden/ and fixtures/ aside)", (top) => {
    expect(unmirrored(TEST, SRC, top).map((f) => `test/${f}`)).toEqual([]);
  });

  it("keeps no test file loose at the top of test/", () => {
    const loose = readdirSync(TEST, { withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith(".ts"));
    expect(loose.map((e) => e.name)).toEqual([]);
  });

  it("names a folder that src/ lacks, and passes one it has (the checker itself)", () => {
    expect(unmirrored(TEST, SRC, "core")).toEqual([]);
    // Against a src/ that holds nothing, every folder of test/core/ is named.
    expect(unmirrored(TEST, join(TEST, "no-such-src"), "core")).toContain(join("core", "engine"));
  });
});
