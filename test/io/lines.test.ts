/** The line splitter: exact lines whatever the chunking, limits in bytes, strict UTF-8 located. */
import { describe, expect, it } from "vitest";
import { forEachLine, forEachLineBytes, LineError, lineEnd, withoutCr, type LineOptions } from "../../src/io/lines.js";
import { prng } from "../../scripts/prng.mjs";

async function* chunked(bytes: Buffer, sizes: readonly number[]): AsyncGenerator<Buffer> {
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const n = Math.max(1, sizes[i % sizes.length]!);
    yield bytes.subarray(at, at + n);
    at += n;
  }
}

/** The lines as forEachLineBytes hands them over, decoded the way the replay decodes a line. */
async function byteLines(bytes: Buffer, sizes: readonly number[], options?: LineOptions): Promise<string[]> {
  const out: string[] = [];
  await forEachLineBytes(
    chunked(bytes, sizes),
    (b, start) => {
      const end = lineEnd(b, start);
      out.push(b.toString("utf8", start, withoutCr(b, start, end)));
      return end;
    },
    options,
  );
  return out;
}

/** The lines forEachLine gives; forEachLineBytes must give the same ones. */
async function lines(bytes: Buffer, sizes: readonly number[], options?: LineOptions): Promise<string[]> {
  const out: string[] = [];
  await forEachLine(chunked(bytes, sizes), (l) => void out.push(l), options);
  expect(await byteLines(bytes, sizes, options)).toEqual(out);
  return out;
}

async function firstLineError(read: (count: () => void) => Promise<number>): Promise<{ error: LineError; delivered: number }> {
  let delivered = 0;
  try {
    await read(() => delivered++);
  } catch (err) {
    if (err instanceof LineError) return { error: err, delivered };
    throw err;
  }
  throw new Error("expected a LineError");
}

/** The error forEachLine stops with; forEachLineBytes must stop with the same one at the same line. */
async function lineError(bytes: Buffer, sizes: readonly number[], options?: LineOptions): Promise<{ error: LineError; delivered: number }> {
  const strings = await firstLineError((count) => forEachLine(chunked(bytes, sizes), count, options));
  const fromBytes = await firstLineError((count) =>
    forEachLineBytes(
      chunked(bytes, sizes),
      (b, start) => {
        count();
        return lineEnd(b, start);
      },
      options,
    ),
  );
  expect([fromBytes.error.kind, fromBytes.error.lineNo, fromBytes.error.column, fromBytes.error.message, fromBytes.delivered]).toEqual([
    strings.error.kind,
    strings.error.lineNo,
    strings.error.column,
    strings.error.message,
    strings.delivered,
  ]);
  return strings;
}

describe("forEachLine splits exactly, in any chunking", () => {
  it("gives the same lines as split('\\n') for random text and random chunk sizes, multi-byte characters included", async () => {
    const rnd = prng(10);
    const alphabet = ["a", "b", "é", "€", "😀", "\n", "\r\n", " ", "{", '"'];
    for (let round = 0; round < 40; round++) {
      let text = "";
      const len = Math.floor(rnd() * 400);
      for (let i = 0; i < len; i++) text += alphabet[Math.floor(rnd() * alphabet.length)];
      const sizes = Array.from({ length: 5 }, () => 1 + Math.floor(rnd() * 17));
      const want = text.split("\n").map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
      if (want[want.length - 1] === "") want.pop();
      expect(await lines(Buffer.from(text), sizes), JSON.stringify(text)).toEqual(want);
    }
  });

  it("stops when the sink returns false and says how many lines it handed out", async () => {
    const n = await forEachLine(chunked(Buffer.from("a\nb\nc\n"), [1]), (_l, no) => (no === 2 ? false : undefined));
    expect(n).toBe(2);
  });

  it("gives the same lines as split('\\n') when a chunk is decoded in several pieces, a line longer than a piece included", async () => {
    const rnd = prng(11);
    const parts: string[] = [];
    for (let i = 0; i < 4000; i++) parts.push(`{"n":${i},"s":"${"é€😀ab".repeat(Math.floor(rnd() * 30))}"}`);
    parts.splice(1500, 0, "z".repeat(150_000), "€".repeat(40_000));
    const text = parts.join("\n") + "\n";
    expect(await lines(Buffer.from(text), [300_000, 1_000_000])).toEqual(parts);
    expect(await lines(Buffer.from(text), [300_000], { strictUtf8: false })).toEqual(parts);
  });

  it("joins a line spread over many small chunks once (a long line in 1-byte pieces)", async () => {
    const long = "x".repeat(30_000);
    expect(await lines(Buffer.from(`${long}\nshort\n`), [1, 3, 7])).toEqual([long, "short"]);
  });
});

