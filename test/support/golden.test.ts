/** The one golden helper: a missing golden fails, and only UPDATE_GOLDEN=1 rewrites a golden. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { expectGolden, updatingGoldens } from "./golden.js";

describe("expectGolden", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "rg-golden-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("fails when the golden is missing and does not create it", () => {
    const file = join(dir, "missing.txt");
    expect(() => expectGolden(file, "output\n", {})).toThrow(/golden file .*missing\.txt is missing; create it with UPDATE_GOLDEN=1/);
    expect(existsSync(file)).toBe(false);
  });

  it("passes when the output equals the golden byte for byte", () => {
    const file = join(dir, "same.txt");
    writeFileSync(file, "a\r\nb\n");
    expect(() => expectGolden(file, "a\r\nb\n", {})).not.toThrow();
  });

  it("fails on a difference of one trailing newline", () => {
    const file = join(dir, "newline.txt");
    writeFileSync(file, "a\n");
    expect(() => expectGolden(file, "a", {})).toThrow(/differs from the output/);
  });

  it.each(["0", "false", "", "yes", "true"])("leaves a differing golden alone and fails with UPDATE_GOLDEN=%j", (value) => {
    const file = join(dir, "kept.txt");
    writeFileSync(file, "old\n");
    expect(() => expectGolden(file, "new\n", { UPDATE_GOLDEN: value })).toThrow(/differs from the output/);
    expect(readFileSync(file, "utf8")).toBe("old\n");
  });

  it("rewrites a differing golden, and creates a missing one with its folder, with UPDATE_GOLDEN=1", () => {
    const kept = join(dir, "kept.txt");
    writeFileSync(kept, "old\n");
    expectGolden(kept, "new\n", { UPDATE_GOLDEN: "1" });
    expect(readFileSync(kept, "utf8")).toBe("new\n");
    const fresh = join(dir, "sub", "fresh.txt");
    expectGolden(fresh, "fresh\n", { UPDATE_GOLDEN: "1" });
    expect(readFileSync(fresh, "utf8")).toBe("fresh\n");
  });

  it("reads UPDATE_GOLDEN=1 as the only request to rewrite", () => {
    expect(updatingGoldens({ UPDATE_GOLDEN: "1" })).toBe(true);
    expect(updatingGoldens({ UPDATE_GOLDEN: "0" })).toBe(false);
    expect(updatingGoldens({})).toBe(false);
  });
});
