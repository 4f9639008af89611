/**
 * Every renderer and every CLI error path over a corpus of hostile strings: a forged report
 * (every free-text field the report schema accepts replaced), hostile directory names, policy
 * paths, event keys and window titles. Nothing of the corpus may survive into a terminal, a log
 * line, a status description, Markdown or HTML in a form that has an effect there.
 */
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { annotationsFor } from "../../src/core/surfaces/annotations.js";
import { setStatus, type StatusTarget } from "../../src/action/status.js";
import { WriteGuard } from "../../src/action/writes.js";
import type { GateResult } from "../../src/core/approvals/types.js";
import { statusDescription } from "../../src/core/surfaces/status.js";
import { anchoredDescription } from "../../src/core/evidence/decision-log.js";
import { parseHtmlReport } from "../../src/core/html/input.js";
import { renderHtmlReport } from "../../src/core/html/report-html.js";
import { renderMermaidGantt } from "../../src/core/mermaid/gantt.js";
import { forGitHubText, forHtml, forMarkdown, forMarkdownCode, forStatus, forTerminal } from "../../src/core/neutralize.js";
import { MAX_STATUS_CHARS } from "../../src/core/limits.js";
import { renderDiffText } from "../../src/core/report/diff-text.js";
import { renderDiffMarkdown } from "../../src/core/report/markdown.js";
import { reportSchema, type Report } from "../../src/core/report/report-schema.js";
import { cli, demoReport, ROOT } from "../support/demo.js";

/** Each entry tries one thing; {@link HOSTILE} strings them together. */
const CORPUS = [
  "::error title=pwned::injected", // a workflow command when it starts a line
  "\n::add-mask::secret\n  ::stop-commands::tok", // after a newline, and after leading spaces
  "\u001b[31mred\u001b[0m \u001b]8;;https://evil.example\u0007link\u001b]8;;\u0007 \u001b]0;title\u0007", // ANSI colour, OSC 8 hyperlink, OSC title
  "\rover\bwrite\u007f\u0085\u009b31m", // CR, backspace, DEL, C1 NEL and CSI
  "\u202eevil\u202c \u2066iso\u2069 \u200eltr\u200f \u061c\u2028\u2029", // bidi controls, line and paragraph separators
  "@octocat @acme/netops", // mentions and team pings
  "GH-12 gh-7 #34 acme/repo#56", // issue autolinks
  "<script>alert(1)</script><img src=x onerror=alert(2)><!-- replay-gate:sticky -->", // HTML and a forged marker
  "[click](javascript:alert(3)) `code` *b* _i_ | ~s~ https://evil.example www.evil.example", // Markdown
  "1. listed \ud800 lone surrogate", // ordered list start, a lone surrogate
];
const HOSTILE = CORPUS.join(" ");

const controls = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const invisible = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u2028\u2029]/;
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Output for a terminal or a log: no control character but newline, no bidi, no line that starts a workflow command. */
function expectTerminalSafe(out: string): void {
  expect(out).not.toMatch(controls);
  expect(out).not.toMatch(invisible);
  expect(out).not.toMatch(loneSurrogate);
  for (const line of out.split("\n")) expect(line).not.toMatch(/^[\s\u0085]*::/);
}