describe("forEachLine refuses what it cannot read, located", () => {
  it("refuses a line one byte over the limit, in bytes not characters, after delivering the lines before it", async () => {
    const ok = "é".repeat(50); // 100 bytes
    expect(await lines(Buffer.from(`${ok}\n`), [7], { maxLineBytes: 100 })).toEqual([ok]);
    const { error, delivered } = await lineError(Buffer.from(`a\nb\n${ok}x\nc\n`), [5], { maxLineBytes: 100 });
    expect([error.kind, error.lineNo, delivered]).toEqual(["too-long", 3, 2]);
    expect(error.message).toBe("line is longer than 100 bytes");
  });

  it("agrees with the line limit whatever the chunking: a chunk smaller or larger than the limit, a line continued across chunks", async () => {
    const rnd = prng(12);
    for (let round = 0; round < 200; round++) {
      const parts = Array.from({ length: 1 + Math.floor(rnd() * 12) }, () => "é".repeat(Math.floor(rnd() * 30)) + "x".repeat(Math.floor(rnd() * 40)));
      const text = parts.join("\n") + (rnd() < 0.5 ? "\n" : "");
      const want = text.split("\n");
      if (want[want.length - 1] === "") want.pop();
      const bytes = Buffer.from(text);
      const max = 10 + Math.floor(rnd() * 60);
      const sizes = [1 + Math.floor(rnd() * 150), 1 + Math.floor(rnd() * 20)];
      const over = want.findIndex((p) => Buffer.byteLength(p) > max);
      if (over === -1) {
        expect(await lines(bytes, sizes, { maxLineBytes: max })).toEqual(want);
      } else {
        const { error, delivered } = await lineError(bytes, sizes, { maxLineBytes: max });
        expect([error.kind, error.lineNo, delivered]).toEqual(["too-long", over + 1, over]);
      }
    }
  });

  it("refuses an endless line without a newline as soon as it passes the limit", async () => {
    let pulled = 0;
    async function* zeros(): AsyncGenerator<Buffer> {
      for (;;) {
        pulled++;
        yield Buffer.alloc(4096);
      }
    }
    await expect(forEachLine(zeros(), () => {}, { maxLineBytes: 65_536 })).rejects.toMatchObject({ kind: "too-long", lineNo: 1 });
    expect(pulled).toBe(17);
  });

  it("locates invalid UTF-8 by line and byte column, and replaces it only when asked to", async () => {
    const bytes = Buffer.concat([Buffer.from("ok\nab"), Buffer.from([0xf0, 0x9f]), Buffer.from("c\n")]);
    const { error } = await lineError(bytes, [4]);
    expect([error.kind, error.lineNo, error.column, error.message]).toEqual(["invalid-utf8", 2, 3, "invalid UTF-8 (byte 0xf0)"]);
    expect(await lines(bytes, [4], { strictUtf8: false })).toEqual(["ok", "ab\uFFFDc"]);
  });

  it("refuses invalid UTF-8 deep in a large chunk before any line of that chunk is delivered, located by line and column", async () => {
    const good = Array.from({ length: 3000 }, (_, i) => `{"line":${i + 1},"pad":"${"x".repeat(60)}"}`);
    const bad = Buffer.concat([Buffer.from(good.slice(0, 2500).join("\n") + "\nabc"), Buffer.from([0xc0, 0x80]), Buffer.from("\n" + good.slice(2500).join("\n") + "\n")]);
    const { error, delivered } = await lineError(bad, [bad.length]);
    expect([error.kind, error.lineNo, error.column, delivered]).toEqual(["invalid-utf8", 2501, 4, 0]);
    const replaced = await lines(bad, [bad.length], { strictUtf8: false });
    expect(replaced[2500]).toBe("abc\uFFFD\uFFFD");
    expect(replaced).toHaveLength(3001);
  });

  it("refuses a truncated multi-byte character at the end of the stream", async () => {
    const { error } = await lineError(Buffer.concat([Buffer.from("a\nb"), Buffer.from([0xe2, 0x82])]), [2]);
    expect([error.kind, error.lineNo, error.column]).toEqual(["invalid-utf8", 2, 2]);
  });
});
