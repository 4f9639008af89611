/**
 * action.yml and every workflow we ship or recommend, checked with GitHub's own workflow parser,
 * plus the invariants a reviewer would look for: least-privilege permissions everywhere, no
 * pull_request_target, inputs and outputs in action.yml exactly the ones the code reads and sets.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { INPUTS, OUTPUTS } from "../../src/action/inputs.js";
import { loadWorkflowParser, type WorkflowParser } from "../support/action-workflow-parser.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
let parser: WorkflowParser;

beforeAll(async () => {
  parser = await loadWorkflowParser();
});

async function workflowFiles(): Promise<string[]> {
  const dirs = [".github/workflows", "docs/workflows"];
  const out: string[] = [];
  for (const dir of dirs) for (const name of (await readdir(path.join(ROOT, dir))).sort()) if (name.endsWith(".yml")) out.push(`${dir}/${name}`);
  return out;
}

describe("action.yml", () => {
  it("is a valid action that runs dist/index.js on node24", async () => {
    const content = await readFile(path.join(ROOT, "action.yml"), "utf8");
    const result = parser.parseAction({ name: "action.yml", content }, new parser.NoOperationTraceWriter());
    expect(result.context.errors.getErrors().map((e) => e.message)).toEqual([]);
    const doc = parse(content) as { runs: { using: string; main: string }; inputs: Record<string, unknown>; outputs: Record<string, unknown> };
    expect(doc.runs).toEqual({ using: "node24", main: "dist/index.js" });
    expect(Object.keys(doc.inputs).sort()).toEqual(Object.values(INPUTS).sort());
    expect(Object.keys(doc.outputs).sort()).toEqual(Object.values(OUTPUTS).sort());
  });
});

describe("workflows", () => {
  it("ships the CI, the self-test and the six documented examples", async () => {
    expect(await workflowFiles()).toEqual([
      ".github/workflows/ci.yml",
      ".github/workflows/self-test.yml",
      "docs/workflows/fork-commenter.yml",
      "docs/workflows/merge-queue.yml",
      "docs/workflows/pull-request-gate.yml",
      "docs/workflows/review-reevaluation.yml",
      "docs/workflows/scheduled-regression.yml",
      "docs/workflows/sharded-matrix.yml",
    ]);
  });

  it("the parser does catch a broken workflow (so a clean parse means something)", () => {
    const content = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    permissions: { contents: sometimes }\n    steps:\n      - uses: ./\n        wiht: {}\n";
    const result = parser.parseWorkflow({ name: "broken.yml", content }, new parser.NoOperationTraceWriter());
    expect(result.context.errors.getErrors().length).toBeGreaterThan(0);
  });

  it("parse without errors, declare least-privilege permissions and never use pull_request_target", async () => {
    for (const file of await workflowFiles()) {
      const content = await readFile(path.join(ROOT, file), "utf8");
      const result = parser.parseWorkflow({ name: file, content }, new parser.NoOperationTraceWriter());
      expect(result.context.errors.getErrors().map((e) => e.message), file).toEqual([]);
      const doc = parse(content) as { on: Record<string, unknown>; permissions?: Record<string, string> | string; jobs: Record<string, { permissions?: unknown }> };
      expect(Object.keys(doc.on), file).not.toContain("pull_request_target");
      expect(typeof doc.permissions, `${file} has a top-level permissions map`).toBe("object");
      for (const [scope, level] of Object.entries(doc.permissions as Record<string, string>)) {
        expect(["read", "write", "none"], `${file}: ${scope}`).toContain(level);
        if (level === "write") expect(["pull-requests", "statuses", "issues"], `${file}: ${scope} write`).toContain(scope);
      }
    }
  });

  it("the self-test runs the action from this checkout with the permissions its surfaces need", async () => {
    const doc = parse(await readFile(path.join(ROOT, ".github/workflows/self-test.yml"), "utf8")) as { permissions: unknown; jobs: { gate: { steps: { uses?: string }[] } } };
    expect(doc.permissions).toEqual({ contents: "read", "pull-requests": "write", statuses: "write" });
    expect(doc.jobs.gate.steps.map((s) => s.uses)).toContain("./");
  });

  it("the sharded example gates after the shards even when one failed or was cancelled, and shard 1 may set pending", async () => {
    const doc = parse(await readFile(path.join(ROOT, "docs/workflows/sharded-matrix.yml"), "utf8")) as { jobs: Record<string, { needs?: string; if?: string; permissions?: Record<string, string> }> };
    expect(doc.jobs["gate"]).toMatchObject({ needs: "replay", if: "always()" });
    expect(doc.jobs["replay"]?.permissions?.["statuses"]).toBe("write");
  });

  it("every job in the YAML snippets of the docs and the README names runs-on", async () => {
    for (const file of ["README.md", "docs/action.md"]) {
      const text = await readFile(path.join(ROOT, file), "utf8");
      for (const block of text.matchAll(/```yaml\n([\s\S]*?)```/g)) {
        const doc = parse(block[1]!) as { jobs?: Record<string, { "runs-on"?: unknown; uses?: unknown }> } | null;
        for (const [name, job] of Object.entries(doc?.jobs ?? {})) expect(job["runs-on"] ?? job.uses, `${file}: job ${name}`).toBeDefined();
      }
    }
  });

  it("the README's and the gate example's team approvers come with an approvals-token from a GitHub App", async () => {
    const readme = await readFile(path.join(ROOT, "README.md"), "utf8");
    expect(readme).toContain("from: [team:noc-reviewers, user:alice]");
    expect(readme).toContain("approvals-token: ${{ steps.app-token.outputs.token }}");
    for (const file of ["docs/workflows/pull-request-gate.yml", ".github/workflows/self-test.yml"]) {
      const doc = parse(await readFile(path.join(ROOT, file), "utf8")) as { jobs: { gate: { steps: { id?: string; uses?: string; with?: Record<string, string> }[] } } };
      const steps = doc.jobs.gate.steps;
      expect(steps.find((s) => s.id === "app-token")?.uses, file).toMatch(/^actions\/create-github-app-token@/);
      expect(steps.find((s) => s.id === "gate")?.with?.["approvals-token"], file).toBe("${{ steps.app-token.outputs.token }}");
    }
  });

  it("CI runs .ci/run, and so npm run ci, on Node 20 and 24 in Debian", async () => {
    const doc = parse(await readFile(path.join(ROOT, ".github/workflows/ci.yml"), "utf8")) as { jobs: Record<string, { container: string; strategy: { matrix: { node: number[] } }; steps: { run?: string }[] }> };
    expect(Object.keys(doc.jobs)).toEqual(["ci"]);
    const job = doc.jobs["ci"]!;
    expect(job.strategy.matrix.node).toEqual([20, 24]);
    expect(job.container).toBe("node:${{ matrix.node }}-bookworm");
    expect(job.steps.map((s) => s.run).filter(Boolean)).toEqual([".ci/run"]);
    const script = await readFile(path.join(ROOT, ".ci/run"), "utf8");
    expect(script.trimEnd().split("\n").slice(-2)).toEqual(["npm run ci -- --no-test", "npm test"]);
    expect(script).toMatch(/apt-get install -y -qq "\$\{missing\[@\]\}"/);
    for (const pkg of ["chromium", "prometheus", "prometheus-alertmanager"]) expect(script).toContain(`missing+=(${pkg})`);
    const pkg = JSON.parse(await readFile(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
    expect(pkg.scripts["ci"]).toBe("node scripts/ci.mjs");
    expect(pkg.scripts["test"]).toBe("vitest run");
  });
});

describe("docs/action.md", () => {
  it("documents exactly action.yml's inputs, with the same defaults, and its outputs", async () => {
    const doc = parse(await readFile(path.join(ROOT, "action.yml"), "utf8")) as { inputs: Record<string, { default?: string }>; outputs: Record<string, unknown> };
    const text = await readFile(path.join(ROOT, "docs/action.md"), "utf8");
    const section = (title: string) => text.slice(text.indexOf(`## ${title}`), text.indexOf("\n## ", text.indexOf(`## ${title}`) + 3));
    const rows = (title: string) => section(title).split("\n").filter((l) => /^\| `/.test(l)).map((l) => l.split("|").map((c) => c.trim()));
    const documented = Object.fromEntries(rows("Inputs").map((cells) => [cells[1]!.replace(/`/g, ""), cells[2]!.replace(/`/g, "")]));
    const expected = Object.fromEntries(Object.entries(doc.inputs).map(([name, spec]) => [name, spec.default === "" || spec.default === undefined ? "—" : spec.default]));
    expect(documented).toEqual(expected);
    expect(rows("Outputs").map((cells) => cells[1]!.replace(/`/g, "")).sort()).toEqual(Object.keys(doc.outputs).sort());
  });
});
