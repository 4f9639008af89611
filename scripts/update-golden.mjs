// Regenerates the parity golden files (test/golden/) on purpose; review the diff before committing.
import { spawnSync } from "node:child_process";

const r = spawnSync("npx", ["vitest", "run", "test/parity/golden.test.ts", "test/parity/cli.test.ts"], { stdio: "inherit", env: { ...process.env, UPDATE_GOLDEN: "1" } });
process.exitCode = r.status ?? 1;
