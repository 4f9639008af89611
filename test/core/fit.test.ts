/** The one size-fitting routine: levels of detail first, then whole blocks with a note, never over the limit. */
import { describe, expect, it } from "vitest";
import { fitBlocks, fitLine, markdownBlocks, sizeOf } from "../../src/core/fit.js";

const table = (rows: number) => ["| a | b |", "|---|---|", ...Array.from({ length: rows }, (_, i) => `| ${i} | x |`)].join("\n");

describe("fitBlocks", () => {
  it("takes the most detailed level that fits, with the tail after it", () => {
    const out = fitBlocks({ levels: [["full detail ".repeat(20)], ["less"]], tail: ["footer"], limit: 100, measure: "chars", omitted: (n) => `${n} left out` });
    expect(out).toBe("less\n\nfooter\n");
  });

  it("keeps whole blocks of the least detailed level while they fit, then names how many it left out", () => {
    const blocks = [table(3), table(3), table(200), "last"];
    const out = fitBlocks({ levels: [blocks], tail: ["footer"], limit: 200, measure: "chars", omitted: (n) => `**Truncated**: ${n} more` });
    expect(out).toBe(`${table(3)}\n\n${table(3)}\n\n**Truncated**: 2 more\n\nfooter\n`);
    expect(out.length).toBeLessThanOrEqual(200);
  });

  it("measures UTF-8 bytes for files the runner uploads", () => {
    const blocks = Array.from({ length: 50 }, (_, i) => `é${i} ${"ü".repeat(30)}`);
    const out = fitBlocks({ levels: [blocks], limit: 1000, measure: "utf8-bytes", omitted: () => "cut" });
    expect(sizeOf(out, "utf8-bytes")).toBeLessThanOrEqual(1000);
    expect(out.length).toBeLessThan(1000);
    expect(out.endsWith("cut\n")).toBe(true);
  });
});

describe("markdownBlocks", () => {
  it("splits at blank lines but never inside a code fence or a <details>", () => {
    const md = "# title\n\n```text\na\n\nb\n```\n\n<details><summary>s</summary>\n\n| t |\n|---|\n\n</details>\n\nlast\n";
    expect(markdownBlocks(md)).toEqual(["# title", "```text\na\n\nb\n```", "<details><summary>s</summary>\n\n| t |\n|---|\n\n</details>", "last"]);
  });
});

describe("fitLine", () => {
  it("keeps a line that fits and cuts a long one at a word with an ellipsis", () => {
    expect(fitLine("pass: all good", 140)).toBe("pass: all good");
    const text = `pending: ${"waiting for approvals ".repeat(10)}`;
    const out = fitLine(text, 140);
    expect(out.length).toBeLessThanOrEqual(140);
    const kept = out.slice(0, -1);
    expect(out.endsWith("…")).toBe(true);
    expect(text.startsWith(kept)).toBe(true);
    // The cut falls at the end of a word.
    expect(text[kept.length]).toBe(" ");
  });

  it("never splits a surrogate pair", () => {
    const out = fitLine(`${"x".repeat(138)}😀😀😀`, 140);
    expect(out.length).toBeLessThanOrEqual(140);
    expect(out).toBe(`${"x".repeat(138)}…`);
  });
});
