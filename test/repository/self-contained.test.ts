/**
 * A clone with nothing beside it passes its tests: the real samples travel in fixtures/realdata/
 * with their origin, licence and hash, and no code reads outside the repository.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { compareStrings } from "../../src/core/compare.js";
import { ROOT } from "../support/cli.js";

const REALDATA = join(ROOT, "fixtures", "realdata");
const topics = readdirSync(REALDATA)
  .filter((n) => statSync(join(REALDATA, n)).isDirectory())
  .sort(compareStrings);

interface SourceRow {
  file: string;
  bytes: string;
  sha256: string;
  origin: string;
  licence: string;
  cut: string;
}

function readSources(topic: string): SourceRow[] {
  const [header, ...lines] = readFileSync(join(REALDATA, topic, "SOURCES.tsv"), "utf8")
    .trimEnd()
    .split("\n");
  expect(header, `${topic}/SOURCES.tsv header`).toBe("file\tbytes\tsha256\torigin\tlicence\tcut");
  return lines.map((line, i) => {
    const cells = line.split("\t");
    expect(cells, `${topic}/SOURCES.tsv line ${i + 2}`).toHaveLength(6);
    const [file, bytes, sha256, origin, licence, cut] = cells as [string, string, string, string, string, string];
    return { file, bytes, sha256, origin, licence, cut };
  });
}

describe("fixtures/realdata", () => {
  it("has topic folders", () => {
    expect(topics).toEqual(["alertmanager", "bgp", "prometheus", "prometheus-rules", "zeek"]);
  });

  it.each(topics)("%s/SOURCES.tsv lists every file there with its true size and sha256, origin, licence and cut", (topic) => {
    const rows = readSources(topic);
    const onDisk = readdirSync(join(REALDATA, topic))
      .filter((n) => n !== "SOURCES.tsv")
      .sort(compareStrings);
    expect(rows.map((r) => r.file).sort(compareStrings)).toEqual(onDisk);
    for (const r of rows) {
      const data = readFileSync(join(REALDATA, topic, r.file));
      expect(Number(r.bytes), `${topic}/${r.file} bytes`).toBe(data.length);
      expect(r.sha256, `${topic}/${r.file} sha256`).toBe(createHash("sha256").update(data).digest("hex"));
      expect(r.origin, `${topic}/${r.file} origin`).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{7,40}:\S+$/);
      expect(r.licence, `${topic}/${r.file} licence`).not.toBe("");
      expect(r.cut, `${topic}/${r.file} cut`).toMatch(/^(whole|slice: |derived )/);
    }
  });

  it("keeps the samples small", () => {
    let total = 0;
    for (const topic of topics) for (const r of readSources(topic)) total += Number(r.bytes);
    expect(total).toBeLessThan(1_500_000);
  });
});

describe("the repository is self-contained", () => {
  const SOURCE_DIRS = ["src", "test", "scripts", "bench"];
  // Built from parts so this file does not match itself.
  const outside = [["..", "shared"].join("/"), ["shared", "realdata"].join("/")];

  function files(dir: string): string[] {
    const out: string[] = [];
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) out.push(...files(p));
      else if (/\.(ts|mts|mjs|js|json|ya?ml)$/.test(e.name)) out.push(p);
    }
    return out;
  }

  it("no source, test, script or benchmark names a path outside the checkout", () => {
    const offenders: string[] = [];
    for (const dir of SOURCE_DIRS) {
      for (const f of files(join(ROOT, dir))) {
        const text = readFileSync(f, "utf8");
        for (const needle of outside) if (text.includes(needle)) offenders.push(`${relative(ROOT, f)}: ${needle}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it("no committed example window records a source outside the checkout", () => {
    const windows = join(ROOT, "policies", "windows");
    const offenders = readdirSync(windows).filter((id) => {
      const manifest = readFileSync(join(windows, id, "window.yaml"), "utf8");
      return /^\s*path: \.\.\//m.test(manifest) || /^\s*path: \//m.test(manifest);
    });
    expect(offenders).toEqual([]);
  });
});
