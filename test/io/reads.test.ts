/**
 * Reads with limits, before anything grows (issue 10): hostile window files are refused from
 * what fstat and realpath say, before their content is read, and never quoted.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { parseConfigText } from "../../src/core/config.js";
import { InputError, formatProblem } from "../../src/core/errors.js";
import { main } from "../../src/cli/main.js";
import { openGuarded } from "../../src/io/guarded-open.js";
import { writeEventsGz } from "../../src/io/capture/write.js";
import { readPolicyFile } from "../../src/io/policies.js";
import { readWindowManifest, streamEvents } from "../../src/io/window.js";
import { loadWindowSources, replayWindow } from "../../src/io/windows.js";
import { line, writeWindow, fireOnEveryBgpEvent } from "../support/windows.js";

const policy = fireOnEveryBgpEvent;

const FAKE_TOKEN = "ghs_FAKEtoken0123456789abcdefSECRET";
const GIT_CONFIG = `[core]\n\trepositoryformatversion = 0\n[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic ${FAKE_TOKEN}\n`;

/** Fails the test instead of hanging it when a read blocks (a FIFO): no timing is asserted. */
function guard<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} hung`)), 20_000);
  });
  return Promise.race([p, hang]).finally(() => clearTimeout(timer));
}

async function problems(run: () => Promise<unknown>): Promise<string[]> {
  try {
    await run();
  } catch (err) {
    if (err instanceof InputError) return err.problems.map(formatProblem);
    throw err;
  }
  throw new Error("expected an input error");
}

async function replayProblems(dir: string, limits: { maxLineBytes?: number } = {}): Promise<string[]> {
  return problems(async () => {
    const [src] = await loadWindowSources([dir], () => {}, limits);
    await replayWindow(src!, [policy.compiled]);
  });
}

async function cli(args: string[], cwd: string): Promise<{ code: number; out: string }> {
  let out = "";
  const code = await main(args, { stdout: (t) => (out += t), stderr: (t) => (out += t), stderrIsTTY: false, stdoutIsTTY: false, env: {}, cwd });
  return { code, out };
}

function mkfifo(path: string): void {
  const r = spawnSync("mkfifo", [path]);
  if (r.status !== 0) throw new Error(`mkfifo failed: ${r.stderr}`);
}

/** Rewrites the events entry of a window's manifest. */
function setEvents(dir: string, events: string): void {
  const path = join(dir, "window.yaml");
  writeFileSync(path, readFileSync(path, "utf8").replace(/^events: .*$/m, `events: ${events}`));
}

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");
const good = [line("2026-02-26T10:12:00Z"), line("2026-02-26T10:12:01.500Z"), line("2026-02-26T10:13:00Z")];

describe("only regular files inside the window are read", () => {
  it("refuses a FIFO as the events file without hanging on the open", async () => {
    const w = writeWindow(good, { gzip: false });
    const fifo = join(w.dir, "pipe.ndjson");
    mkfifo(fifo);
    setEvents(w.dir, `{ path: pipe.ndjson, sha256: "${"0".repeat(64)}", count: 3, bytes: 10 }`);
    const out = await guard(replayProblems(w.dir), "opening a FIFO");
    expect(out).toEqual([`${fifo}: is a FIFO (named pipe), not a regular file (name a regular file)`]);
  });

  it("refuses a FIFO as window.yaml without hanging on the open", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rg-fifo-"));
    mkfifo(join(dir, "window.yaml"));
    const out = await guard(
      problems(() => readWindowManifest(dir)),
      "opening a FIFO manifest",
    );
    expect(out).toEqual([`${join(dir, "window.yaml")}: is a FIFO (named pipe), not a regular file (name a regular file)`]);
  });

  it("refuses an events file that is a symlink to /dev/zero, before reading a byte", async () => {
    const w = writeWindow(good, { gzip: false });
    symlinkSync("/dev/zero", join(w.dir, "zero.ndjson"));
    setEvents(w.dir, `{ path: zero.ndjson, sha256: "${"0".repeat(64)}", count: 1, bytes: 0 }`);
    expect(await replayProblems(w.dir)).toEqual([
      `${join(w.dir, "zero.ndjson")}: is a symlink that resolves outside the window directory; refused before reading (keep the file itself inside the window directory (copy it rather than linking to it))`,
    ]);
  });

  it("refuses a device even when it is named directly", async () => {
    const out = await problems(() => openGuarded("/dev/zero", { dir: "/dev", name: "/dev" }, "missing"));
    expect(out).toEqual(["/dev/zero: is a device, not a regular file (name a regular file)"]);
  });

  it("reads an events file that is a symlink to another file inside the window", async () => {
    const w = writeWindow(good, { gzip: false });
    symlinkSync("events.ndjson", join(w.dir, "link.ndjson"));
    const bytes = readFileSync(w.eventsPath);
    setEvents(w.dir, `{ path: link.ndjson, sha256: "${sha(bytes)}", count: 3, bytes: ${bytes.length} }`);
    const [src] = await loadWindowSources([w.dir], () => {});
    const [r] = await replayWindow(src!, [policy.compiled]);
    expect(r!.counts.events).toBe(3);
  });

  it("refuses events.path '.' as a located manifest error, and a directory as an input error (exit 2)", async () => {
    const w = writeWindow(good);
    setEvents(w.dir, `{ path: ., sha256: "${"0".repeat(64)}", count: 3, bytes: 10 }`);
    expect(await replayProblems(w.dir)).toEqual([`${join(w.dir, "window.yaml")}:8:11: events.path: expected a file name inside the window directory, not a directory`]);
    const v = writeWindow(good);
    mkdirSync(join(v.dir, "sub"));
    setEvents(v.dir, `{ path: sub, sha256: "${"0".repeat(64)}", count: 3, bytes: 10 }`);
    expect(await replayProblems(v.dir)).toEqual([`${join(v.dir, "sub")}: is a directory, not a regular file (name a regular file (sub is a directory))`]);
    const run = await cli(["verify", v.dir], v.dir);
    expect(run.code).toBe(2);
    expect(run.out).toContain("is a directory, not a regular file");
  });
});

describe("a file the user did not name is never quoted", () => {
  /** A repository whose window's manifest is a symlink to its .git/config (holding a token). */
  function repoWithLinkedManifest(): { root: string; dir: string } {
    const root = mkdtempSync(join(tmpdir(), "rg-repo-"));
    mkdirSync(join(root, ".git"));
    writeFileSync(join(root, ".git", "config"), GIT_CONFIG);
    const dir = join(root, "windows", "w1");
    mkdirSync(dir, { recursive: true });
    symlinkSync("../../.git/config", join(dir, "window.yaml"));
    return { root, dir };
  }

  it("refuses a window.yaml symlinked to .git/config before reading it, in every command", async () => {
    const { root, dir } = repoWithLinkedManifest();
    const direct = await problems(() => readWindowManifest(dir));
    expect(direct).toEqual([
      `${join(dir, "window.yaml")}: is a symlink that resolves outside the window directory; refused before reading (keep the file itself inside the window directory (copy it rather than linking to it))`,
    ]);
    writeFileSync(join(root, "p.yaml"), readFileSync(join(import.meta.dirname, "../../policies/edge-gw.yaml")));
    const p = join(root, "p.yaml");
    for (const args of [
      ["verify", dir],
      ["replay", "--policy", p, dir],
      ["diff", "--base", p, "--head", p, "--windows", dir],
      ["explain", "--policy", p, "--window", dir, "--at", "first-incident"],
    ]) {
      const run = await cli(args, root);
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.out).not.toContain(FAKE_TOKEN);
      expect(run.out).not.toContain("extraheader");
      expect(run.out).toContain("window.yaml: is a symlink that resolves outside the window directory; refused before reading");
    }
  });

  it("refuses a policy symlinked into .git even inside the working directory", async () => {
    const { root } = repoWithLinkedManifest();
    symlinkSync(".git/config", join(root, "policy.yaml"));
    const out = await problems(() => readPolicyFile(join(root, "policy.yaml"), root));
    expect(out).toEqual([
      `${join(root, "policy.yaml")}: resolves into a .git directory; refused before reading (keep the file itself inside the working directory (copy it rather than linking to it))`,
    ]);
    expect(out.join("\n")).not.toContain(FAKE_TOKEN);
  });

  it("refuses a policy symlinked outside the working directory, but reads one the user names there", async () => {
    const outside = mkdtempSync(join(tmpdir(), "rg-outside-"));
    const text = readFileSync(join(import.meta.dirname, "../../policies/edge-gw.yaml"), "utf8");
    writeFileSync(join(outside, "p.yaml"), text);
    const cwd = mkdtempSync(join(tmpdir(), "rg-cwd-"));
    symlinkSync(join(outside, "p.yaml"), join(cwd, "linked.yaml"));
    expect((await problems(() => readPolicyFile(join(cwd, "linked.yaml"), cwd)))[0]).toContain("linked.yaml: is a symlink that resolves outside the working directory; refused before reading");
    expect((await readPolicyFile(join(outside, "p.yaml"), cwd)).compiled).toBeDefined();
  });

  it("does not disclose the size or hash of /etc/passwd behind a wrongly pinned symlink", async () => {
    const w = writeWindow(good, { gzip: false });
    symlinkSync("/etc/passwd", join(w.dir, "passwd.ndjson"));
    setEvents(w.dir, `{ path: passwd.ndjson, sha256: "${"0".repeat(64)}", count: 1, bytes: 1 }`);
    const out = (await replayProblems(w.dir)).join("\n");
    const real = readFileSync("/etc/passwd");
    expect(out).toContain("resolves outside the window directory");
    expect(out).not.toContain(String(statSync("/etc/passwd").size));
    expect(out).not.toContain(sha(real));
    expect(out).not.toContain("root:");
  });
});

describe("the read stops at the pins and limits, not at the end of the file", () => {
  it("stops a lying count at line count + 1, before the rest of the file is parsed", async () => {
    const many = Array.from({ length: 500 }, (_, i) => line(`2026-02-26T10:12:${String(Math.floor(i / 10)).padStart(2, "0")}Z`));
    const w = writeWindow(many, { pin: { count: 1 } });
    const [src] = await loadWindowSources([w.dir], () => {});
    let seen = 0;
    const out = await problems(() => streamEvents(src!, () => void seen++));
    expect(out).toEqual([`${join(w.dir, "window.yaml")}: events.count: the events file has more than the 1 events the manifest pins; reading stopped at line 2`]);
    expect(seen).toBe(1);
  });

  it("refuses a correctly pinned gzip of zeros with count 1 at the line limit, not at the end", async () => {
    const zeros = gzipSync(Buffer.alloc(8 * 1024 * 1024), { level: 1 });
    const w = writeWindow(["x"], { stored: zeros, pin: { count: 1 } });
    expect(await replayProblems(w.dir, { maxLineBytes: 65_536 })).toEqual([
      `${w.eventsPath}:1: line is longer than 65536 bytes (an event line is at most 65536 bytes; raise the limit with --max-line-bytes (or limits.max_line_bytes in the config) if this line is genuine)`,
    ]);
  });

  it("refuses a long line (a 500 MB line scaled down) at the default limit of 1 MiB", async () => {
    const long = line("2026-02-26T10:12:00Z", { source: "x".repeat(3 * 1024 * 1024) });
    const w = writeWindow([good[0]!, long, good[2]!]);
    expect(await replayProblems(w.dir)).toEqual([expect.stringMatching(/events\.ndjson\.gz:2: line is longer than 1048576 bytes/)]);
  });

  it("accepts a line of exactly the limit and refuses one byte more", async () => {
    const base = line("2026-02-26T10:12:00Z", { source: "" });
    const exact = line("2026-02-26T10:12:00Z", { source: "y".repeat(1000 - base.length) });
    expect(Buffer.byteLength(exact)).toBe(1000);
    const ok = writeWindow([exact]);
    const [src] = await loadWindowSources([ok.dir], () => {}, { maxLineBytes: 1000 });
    expect(await streamEvents(src!, () => {})).toBe(1);
    expect(await replayProblems(ok.dir, { maxLineBytes: 999 })).toEqual([expect.stringContaining("events.ndjson.gz:1: line is longer than 999 bytes")]);
  });

  it("stops a pinned gzip at events.uncompressed_bytes as soon as the stream passes it", async () => {
    const many = Array.from({ length: 2000 }, () => line("2026-02-26T10:12:00Z"));
    const w = writeWindow(many);
    const stored = readFileSync(w.eventsPath);
    setEvents(w.dir, `{ path: events.ndjson.gz, sha256: "${sha(stored)}", count: 2000, bytes: ${stored.length}, uncompressed_bytes: 4096 }`);
    const [src] = await loadWindowSources([w.dir], () => {});
    let seen = 0;
    const out = await problems(() => streamEvents(src!, () => void seen++));
    expect(out).toEqual([
      `${join(w.dir, "window.yaml")}: events.uncompressed_bytes: the events decompress to more than the 4096 bytes the manifest pins; reading stopped there (the file is not the one pinned, or the pin is wrong; re-capture the window)`,
    ]);
    expect(seen).toBeLessThan(2000);
  });

  it("refuses an understated events.uncompressed_bytes at the end and accepts the exact one", async () => {
    const w = writeWindow(good);
    const stored = readFileSync(w.eventsPath);
    const size = good.join("\n").length + 1;
    setEvents(w.dir, `{ path: events.ndjson.gz, sha256: "${sha(stored)}", count: 3, bytes: ${stored.length}, uncompressed_bytes: ${size + 1} }`);
    expect(await replayProblems(w.dir)).toEqual([`${join(w.dir, "window.yaml")}: events.uncompressed_bytes: the events decompress to ${size} bytes, the manifest pins ${size + 1}`]);
    setEvents(w.dir, `{ path: events.ndjson.gz, sha256: "${sha(stored)}", count: 3, bytes: ${stored.length}, uncompressed_bytes: ${size} }`);
    const [src] = await loadWindowSources([w.dir], () => {});
    expect(await streamEvents(src!, () => {})).toBe(3);
  });

  it("refuses a gzip of a manifest without uncompressed_bytes that expands past the ratio guard", async () => {
    // 70 MiB of valid, correctly pinned events of 512 KiB each, compressing about 1000×.
    const one = line("2026-02-26T10:12:00Z", { source: "x".repeat(512 * 1024) }) + "\n";
    const n = Math.ceil((70 * 1024 * 1024) / one.length);
    const member = gzipSync(Buffer.from(one));
    const stored = Buffer.concat(Array.from({ length: n }, () => member)); // gzip members concatenate
    const w = writeWindow(["x"], { stored, pin: { count: n } });
    const out = await replayProblems(w.dir);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/events\.ndjson\.gz: decompresses to more than 67108864 bytes \(256× its stored size\); refused as a likely decompression bomb/);
  });
});

describe("the line limit is configurable", () => {
  it("takes --max-line-bytes on the command line and refuses a value out of range", async () => {
    const w = writeWindow([line("2026-02-26T10:12:00Z", { source: "z".repeat(2000) })]);
    expect((await cli(["verify", w.dir], w.dir)).code).toBe(0);
    const low = await cli(["verify", "--max-line-bytes", "1024", w.dir], w.dir);
    expect(low.code).toBe(2);
    expect(low.out).toContain(`${w.eventsPath}:1: line is longer than 1024 bytes`);
    const bad = await cli(["verify", "--max-line-bytes", "12", w.dir], w.dir);
    expect(bad.code).toBe(2);
    expect(bad.out).toContain('--max-line-bytes takes a whole number of bytes from 1024 to 268435456, not "12"');
  });

  it("takes limits.max_line_bytes in the config, within the same range", () => {
    expect(parseConfigText("limits: { max_line_bytes: 4194304 }\n", "c.yml").limits).toEqual({ max_line_bytes: 4194304 });
    expect(() => parseConfigText("limits: { max_line_bytes: 10 }\n", "c.yml")).toThrow("c.yml:1:11: limits.max_line_bytes: Too small: expected number to be >=1024");
  });
});

describe("capture pins the decompressed size", () => {
  it("writes events.uncompressed_bytes equal to the gunzipped size, and the example windows verify with it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rg-write-"));
    async function* batches(): AsyncGenerator<string[]> {
      yield good;
      yield ["é".repeat(300_000)];
    }
    const written = await writeEventsGz(batches(), join(dir, "events.ndjson.gz"));
    expect(written.uncompressedBytes).toBe(gunzipSync(readFileSync(join(dir, "events.ndjson.gz"))).length);
    for (const id of ["2016-08-11-rrc21-session-flap", "2018-03-24-wrccdc-dns-failure-storm"]) {
      const src = await readWindowManifest(join(import.meta.dirname, "../../policies/windows", id));
      expect(src.manifest.events.uncompressed_bytes).toBe(gunzipSync(readFileSync(src.eventsPath)).length);
      expect(await streamEvents(src, () => {})).toBe(src.manifest.events.count);
    }
  });
});
