import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  anchoredDescription,
  anchorFromStatus,
  chainRecord,
  parseAnchor,
  recordHashOf,
  serializeRecord,
  statusAnchor,
  verifyChain,
  type DecisionDraft,
  type DecisionRecord,
} from "../../../src/core/evidence/decision-log.js";
import { UNANCHORED_NOTE } from "../../../src/cli/commands/verify.js";
import { decisionDraftFromReport } from "../../../src/core/evidence/decision-draft.js";
import { canonicalJson, sha256Hex } from "../../../src/core/hash.js";
import { appendDecisionRecord, verifyDecisionLog } from "../../../src/io/evidence/decision-log.js";
import { cli, demoReport } from "../../support/demo.js";

function draft(n: number, verdict: DecisionDraft["verdict"] = "pass"): DecisionDraft {
  return {
    at: `2026-03-0${(n % 9) + 1}T10:00:00Z`,
    triggered_by: { actor: n % 2 === 0 ? "alice" : "bob", event: n === 0 ? "pull_request" : "pull_request_review" },
    repository: "acme/netpolicies",
    pull_request: 42,
    commits: { base: "a".repeat(40), head: String(n).repeat(40).slice(0, 40) },
    inputs: {
      evidence_digest: `sha256:${"1".repeat(64)}`,
      report_sha256: `sha256:${sha256Hex(String(n))}`,
      config_sha256: null,
      policies: [{ name: "edge-gw", version: "2.14.3", spec_hash: `sha256:${"2".repeat(64)}` }],
      windows: [{ id: "w1", events_sha256: "3".repeat(64), manifest_sha256: null }],
    },
    approvals: { counted: n > 0 ? [{ reviewer: "carol", commit: "c".repeat(40), via: "team:neteng-leads" }] : [], refused: [{ reviewer: "dev", commit: null, reason: "author of the pull request" }] },
    gates: [
      { name: "parity", result: "pass", detail: "ok" },
      { name: "approvals", result: n > 0 ? "pass" : "pending", detail: n > 0 ? "ok" : "1 approval missing from team:neteng-leads" },
    ],
    verdict,
    run_id: `rx-${String(n).repeat(12).slice(0, 12)}`,
  };
}

function chain(n: number): DecisionRecord[] {
  const out: DecisionRecord[] = [];
  for (let i = 0; i < n; i++) out.push(chainRecord(out[i - 1] ?? null, draft(i, i === 0 ? "pending" : "pass")));
  return out;
}

const text = (records: readonly DecisionRecord[]) => records.map(serializeRecord).join("");