/** Plain GitHub text (status, annotation): one line, terminal-safe, no mention, reference or angle bracket. */
function expectGitHubTextSafe(out: string): void {
  expect(out).not.toContain("\n");
  expectTerminalSafe(out);
  expect(out).not.toMatch(/[@#][A-Za-z0-9]/);
  expect(out).not.toMatch(/gh-[0-9]/i);
  expect(out).not.toMatch(/[<>]/);
}

/** Markdown: terminal-safe (the CLI prints it; the summary reaches the log), and no hostile markup takes effect. */
function expectMarkdownSafe(whole: string): void {
  expectTerminalSafe(whole.replace(/\t/g, " "));
  // Inside a fenced code block (a policy's text diff) HTML, mentions and links are inert text.
  const out = whole.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, "");
  expect(out.split("\n").filter((l) => /<(script|img|iframe)/i.test(l))).toEqual([]);
  expect(out).not.toContain("<!-- replay-gate:sticky");
  expect(out).not.toMatch(/(^|[^\\])@[A-Za-z0-9]/m);
  expect(out).not.toMatch(/(^|[^\\])#[0-9]/m);
  expect(out).not.toMatch(/gh-[0-9]/i);
  expect(out).not.toMatch(/(^|[^\\])\]\(javascript:/m);
  expect(out).not.toMatch(/https:\/\/evil|www\.evil/);
}

function expectHtmlSafe(out: string): void {
  expect(out.replace(/[\t\n]/g, " ")).not.toMatch(controls);
  expect(out).not.toMatch(invisible);
  expect(out).not.toMatch(loneSurrogate);
  expect(out).not.toMatch(/<(img|iframe)/i);
  expect(out).not.toContain("<script>alert");
  expect(out).not.toContain("<!-- replay-gate:sticky");
}

/** Fields that must stay well-formed for the report to mean anything (times, hashes, the schema tag). */
const KEEP = /^(start|end|at|ts|since|started_at|finished_at|captured_at|schema|sha256|spec_hash|evidence_digest|events_sha256|manifest_sha256|config_sha256|report_sha256|tar_sha256|digest)$/;

/**
 * The demo report with every string the report schema accepts in a free-text place replaced by
 * the corpus (as a forged shard report would be): strings are replaced everywhere, then the ones
 * the schema rejects (enums, formats) are put back.
 */
function forge(report: Report): Report {
  const forged = JSON.parse(JSON.stringify(report)) as Record<string, unknown>;
  const replaced: { holder: Record<string, unknown> | unknown[]; key: string | number; original: string; path: string }[] = [];
  const walk = (node: unknown, path: string[]): void => {
    if (Array.isArray(node)) node.forEach((v, i) => (typeof v === "string" ? swap(node, i, v, [...path, String(i)]) : walk(v, [...path, String(i)])));
    else if (node !== null && typeof node === "object") {
      for (const [k, v] of Object.entries(node)) {
        if (typeof v === "string") {
          if (!KEEP.test(k)) swap(node as Record<string, unknown>, k, v, [...path, k]);
        } else walk(v, [...path, k]);
      }
    }
  };
  const swap = (holder: Record<string, unknown> | unknown[], key: string | number, original: string, path: string[]) => {
    (holder as Record<string | number, unknown>)[key] = `${HOSTILE} ${original}`;
    replaced.push({ holder, key, original, path: path.join(".") });
  };
  walk(forged, []);
  for (let round = 0; round < 50; round++) {
    const parsed = reportSchema.safeParse(forged);
    if (parsed.success) return parsed.data;
    const bad = new Set(parsed.error.issues.map((i) => i.path.join(".")));
    let restored = 0;
    for (const r of replaced) {
      if (bad.has(r.path)) {
        (r.holder as Record<string | number, unknown>)[r.key] = r.original;
        restored++;
      }
    }
    if (restored === 0) throw new Error(`cannot forge: ${parsed.error.issues.map((i) => i.path.join(".")).join(", ")}`);
  }
  throw new Error("cannot forge");
}

let forged: Report;
let forgedFields = 0;
beforeAll(async () => {
  const report = await demoReport();
  forged = forge(report);
  forgedFields = JSON.stringify(forged).split("::error title=pwned").length - 1;
}, 120_000);

describe("renderers over a forged report", () => {
  it("forges the free-text fields, among them collapse and coverage.untested[].section", () => {
    expect(forgedFields).toBeGreaterThan(50);
    const changed = forged.windows.find((w) => w.status !== "identical")!;
    expect(changed.head!.collapse).toContain("::error title=pwned");
    expect(changed.title).toContain("<script>");
  });

  it("the Markdown comment and the job summary carry none of it", () => {
    // A forged untested entry: the section is a free string in the schema.
    const withUntested = reportSchema.parse({ ...forged, coverage: { ...forged.coverage, untested: [{ policy: HOSTILE, section: HOSTILE, id: HOSTILE, change: "added" }] } });
    for (const maxChars of [65_536, 600_000, 3_000]) expectMarkdownSafe(renderDiffMarkdown(withUntested, { maxChars }));
  });

  it("the text report carries none of it", () => {
    expectTerminalSafe(renderDiffText(forged, false));
  });

  it("the HTML report carries none of it", () => {
    const html = renderHtmlReport(parseHtmlReport(JSON.parse(JSON.stringify(forged)), "report.json"));
    expectHtmlSafe(html);
  });

  it("the Mermaid gantt keeps only its safe character set", () => {
    for (const w of forged.windows) {
      const g = renderMermaidGantt(w, 100_000);
      expectMarkdownSafe(g);
      for (const line of g.split("\n").filter((l) => l.startsWith("    ") && l.includes(" :"))) expect(line).toMatch(/^ {4}[A-Za-z0-9 ._+/()-]+ :[a-z, ]*[bh]\d+, \d+, \d+$/);
    }
  });

  it("annotations carry none of it", () => {
    const annotations = annotationsFor(forged);
    expect(annotations.length).toBeGreaterThan(0);
    for (const a of annotations) {
      expectGitHubTextSafe(a.title);
      expectGitHubTextSafe(a.message);
    }
  });

  it("the commit status description carries none of it, fits 140 characters and keeps the log anchor", async () => {
    const sent: string[] = [];
    const octokit = { rest: { repos: { createCommitStatus: async (p: { description: string }) => void sent.push(p.description) } } };
    const target = { octokit, owner: "o", repo: "r", sha: "a".repeat(40), context: "replay-gate", runUrl: "https://run" } as unknown as StatusTarget;
    const gate = { verdict: "fail", summary: HOSTILE } as unknown as GateResult;
    const anchor = { head: `sha256:${"ab".repeat(32)}`, records: 3 };
    await setStatus(target, new WriteGuard(false), "failure", anchoredDescription(forGitHubText(statusDescription(gate)), anchor, MAX_STATUS_CHARS));
    await setStatus(target, new WriteGuard(false), "error", `replay-gate crashed: ${HOSTILE}`);
    expect(sent).toHaveLength(2);
    for (const d of sent) {
      expectGitHubTextSafe(d);
      expect(d.length).toBeLessThanOrEqual(MAX_STATUS_CHARS);
    }
    expect(sent[0]).toMatch(/ · log abababababababab\/3$/);
  });
});

describe("each context's function over each corpus entry", () => {
  it("neutralises every entry in every context", () => {
    for (const s of [...CORPUS, HOSTILE]) {
      expectTerminalSafe(forTerminal(s));
      expect(forTerminal(s)).not.toContain("\n");
      expectGitHubTextSafe(forGitHubText(s));
      expectGitHubTextSafe(forStatus(s));
      expectMarkdownSafe(forMarkdown(s));
      expectHtmlSafe(forHtml(s));
      const code = forMarkdownCode(s);
      expectTerminalSafe(code.replace(/\t/g, " "));
      expect(code).not.toMatch(invisible);
    }
  });

  it("is idempotent for GitHub text, so a description neutralised twice does not grow", () => {
    const once = forGitHubText(HOSTILE);
    expect(forGitHubText(once)).toBe(once);
  });

  it("keeps ordinary text as it is", () => {
    const plain = "edge-gw 2.14.3: BGP 2001:db8::1 peer flap, 3 → 1 incidents (ünïcödé, 日本, 😀)";
    expect(forTerminal(plain)).toBe(plain);
    expect(forHtml(plain)).toBe(plain);
    expect(forGitHubText(plain)).toBe(plain);
  });
});

/** A directory name with a newline, a workflow command, ESC and OSC bytes (Linux allows all of them). */
const HOSTILE_DIR = "win\n::error title=dir::pwned\u001b]8;;https:evil\u0007\u202e @octocat";

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "rg-hostile-"));
}

