import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Build dist/ first: end-to-end tests run the bundles, and must never run stale ones.
    globalSetup: ["test/support/build-dist.ts"],
    // Records each file's CPU and wall seconds for `node scripts/test-profile.mjs`; inert otherwise.
    setupFiles: ["test/support/profile-setup.ts"],
    // End-to-end suites spawn processes, git and a browser; keep them from starving each other on 2 cores.
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
