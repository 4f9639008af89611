// Regenerates the golden files on purpose (UPDATE_GOLDEN=1): every test that compares output with a
// committed golden through test/support/golden.ts. Review the diff before committing.
import { spawnSync } from "node:child_process";

const GOLDEN_TESTS = ["test/parity/golden.test.ts", "test/parity/cli.test.ts", "test/action/golden.test.ts", "test/e2e/replay-cli.test.ts", "test/evidence/bundle.test.ts"];
const r = spawnSync("npx", ["vitest", "run", ...GOLDEN_TESTS], { stdio: "inherit", env: { ...process.env, UPDATE_GOLDEN: "1" } });
process.exitCode = r.status ?? 1;
