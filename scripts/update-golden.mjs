// Regenerates the golden files on purpose (UPDATE_GOLDEN=1): every test file that compares output
// with a committed golden through test/support/golden.ts's expectGolden. Review the diff before committing.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The test files under test/ that call expectGolden (the helper's own tests excepted), sorted. */
function goldenTests() {
  const found = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".test.ts") && readFileSync(path, "utf8").includes("expectGolden(")) found.push(relative(ROOT, path));
    }
  };
  walk(join(ROOT, "test"));
  return found.filter((f) => f !== join("test", "support", "golden.test.ts")).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

const files = goldenTests();
process.stdout.write(`rewriting the goldens of ${files.length} test files:\n${files.map((f) => `  ${f}`).join("\n")}\n`);
const r = spawnSync(process.execPath, [join(ROOT, "node_modules", "vitest", "vitest.mjs"), "run", ...files], { cwd: ROOT, stdio: "inherit", env: { ...process.env, UPDATE_GOLDEN: "1" } });
process.exitCode = r.status ?? 1;
