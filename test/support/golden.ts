/**
 * Golden files, compared byte for byte. A missing golden fails the test (a test that writes its
 * own expectation proves nothing); only `UPDATE_GOLDEN=1` rewrites one, on purpose, and a person
 * reads the diff before committing it (`node scripts/update-golden.mjs` runs the golden tests so).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, relative } from "node:path";
import { expect } from "vitest";
import { ROOT } from "./cli.js";

/** True only for `UPDATE_GOLDEN=1`: `0`, `false` or an empty value never rewrite a golden. */
export function updatingGoldens(env: NodeJS.ProcessEnv = process.env): boolean {
  return env["UPDATE_GOLDEN"] === "1";
}

/**
 * Asserts that `actual` equals the golden file at `file` (absolute) byte for byte. With
 * UPDATE_GOLDEN=1 it first writes `actual` there; without it a missing golden is a failure that
 * says how to create it.
 */
export function expectGolden(file: string, actual: string, env: NodeJS.ProcessEnv = process.env): void {
  const shown = relative(ROOT, file);
  if (updatingGoldens(env)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
  } else if (!existsSync(file)) {
    throw new Error(`golden file ${shown} is missing; create it with UPDATE_GOLDEN=1 and review it before committing`);
  }
  expect(actual, `${shown} differs from the output (UPDATE_GOLDEN=1 rewrites it; review the diff)`).toBe(readFileSync(file, "utf8"));
}
