import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { gunzipSync } from "node:zlib";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { beforeAll, describe, expect, it } from "vitest";
import { auditJsonSchema, auditRecordSchema } from "../../../src/core/evidence/audit-record.js";
import { decisionLogJsonSchema } from "../../../src/core/evidence/decision-log.js";
import { writeTar } from "../../../src/core/evidence/tar.js";
import { expectGolden } from "../../support/golden.js";
import { sha256Hex } from "../../../src/core/hash.js";
import { cli, DEMO_WINDOWS, ROOT } from "../../support/demo.js";

function files(root: string, dir: string = root): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(root, p));
    else out.push(relative(root, p));
  }
  return out.sort();
}

describe("deterministic tar", () => {
  const enc = new TextEncoder();
  it("gives the same bytes for the same files in any order, and system tar reads it back", () => {
    const a = writeTar([
      { path: "b/x.json", data: enc.encode("{}\n") },
      { path: "a.txt", data: enc.encode("hello") },
    ]);
    const b = writeTar([
      { path: "a.txt", data: enc.encode("hello") },
      { path: "b/x.json", data: enc.encode("{}\n") },
    ]);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(a.length % 10240).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), "rg-tar-"));
    writeFileSync(join(dir, "t.tar"), a);
    const listing = execFileSync("tar", ["-tvf", "t.tar"], { cwd: dir, encoding: "utf8", env: { ...process.env, TZ: "UTC", LC_ALL: "C" } });
    expect(listing).toMatch(/-rw-r--r-- 0\/0\s+5 1970-01-01 00:00 a\.txt/);
    expect(listing).toMatch(/drwxr-xr-x 0\/0\s+0 1970-01-01 00:00 b\//);
    execFileSync("tar", ["-xf", "t.tar"], { cwd: dir });
    expect(readFileSync(join(dir, "b/x.json"), "utf8")).toBe("{}\n");
  });

  it("stores paths longer than 100 bytes in the ustar prefix", () => {
    const long = `${"d".repeat(90)}/${"e".repeat(60)}/file.json`;
    const dir = mkdtempSync(join(tmpdir(), "rg-tar-"));
    writeFileSync(join(dir, "t.tar"), writeTar([{ path: long, data: enc.encode("x") }]));
    execFileSync("tar", ["-xf", "t.tar"], { cwd: dir });
    expect(readFileSync(join(dir, long), "utf8")).toBe("x");
  });

  it("refuses unclean paths", () => {
    expect(() => writeTar([{ path: "../x", data: enc.encode("") }])).toThrow(/clean relative path/);
    expect(() => writeTar([{ path: "/etc/x", data: enc.encode("") }])).toThrow(/clean relative path/);
  });
});

