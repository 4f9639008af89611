/**
 * The byte batch the engine hashes its step and timeline text through: whatever is appended
 * (separators, numbers, strings in any script, lone surrogates, texts longer than a batch),
 * the digest is the sha256 of the same text as one string, which the signatures documented in
 * docs/engine.md are defined over.
 */
import { describe, expect, it } from "vitest";
import { HashedText } from "../../../src/core/engine/hash-text.js";
import { sha256Hex } from "../../../src/core/hash.js";
import { prng } from "../../../scripts/prng.mjs";

type Part = { readonly kind: "char"; readonly code: number } | { readonly kind: "number"; readonly x: number } | { readonly kind: "text"; readonly s: string };

function spell(part: Part): string {
  return part.kind === "char" ? String.fromCharCode(part.code) : part.kind === "number" ? String(part.x) : part.s;
}

function digestOf(parts: readonly Part[]): string {
  const h = new HashedText();
  for (const p of parts) {
    if (p.kind === "char") h.char(p.code);
    else if (p.kind === "number") h.number(p.x);
    else h.text(p.s);
  }
  return h.hex();
}

const SAMPLES = ["bgp-flap", "POP-1/10.0.0.1", "", "ü", "日本語", "😀", "\ud800", "a\udc00b", "\u202e", "x".repeat(40_000), "é".repeat(20_000)];
const NUMBERS = [0, 7, 10, 99, 1234567, 2 ** 31 - 1, 2 ** 31, 1780272000123, Number.MAX_SAFE_INTEGER, -1, 0.5, 1e300];

describe("HashedText", () => {
  it("digests what it was given as the sha256 of the same text as one string, across batch boundaries", () => {
    const rnd = prng(42);
    for (let round = 0; round < 20; round++) {
      const parts: Part[] = [];
      const n = 1 + Math.floor(rnd() * 4000);
      for (let i = 0; i < n; i++) {
        const r = rnd();
        if (r < 0.3) parts.push({ kind: "char", code: rnd() < 0.5 ? 0x20 : 0x0a });
        else if (r < 0.6) parts.push({ kind: "number", x: NUMBERS[Math.floor(rnd() * NUMBERS.length)]! });
        else parts.push({ kind: "text", s: rnd() < 0.01 ? SAMPLES[Math.floor(rnd() * SAMPLES.length)]! : SAMPLES[Math.floor(rnd() * 8)]! });
      }
      expect(digestOf(parts)).toBe(sha256Hex(parts.map(spell).join("")));
    }
  });

  it("spells numbers as String does and lone surrogates as U+FFFD, as hashing the string does", () => {
    for (const x of NUMBERS) expect(digestOf([{ kind: "number", x }])).toBe(sha256Hex(String(x)));
    expect(digestOf([{ kind: "text", s: "a\ud800" }])).toBe(sha256Hex("a\ufffd"));
  });

  it("keeps digesting after a digest was taken, as a running hash", () => {
    const h = new HashedText();
    h.text("first");
    expect(h.hex()).toBe(sha256Hex("first"));
    h.char(0x0a);
    h.number(12);
    expect(h.hex()).toBe(sha256Hex("first\n12"));
    expect(new HashedText().hex()).toBe(sha256Hex(""));
  });
});