/** A one-event window whose events carry a hostile key and whose title is hostile; pins are right. */
function hostileWindow(parent: string, name: string, event: string): string {
  const dir = join(parent, name);
  mkdirSync(dir, { recursive: true });
  const body = `${event}\n`;
  writeFileSync(join(dir, "events.ndjson"), body);
  const sha = createHash("sha256").update(body).digest("hex");
  writeFileSync(
    join(dir, "window.yaml"),
    [
      "id: hostile-window",
      `title: ${JSON.stringify(HOSTILE)}`,
      "captured_at: 2026-02-26T10:30:00Z",
      "start: 2026-02-26T10:00:00Z",
      "end: 2026-02-26T10:30:00Z",
      "scope:",
      "  service: edge-gw",
      "  region: us-east-1",
      "  pop: POP-12",
      "signals:",
      "  - dns",
      "events:",
      "  path: events.ndjson",
      `  sha256: ${sha}`,
      "  count: 1",
      `  bytes: ${Buffer.byteLength(body)}`,
      "",
    ].join("\n"),
  );
  return dir;
}

const EVENT = {
  ts: "2026-02-26T10:12:00.115Z",
  signal: "dns",
  name: "dns.response",
  scope: { service: "edge-gw", region: "us-east-1", pop: "POP-12", host: "edge-12a" },
  source: "resolver",
  attrs: { qname: "www.example.com", rcode: "NOERROR" },
};

