/**
 * The README and docs/ point only at files the repository holds: every relative link (and image)
 * resolves to a file or folder inside the checkout, every `#anchor` to a heading there, and
 * docs/README.md indexes every page of docs/. The comments of src/ likewise: they state a rule or
 * name the docs page that does (`docs/formats.md#pinned-window`, which must exist), never a
 * design file outside the repository.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { compareStrings } from "../../src/core/compare.js";
import { ROOT } from "../support/cli.js";

const DOCS = join(ROOT, "docs");
const SRC = join(ROOT, "src");

/** A citation of a design document the repository does not hold: `DESIGN §7`, `design §3`, a path into the shared folder beside the checkout. */
const DESIGN_CITATION = /DESIGN(\.md|\s*§| order)|design\s*§|\.\.\/shared\//;

/** Every .ts file under src/, sorted. */
function sourceFiles(dir: string = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => compareStrings(a.name, b.name))
    .flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []));
}

/** `docs/<page>.md` and `docs/<page>.md#anchor` as src/ comments cite them. */
function docsCitations(text: string): string[] {
  return [...text.matchAll(/\bdocs\/([\w./-]+\.md)(#[\w-]+)?/g)].map((m) => `${m[1]!}${m[2] ?? ""}`);
}
const pages = [
  join(ROOT, "README.md"),
  ...readdirSync(DOCS)
    .filter((n) => n.endsWith(".md"))
    .sort(compareStrings)
    .map((n) => join(DOCS, n)),
];

/** Markdown with fenced code blocks and inline code spans blanked out: links there are not links. */
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, "").replace(/`[^`\n]*`/g, "");
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  const withoutFences = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, "");
  for (const m of withoutFences.matchAll(/^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$/gm)) {
    const slug = m[1]!
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    out.add(n === 0 ? slug : `${slug}-${String(n)}`);
  }
  return out;
}

/** Relative link targets of a page: `[text](target)` and `![alt](target)`, without a title. */
function links(markdown: string): string[] {
  return [...prose(markdown).matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!).filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t));
}

describe("links in README.md and docs/", () => {
  it.each(pages.map((p) => [relative(ROOT, p), p]))("%s links only to files and headings inside the repository", (_name, page) => {
    const text = readFileSync(page, "utf8");
    const problems: string[] = [];
    for (const target of links(text)) {
      const [path = "", anchor] = target.split("#", 2) as [string, string | undefined];
      const file = path === "" ? page : resolve(dirname(page), decodeURIComponent(path));
      if (file !== ROOT && !file.startsWith(ROOT + sep)) problems.push(`${target}: outside the repository`);
      else if (!existsSync(file)) problems.push(`${target}: no such file`);
      else if (anchor !== undefined && anchor !== "") {
        if (!statSync(file).isFile() || !file.endsWith(".md")) problems.push(`${target}: an anchor into a file that is not Markdown`);
        else if (!anchors(readFileSync(file, "utf8")).has(anchor)) problems.push(`${target}: no heading with that anchor`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("finds links, skips code, and derives GitHub's anchors (the checker itself)", () => {
    const sample = 'See [a](a.md#x-y), ![i](img/p.png "t") and [web](https://example.com).\n```\n[not](code.md)\n```\n`[nor](span.md)`\n';
    expect(links(sample)).toEqual(["a.md#x-y", "img/p.png"]);
    expect([...anchors("# The gate\n## `summary`\n### Matching (§6)\n## The gate\n```\n# not a heading\n```\n")]).toEqual(["the-gate", "summary", "matching-6", "the-gate-1"]);
  });

  it("points no reader at a design file the repository does not contain", () => {
    for (const page of pages) expect(readFileSync(page, "utf8"), relative(ROOT, page)).not.toMatch(/DESIGN(\.md| §)|\.\.\/shared\//);
  });

  it("docs/README.md links every page of docs/", () => {
    const index = links(readFileSync(join(DOCS, "README.md"), "utf8")).map((t) => t.split("#")[0]);
    const missing = pages.filter((p) => dirname(p) === DOCS && !p.endsWith(`${sep}README.md`) && !index.includes(relative(DOCS, p)));
    expect(missing.map((p) => relative(ROOT, p))).toEqual([]);
  });
});

describe("comments in src/", () => {
  const files = sourceFiles();

  it("scans every source file", () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files.map((f) => relative(ROOT, f))).toContain(join("src", "core", "engine", "engine.ts"));
  });

  it("cite no design section or file outside the repository: they state the rule, or name the docs page that does", () => {
    const offenders = files.flatMap((f) =>
      readFileSync(f, "utf8")
        .split("\n")
        .flatMap((line, i) => (DESIGN_CITATION.test(line) ? [`${relative(ROOT, f)}:${String(i + 1)}: ${line.trim()}`] : [])),
    );
    expect(offenders).toEqual([]);
  });

  it("name only docs pages and headings that exist", () => {
    const problems: string[] = [];
    for (const f of files) {
      for (const cited of docsCitations(readFileSync(f, "utf8"))) {
        const [page = "", anchor] = cited.split("#", 2) as [string, string | undefined];
        const file = join(DOCS, page);
        if (!existsSync(file)) problems.push(`${relative(ROOT, f)}: docs/${cited}: no such page`);
        else if (anchor !== undefined && !anchors(readFileSync(file, "utf8")).has(anchor)) problems.push(`${relative(ROOT, f)}: docs/${cited}: no heading with that anchor`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("recognises a design citation and a docs citation (the checker itself)", () => {
    // The path is built from parts so that the self-containment check does not match this file.
    for (const line of ["(DESIGN §7)", "the order of DESIGN §3", "scope keys in DESIGN order", `see ${["..", "shared", "DESIGN.md"].join("/")}`, "design §5"]) expect(line).toMatch(DESIGN_CITATION);
    for (const line of ["RFC 4271 §8.2.2", "designed for hostile input", "docs/gate.md"]) expect(line).not.toMatch(DESIGN_CITATION);
    expect(docsCitations("(docs/formats.md#pinned-window), docs/gate.md and docs/img/x.png")).toEqual(["formats.md#pinned-window", "gate.md"]);
  });
});
