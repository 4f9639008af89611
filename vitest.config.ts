import { availableParallelism } from "node:os";
import { configDefaults, defineConfig } from "vitest/config";

/**
 * Tests that compare against a real program on the wall clock (the real Alertmanager's timers):
 * they run last, with nothing else of the suite beside them, so that our own other test files
 * cannot delay a notification past the bounds those tests allow.
 */
const REAL_TIME = ["test/core/kinds/alertmanager/differential.test.ts"];

const shared = {
  // Records each file's CPU and wall seconds for `node scripts/test-profile.mjs`; inert otherwise.
  setupFiles: ["test/support/profile-setup.ts"],
  // A fresh process per test file: tests change directory and start servers, and forks keep one
  // file's process state from leaking into the next.
  pool: "forks",
  // Generous, since the machine is shared; no test asserts on time (performance is `npm run bench`).
  testTimeout: 120_000,
  hookTimeout: 120_000,
} as const;

export default defineConfig({
  test: {
    // One test file per core, plus one. Vitest's default is one fewer than the cores — on the
    // 2-core CI machine a single file at a time — but a test file's worker spends much of its time
    // waiting: on what it started (git, promtool, amtool, Chromium, the built CLI) and, in the
    // Action's tests, on Octokit's own pacing (writes 1 s apart, comments 3 s apart) and real
    // `retry-after` delays. Measured on 2 idle cores: 2 workers 256 s, 3 workers 240 s.
    maxWorkers: availableParallelism() + 1,
    projects: [
      {
        test: {
          name: "suite",
          include: ["test/**/*.test.ts"],
          exclude: [...configDefaults.exclude, ...REAL_TIME],
          // Build dist/ first: end-to-end tests run the bundles, and must never run stale ones.
          globalSetup: ["test/support/build-dist.ts"],
          ...shared,
        },
      },
      { test: { name: "real-time", include: REAL_TIME, sequence: { groupOrder: 1 }, ...shared } },
    ],
  },
});
