import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Build dist/ first: end-to-end tests run the bundles, and must never run stale ones.
    globalSetup: ["test/support/build-dist.ts"],
    // Records each file's CPU and wall seconds for `node scripts/test-profile.mjs`; inert otherwise.
    setupFiles: ["test/support/profile-setup.ts"],
    // A fresh process per test file (isolate): tests change directory and start servers, and
    // vitest's default "forks" isolation keeps one file's process state from leaking into the next.
    pool: "forks",
    // One test file per core. Vitest's default is one fewer than the cores — on the 2-core CI
    // machine a single file at a time — but a test file's worker spends much of its time waiting
    // on what it started (git, promtool, Alertmanager, Chromium, the built CLI), so a second
    // worker keeps both cores busy; more than one per core only adds contention.
    maxWorkers: Math.max(2, availableParallelism()),
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