describe("CLI error paths over hostile input", () => {
  const all = (r: { stdout: string; stderr: string }) => `${r.stdout}${r.stderr}`;

  it("an unknown command named with the corpus", async () => {
    const r = await cli([HOSTILE]);
    expect(r.code).toBe(2);
    expectTerminalSafe(all(r));
  });

  it("a policy path that does not exist", async () => {
    const r = await cli(["replay", "--policy", HOSTILE, "policies/windows/2026-02-26-pop12-routing"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error: ");
    expectTerminalSafe(all(r));
  });

  it("verify of a hostile directory name that is no window, and of one whose event has a hostile key", async () => {
    const parent = tempDir();
    mkdirSync(join(parent, HOSTILE_DIR));
    const badKey = hostileWindow(parent, `${HOSTILE_DIR}-2`, JSON.stringify({ ...EVENT, [HOSTILE]: 1 }));
    for (const args of [
      ["verify", join(parent, HOSTILE_DIR)],
      ["verify", badKey],
      ["verify", `${parent}/*`],
    ]) {
      const r = await cli(args, parent);
      expect(r.code).toBe(2);
      expectTerminalSafe(all(r));
    }
  });

  it("replay of a window with a hostile title and event values prints them inert", async () => {
    const parent = tempDir();
    const dir = hostileWindow(parent, HOSTILE_DIR, JSON.stringify({ ...EVENT, name: HOSTILE, scope: { ...EVENT.scope, host: HOSTILE } }));
    const r = await cli(["replay", "--policy", join(ROOT, "policies/edge-gw.yaml"), dir], parent);
    expect([0, 1, 2]).toContain(r.code);
    expect(all(r).length).toBeGreaterThan(0);
    expectTerminalSafe(all(r));
  });

  it("verify --log of a log whose lines are the corpus, and of a forged record", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "decision-log.jsonl"), `${JSON.stringify({ seq: 0, verdict: HOSTILE })}\n`);
    writeFileSync(join(dir, "not-json.jsonl"), `${HOSTILE.replace(/\n/g, " ")}\n`);
    for (const file of ["decision-log.jsonl", "not-json.jsonl", HOSTILE_DIR]) {
      const r = await cli(["verify", "--log", file], dir);
      expect(r.code).toBeGreaterThan(0);
      expectTerminalSafe(all(r));
    }
    const anchor = await cli(["verify", "--log", "decision-log.jsonl", "--anchor", HOSTILE], dir);
    expect(anchor.code).toBe(2);
    expectTerminalSafe(all(anchor));
  });

  it("report --mermaid and --html of a forged report", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "report.json"), JSON.stringify(forged));
    const r = await cli(["report", "--report", "report.json", "--mermaid", "--html", "out", "--no-timeline"], dir);
    expect(r.code).toBe(0);
    expectTerminalSafe(all(r));
    const page = readdirSync(join(dir, "out")).find((f) => f.endsWith(".html"))!;
    expectHtmlSafe(readFileSync(join(dir, "out", page), "utf8"));
  });
});

describe("the Action's log lines", () => {
  it("go through one wrapper: nothing in src/action calls @actions/core's log functions directly", () => {
    const dir = join(ROOT, "src", "action");
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts") && f !== "log.ts")) {
      const text = readFileSync(join(dir, file), "utf8");
      expect({ file, direct: text.match(/\bcore\.(info|warning|notice|error|setFailed|debug)\(/g) ?? [] }).toEqual({ file, direct: [] });
    }
  });
});
