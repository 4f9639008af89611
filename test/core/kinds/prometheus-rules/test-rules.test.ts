import { execFile } from "node:child_process";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { expandSeriesValues } from "../../../../src/core/kinds/prometheus-rules/unit-test.js";
import { runRulesTestFile } from "../../../../src/io/rules-unit-test.js";
import { promtoolPath } from "./promtool.js";

const run = promisify(execFile);
const DIR = path.resolve(import.meta.dirname, "../../../../fixtures/realdata/prometheus-rules");
const promtool = promtoolPath();

async function promtoolVerdict(dir: string, file: string): Promise<"pass" | "fail" | "skipped"> {
  if (promtool === undefined) return "skipped";
  try {
    await run(promtool, ["test", "rules", file], { cwd: dir });
    return "pass";
  } catch {
    return "fail";
  }
}

describe("test-rules: promtool unit-test files under replay-gate's evaluator", () => {
  it("expands promtool's series notation: a+bxN, axN, _ and _xN gaps, stale markers, negative steps", () => {
    expect(expandSeriesValues("1+2x3 _ 5 stale _x2 10-1x2 7x1")).toEqual([1, 3, 5, 7, null, 5, "stale", null, null, 10, 9, 8, 7, 7]);
    expect(expandSeriesValues("1 two")).toBeUndefined();
  });

  it("passes the msft-mongo suite over real Microsoft RPS series, as promtool does", async () => {
    const r = await runRulesTestFile(path.join(DIR, "msft-mongo-rules_test.yaml"));
    expect(r.failures).toEqual([]);
    expect(r.assertions).toBe(4);
    expect(["pass", "skipped"]).toContain(await promtoolVerdict(DIR, "msft-mongo-rules_test.yaml"));
  });

  it("fails a suite whose expectation is wrong (mongo-01 is only pending at 16:58), and so does promtool", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "rg-test-rules-"));
    try {
      await cp(path.join(DIR, "msft-mongo-rules.yaml"), path.join(dir, "msft-mongo-rules.yaml"));
      const text = await readFile(path.join(DIR, "msft-mongo-rules_test.yaml"), "utf8");
      const wrong = text.replace(
        "eval_time: 28m   # 16:58Z: mongo-02 below threshold since 16:57 -> firing; mongo-01 only pending\n    alertname: MongoAppRpsDrop\n    exp_alerts:\n",
        'eval_time: 28m\n    alertname: MongoAppRpsDrop\n    exp_alerts:\n    - exp_labels: {severity: warning, scenario: mongo-01}\n      exp_annotations: {summary: "RPS for mongo-01 dropped below 75% of its 15m baseline"}\n',
      );
      expect(wrong).not.toBe(text);
      await writeFile(path.join(dir, "t.yaml"), wrong);
      const r = await runRulesTestFile(path.join(dir, "t.yaml"));
      expect(r.failures.map((f) => f.what.split("\n")[0])).toEqual(["alertname: MongoAppRpsDrop, time: 28m"]);
      expect(["fail", "skipped"]).toContain(await promtoolVerdict(dir, "t.yaml"));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