describe("decision log chain", () => {
  it("links each record to the sha256 of the previous record's RFC 8785 canonical JSON", () => {
    const [a, b, c] = chain(3);
    expect(a!.seq).toBe(0);
    expect(a!.prev).toBeNull();
    const { hash: _h, ...aBody } = a!;
    expect(a!.hash).toBe(`sha256:${sha256Hex(canonicalJson(aBody))}`);
    expect(b!.prev).toBe(a!.hash);
    expect(c!.prev).toBe(b!.hash);
    expect(recordHashOf(c!)).toBe(c!.hash);
  });

  it("verifies a valid log and reports its head", () => {
    const records = chain(5);
    const check = verifyChain(text(records));
    expect(check).toMatchObject({ ok: true, records: 5, head: records[4]!.hash });
    expect(verifyChain(text(records), { head: records[4]!.hash, records: 5 }).ok).toBe(true);
  });

  it("accepts an empty log as an empty chain", () => {
    expect(verifyChain("")).toMatchObject({ ok: true, records: 0, head: null });
  });

  it("names a tampered record: a verdict changed after the fact", () => {
    const lines = text(chain(4)).split("\n");
    lines[2] = lines[2]!.replace('"verdict":"pass"', '"verdict":"fail"');
    const check = verifyChain(lines.join("\n"));
    expect(check).toMatchObject({ ok: false, line: 3, seq: 2, reason: "hash", valid: 2 });
  });

  it("names a tampered record even when its own hash was recomputed (the next record's prev no longer matches)", () => {
    const records = chain(4);
    const forged = { ...records[1]!, approvals: { counted: [{ reviewer: "mallory", commit: null, via: "user:mallory" }], refused: [] } };
    const rehashed = { ...forged, hash: recordHashOf(forged) };
    const check = verifyChain(text([records[0]!, rehashed, records[2]!, records[3]!]));
    expect(check).toMatchObject({ ok: false, line: 3, seq: 2, reason: "prev" });
  });

  it("names the first record out of place in a reordered log", () => {
    const r = chain(4);
    const check = verifyChain(text([r[0]!, r[2]!, r[1]!, r[3]!]));
    expect(check).toMatchObject({ ok: false, line: 2, seq: 2, reason: "seq", valid: 1 });
  });

  it("detects a log truncated mid-write (last line without its newline)", () => {
    const t = text(chain(3));
    const check = verifyChain(t.slice(0, t.length - 20));
    expect(check).toMatchObject({ ok: false, line: 3, reason: "truncated", valid: 2 });
  });

  it("detects a log whose first records were cut off", () => {
    const check = verifyChain(text(chain(4).slice(1)));
    expect(check).toMatchObject({ ok: false, line: 1, seq: 1, reason: "seq" });
  });

  it("detects records dropped from the end against a published anchor", () => {
    const records = chain(4);
    const cut = text(records.slice(0, 3));
    expect(verifyChain(cut).ok).toBe(true);
    expect(verifyChain(cut, { head: records[3]!.hash })).toMatchObject({ ok: false, reason: "anchor", line: 3 });
    expect(verifyChain(cut, { records: 4 })).toMatchObject({ ok: false, reason: "anchor" });
  });

  it("carries its anchor at the end of a status description, cut to fit and read back", () => {
    const records = chain(3);
    const anchor = { head: records[2]!.hash, records: 3 };
    const short = anchoredDescription("pass: 3 windows identical", anchor, 140);
    expect(short).toBe(`pass: 3 windows identical · log ${records[2]!.hash.slice(7, 23)}/3`);
    const long = anchoredDescription(`pending: ${"x".repeat(300)}`, anchor, 140);
    expect(long.length).toBe(140);
    expect(long.endsWith(`…${statusAnchor(anchor)}`)).toBe(true);
    expect(anchorFromStatus(long)).toEqual({ head: records[2]!.hash.slice(0, 23), records: 3 });
    expect(anchorFromStatus("replaying pinned windows under base and head policies…")).toBeNull();
    expect(verifyChain(text(records), anchorFromStatus(long)!).ok).toBe(true);
    expect(verifyChain(text(records.slice(0, 2)), anchorFromStatus(long)!)).toMatchObject({ ok: false, reason: "anchor" });
    expect(parseAnchor(`${records[2]!.hash}/3`)).toEqual({ head: records[2]!.hash, records: 3 });
  });

  it("rejects a line that is not a record of the schema, naming the field", () => {
    const lines = text(chain(2)).split("\n");
    lines[1] = lines[1]!.replace('"verdict":"pass"', '"verdict":"maybe"');
    expect(verifyChain(lines.join("\n"))).toMatchObject({ ok: false, line: 2, reason: "schema" });
    expect(verifyChain("not json\n")).toMatchObject({ ok: false, line: 1, reason: "not-json" });
  });

  it("writes each record as one canonical JSON line, so a re-serialised log has the same bytes", () => {
    const t = text(chain(3));
    const again = t
      .split("\n")
      .filter(Boolean)
      .map((l) => canonicalJson(JSON.parse(l)) + "\n")
      .join("");
    expect(again).toBe(t);
  });
});

describe("decision log on disk", () => {
  it("appends to the log carried from an earlier run, so a PR's history is one chain", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rg-log-"));
    const path = join(dir, "decision-log.jsonl");
    const first = await appendDecisionRecord(path, draft(0, "pending"));
    // The next run downloads the artifact: same file, then appends.
    const carried = join(mkdtempSync(join(tmpdir(), "rg-log-next-")), "decision-log.jsonl");
    writeFileSync(carried, readFileSync(path));
    const second = await appendDecisionRecord(carried, draft(1));
    expect(second.prev).toBe(first.hash);
    expect(await verifyDecisionLog(carried)).toMatchObject({ ok: true, records: 2, head: second.hash });
  });

  it("refuses to extend a broken chain", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rg-log-"));
    const path = join(dir, "decision-log.jsonl");
    writeFileSync(path, text(chain(3)).replace('"verdict":"pass"', '"verdict":"fail"'));
    await expect(appendDecisionRecord(path, draft(3))).rejects.toThrow(/chain is broken \(hash\)/);
  });

  it("builds a draft from report.json with the gates of the evaluation", async () => {
    const report = await demoReport();
    const d = decisionDraftFromReport(report, {
      at: "2026-03-01T10:00:00Z",
      actor: "alice",
      event: "pull_request",
      repository: "acme/x",
      pullRequest: 7,
      commits: { base: null, head: null },
      reportSha256: null,
      approvals: { counted: [], refused: [] },
      runId: null,
    });
    expect(d.verdict).toBe(report.verdict);
    expect(d.inputs.evidence_digest).toBe(report.inputs.evidence_digest);
    expect(d.gates.map((g) => g.name)).toEqual(["parity", "incidents", "expectations", "determinism"]);
    expect(d.gates.find((g) => g.name === "parity")!.result).toBe(report.evaluation.reasons.some((r) => r.code === "parity-below-min") ? "fail" : "pass");
    expect(chainRecord(null, d).seq).toBe(0);
  });
});

