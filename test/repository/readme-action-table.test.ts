/** The README's inputs/outputs table is generated from action.yml and committed fresh. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/cli.js";

interface ActionTableScript {
  renderActionTable: (actionYaml: string) => string;
  withActionTable: (readme: string, actionYaml: string) => string;
}
const script = (await import(join(ROOT, "scripts/action-table.mjs"))) as ActionTableScript;

describe("README inputs/outputs table", () => {
  it("is the table action.yml renders, byte for byte", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    expect(script.withActionTable(readme, readFileSync(join(ROOT, "action.yml"), "utf8"))).toBe(readme);
  });

  it("renders every input with its default and every output, escaping pipes", () => {
    const table = script.renderActionTable(
      ["inputs:", "  mode:", "    description: 'a | b'", "    default: a", "  shard:", "    description: one share", "    default: ''", "outputs:", "  verdict:", "    description: pass or fail"].join(
        "\n",
      ),
    );
    expect(table).toBe(
      [
        "| input | default | description |",
        "|---|---|---|",
        "| `mode` | `a` | a \\| b |",
        "| `shard` | — | one share |",
        "",
        "| output | description |",
        "|---|---|",
        "| `verdict` | pass or fail |",
      ].join("\n"),
    );
  });

  it("refuses a README without the markers and an action.yml without inputs", () => {
    expect(() => script.withActionTable("# no markers\n", "inputs: {}\noutputs: {}\n")).toThrow(/lacks the markers/);
    expect(() => script.renderActionTable("name: x\n")).toThrow(/no inputs or outputs/);
  });
});