describe("evidence bundle of replay --evidence", () => {
  const work = mkdtempSync(join(tmpdir(), "rg-evidence-"));
  const one = join(work, "one"),
    two = join(work, "two");
  let runOne: Awaited<ReturnType<typeof cli>>;

  beforeAll(async () => {
    runOne = await cli(["replay", "--policy", "policies/edge-gw.yaml", "--window", DEMO_WINDOWS, "--evidence", one]);
    await cli(["replay", "--policy", "policies/edge-gw.yaml", "--window", DEMO_WINDOWS, "--evidence", two], ROOT, { TZ: "America/New_York", USER: "someone-else" });
  });

  it("keeps replay's stdout exactly as without --evidence", async () => {
    const plain = await cli(["replay", "--policy", "policies/edge-gw.yaml", "--window", DEMO_WINDOWS]);
    expect(runOne.code).toBe(plain.code);
    expect(runOne.stdout).toBe(plain.stdout);
  });

  it("is byte-identical across two runs: every file and the .tar.gz", () => {
    expect(files(one)).toEqual(files(two));
    for (const f of files(one)) expect(readFileSync(join(two, f)).equals(readFileSync(join(one, f))), f).toBe(true);
    expect(readFileSync(`${two}.tar.gz`).equals(readFileSync(`${one}.tar.gz`))).toBe(true);
  });

  it("holds, per window, the manifest, audit record, incidents, trace and signatures, plus the report", () => {
    const list = files(one);
    expect(list).toContain("MANIFEST.json");
    expect(list).toContain("replay.json");
    const w = "windows/2026-02-26-pop12-routing";
    expect(list).toEqual(
      expect.arrayContaining([`${w}/window.yaml`, `${w}/edge-gw@2.14.3/audit.json`, `${w}/edge-gw@2.14.3/incidents.json`, `${w}/edge-gw@2.14.3/trace.jsonl`, `${w}/edge-gw@2.14.3/signatures.json`]),
    );
    expect(readFileSync(join(one, w, "window.yaml"), "utf8")).toBe(readFileSync(join(ROOT, "policies/windows/2026-02-26-pop12-routing/window.yaml"), "utf8"));
    const incidents = JSON.parse(readFileSync(join(one, w, "edge-gw@2.14.3/incidents.json"), "utf8"));
    expect(incidents.incidents).toHaveLength(1);
    expect(incidents.decisions[0]).toMatchObject({ action: "drain-pop", decision: "would-run" });
    const trace = readFileSync(join(one, w, "edge-gw@2.14.3/trace.jsonl"), "utf8")
      .trim()
      .split("\n");
    const sigs = JSON.parse(readFileSync(join(one, w, "edge-gw@2.14.3/signatures.json"), "utf8"));
    expect(trace).toHaveLength(sigs.trace_length);
    expect(JSON.parse(trace.at(-1)!).state_signature).toBe(sigs.last_state_signature);
  });

  it("lists every file with its size and sha256 in MANIFEST.json, and the archive holds the same files", () => {
    const manifest = JSON.parse(readFileSync(join(one, "MANIFEST.json"), "utf8"));
    expect(manifest.schema).toBe("replay-gate/evidence@1");
    const listed = manifest.files.map((f: { path: string }) => f.path);
    expect(listed).toEqual(files(one).filter((f) => f !== "MANIFEST.json"));
    for (const f of manifest.files) {
      const bytes = readFileSync(join(one, f.path));
      expect(f.bytes).toBe(bytes.length);
      expect(f.sha256).toBe(`sha256:${sha256Hex(bytes)}`);
    }
    const tar = gunzipSync(readFileSync(`${one}.tar.gz`));
    const out = mkdtempSync(join(tmpdir(), "rg-untar-"));
    writeFileSync(join(out, "b.tar"), tar);
    execFileSync("tar", ["-xf", "b.tar"], { cwd: out });
    for (const f of files(one)) expect(readFileSync(join(out, "evidence", f)).equals(readFileSync(join(one, f))), f).toBe(true);
  });

  it("writes audit records that hold to their schema, in zod and as the committed JSON Schema", () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    (addFormats as unknown as (a: Ajv2020) => void)(ajv);
    const committed = JSON.parse(readFileSync(join(ROOT, "schema/audit.schema.json"), "utf8"));
    const validate = ajv.compile(committed);
    const audits = files(one).filter((f) => f.endsWith("audit.json"));
    expect(audits).toHaveLength(4);
    for (const f of audits) {
      const record = JSON.parse(readFileSync(join(one, f), "utf8"));
      expect(auditRecordSchema.safeParse(record).success, f).toBe(true);
      expect(validate(record), `${f}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });

  it("records what was read and decided: records scanned and selected, sampled hashes, every action with role, stage, target and decision", () => {
    const audit = JSON.parse(readFileSync(join(one, "windows/2026-02-26-pop12-routing/edge-gw@2.14.3/audit.json"), "utf8"));
    expect(audit).toMatchObject({
      schema: "replay-gate/audit@1",
      window: { id: "2026-02-26-pop12-routing", dir: "policies/windows/2026-02-26-pop12-routing", captured_policy_spec_hash: null },
      input: { events_path: "events.ndjson.gz", records_scanned: 5861, records_selected: 5861, bytes_scanned: 49735, sample: { method: "stride", size: 16 } },
      policy: { name: "edge-gw", version: "2.14.3", environment: "prod", posture: "open", approval_status: "not-required", mode: "dry-run" },
      result: { alerts: 140, incidents: 1 },
    });
    expect(audit.input.sample.records[0].id).toBe(0);
    expect(audit.actions.map((a: { role: string; id: string; decision: string }) => `${a.role}:${a.id}:${a.decision}`)).toEqual([
      "suppress:pop12-jitter:dropped",
      "inhibit:flap-mutes-latency:muted",
      "detect:bgp-flap:fired",
      "detect:dns-nxdomain-surge:fired",
      "detect:latency-spike:fired",
      "action:drain-pop:would-run",
    ]);
    expect(audit.actions.at(-1)).toMatchObject({ stage: "actions", target: ["POP-12"], gate: "approval" });
    const text = readFileSync(join(one, "windows/2026-02-26-pop12-routing/edge-gw@2.14.3/audit.json"), "utf8");
    expect(text).not.toMatch(/"(started|finished)_at"|duration/);
  });

  it("refuses to overwrite a directory that is not a bundle", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rg-notbundle-"));
    writeFileSync(join(dir, "precious.txt"), "keep me");
    const r = await cli(["replay", "--policy", "policies/edge-gw.yaml", "--window", "policies/windows/2026-03-18-pop12-quiet", "--evidence", dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("is not an evidence bundle; refusing to overwrite it");
    expect(existsSync(join(dir, "precious.txt"))).toBe(true);
  });
});

describe("committed JSON Schemas", () => {
  const cases = [
    ["schema/audit.schema.json", auditJsonSchema],
    ["schema/decision-log.schema.json", decisionLogJsonSchema],
  ] as const;
  for (const [file, make] of cases) {
    it(`${file} is fresh (UPDATE_GOLDEN=1 rewrites it)`, () => {
      expectGolden(join(ROOT, file), `${JSON.stringify(make(), null, 2)}\n`);
    });
  }
});