describe("replay-gate verify --log", () => {
  it("says ok with the record count and head for an intact log", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rg-log-"));
    const records = chain(3);
    writeFileSync(join(dir, "decision-log.jsonl"), text(records));
    const r = await cli(["verify", "--log", "decision-log.jsonl", "--head", records[2]!.hash], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`ok decision-log.jsonl: 3 records, chain intact, head ${records[2]!.hash}, matches the anchor\n`);
  });

  it("says that an unanchored ok proves only that the records agree with each other", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rg-log-"));
    const records = chain(3);
    writeFileSync(join(dir, "decision-log.jsonl"), text(records));
    writeFileSync(join(dir, "empty.jsonl"), "");
    const r = await cli(["verify", "--log", "decision-log.jsonl"], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`ok decision-log.jsonl: 3 records, chain intact, head ${records[2]!.hash}\n${UNANCHORED_NOTE}\n`);
    expect(UNANCHORED_NOTE).toMatch(/^unanchored: this proves only that the records agree with each other/);
    const empty = await cli(["verify", "--log", "empty.jsonl"], dir);
    expect(empty.stdout).toBe(`ok empty.jsonl: 0 records, chain intact\n${UNANCHORED_NOTE}\n`);
  });

  it("with --anchor catches a cut at a record boundary, a rewrite with recomputed hashes, an inserted record and an empty file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rg-log-"));
    const records = chain(4);
    const anchor = records[3]!.hash;
    // A rewrite: the same number of records, every hash recomputed, the first verdict changed.
    const rewritten: DecisionRecord[] = [];
    for (let i = 0; i < 4; i++) rewritten.push(chainRecord(rewritten[i - 1] ?? null, draft(i, i === 0 ? "pass" : "pass")));
    // An insertion: a record slipped in after the second, the rest re-chained.
    const inserted: DecisionRecord[] = [records[0]!, records[1]!];
    inserted.push(chainRecord(inserted[1]!, draft(9)));
    for (const i of [2, 3]) inserted.push(chainRecord(inserted[inserted.length - 1]!, draft(i)));
    const cases: [string, string, RegExp][] = [
      ["cut.jsonl", text(records.slice(0, 3)), /breaks the chain: anchor: the last record's hash is sha256:[0-9a-f]{64}, the anchor expects/],
      ["rewritten.jsonl", text(rewritten), /breaks the chain: anchor: /],
      ["inserted.jsonl", text(inserted), /breaks the chain: anchor: /],
      ["empty.jsonl", "", /breaks the chain: empty: the log is empty/],
    ];
    for (const [name, body, message] of cases) {
      writeFileSync(join(dir, name), body);
      // Each forgery is a consistent chain: without the anchor it passes.
      expect((await cli(["verify", "--log", name], dir)).code).toBe(0);
      const r = await cli(["verify", "--log", name, "--anchor", anchor], dir);
      expect({ name, code: r.code }).toEqual({ name, code: 1 });
      expect(r.stdout).toMatch(message);
    }
    writeFileSync(join(dir, "good.jsonl"), text(records));
    // The anchor as a commit status shows it: 16 hex digits and the record count.
    const shown = `${anchor.slice(7, 23)}/4`;
    expect((await cli(["verify", "--log", "good.jsonl", "--anchor", shown], dir)).code).toBe(0);
    expect((await cli(["verify", "--log", "good.jsonl", "--anchor", `${anchor.slice(7, 23)}/5`], dir)).stdout).toMatch(/anchor: the log has 4 records, the anchor expects 5/);
  });

  it("refuses an anchor too short to bind anything, naming the form it wants (exit 2)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rg-log-"));
    writeFileSync(join(dir, "decision-log.jsonl"), text(chain(2)));
    for (const bad of ["sha256:abc", "", "sha256:" + "g".repeat(64), "abcdef0123456789/x"]) {
      const r = await cli(["verify", "--log", "decision-log.jsonl", "--anchor", bad], dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("--anchor takes sha256:<hex> (at least 16 hex digits");
    }
    expect(verifyChain(text(chain(2)), { head: "sha256:" })).toMatchObject({ ok: false, reason: "anchor" });
  });

  it("names the first broken record and exits 1", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rg-log-"));
    const r0 = chain(4);
    writeFileSync(join(dir, "decision-log.jsonl"), text([r0[0]!, r0[1]!, r0[3]!, r0[2]!]));
    const r = await cli(["verify", "--log", "decision-log.jsonl"], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAIL decision-log\.jsonl:3: record 3 \(line 3\) breaks the chain: seq: /);
    expect(r.stdout).toContain("2 records before it verified");
  });

  it("exits 2 for a missing log", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rg-log-"));
    const r = await cli(["verify", "--log", "nope.jsonl"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("nope.jsonl: no such decision log");
  });
});
