/**
 * The window cache's chunk checks: a chunk with valid checksums is still only used when every
 * event it holds is one an events file within the window could have produced. Chunks are forged
 * here with the encoder itself (it stores whatever fits the layout) or by rewriting their words.
 */
import { describe, expect, it } from "vitest";
import type { NormalizedEvent } from "../../src/core/event.js";
import { normalizeEvent } from "../../src/core/event.js";
import { DecodedChunk, type ChunkBounds } from "../../src/io/window-cache-decode.js";
import { ChunkEncoder } from "../../src/io/window-cache-encode.js";
import { CorruptEntry, HEADER_WORDS } from "../../src/io/window-cache-layout.js";

const T0 = Date.parse("2026-02-26T10:12:00Z");
const BOUNDS: ChunkBounds = { startMs: T0, endMs: T0 + 60_000, lastTs: -Infinity, maxLineBytes: 1024 };

function event(i: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ts: T0 + i, signal: "bgp", name: "bgp.withdraw", scope: { service: "edge-gw", pop: "POP-12" }, attrs: { peer: `192.0.2.${i % 3}`, up: i % 2 === 0, n: i }, ...extra };
}

function encode(events: readonly Record<string, unknown>[]): Uint8Array {
  const enc = new ChunkEncoder();
  for (const e of events) enc.add(e as unknown as NormalizedEvent);
  expect(enc.ok).toBe(true);
  // A fresh ArrayBuffer, aligned as the reader's are.
  const bytes = enc.finish();
  const copy = new Uint8Array(new ArrayBuffer(bytes.length));
  copy.set(bytes);
  return copy;
}

function decode(bytes: Uint8Array, events: number, bounds: ChunkBounds = BOUNDS): NormalizedEvent[] {
  const out: NormalizedEvent[] = [];
  new DecodedChunk(bytes, bounds, events).forEach((e) => out.push(e));
  return out;
}

function refuses(events: readonly Record<string, unknown>[], bounds: ChunkBounds = BOUNDS): void {
  expect(() => new DecodedChunk(encode(events), bounds, events.length)).toThrow(CorruptEntry);
}

/** Where each section of a chunk starts, in u32 words. */
function sections(bytes: Uint8Array) {
  const u32 = new Uint32Array(bytes.buffer, bytes.byteOffset, Math.floor(bytes.length / 4));
  const [, strings, , , , keyShapeWords, , objectWords, , eventShapeWords] = u32;
  const keyShapes = HEADER_WORDS + strings!;
  const objects = keyShapes + keyShapeWords!;
  const eventShapes = objects + objectWords!;
  const tokens = eventShapes + eventShapeWords!;
  return { u32, keyShapes, objects, eventShapes, tokens };
}

describe("a window cache chunk", () => {
  it("decodes to the events it was given, with their key order, -0, lone surrogates and integer-like keys", () => {
    const events = [
      event(0, { attrs: { "2": "two", peer: "a", "1": "one", zero: -0 } }),
      event(1, { value: 1e-300, severity: "major", labels: { alertname: "High\uD800Latency" }, annotations: {} }),
      { ts: T0 + 2, name: "x", signal: "alert", scope: {}, starts_at: T0, ends_at: T0 + 5 },
    ];
    const decoded = decode(encode(events), events.length);
    expect(decoded.map((e) => JSON.stringify(e))).toEqual(events.map((e) => JSON.stringify(e)));
    expect(Object.is(decoded[0]!.attrs!["zero"], -0)).toBe(true);
    for (const e of decoded) expect(normalizeEvent(structuredClone(e))).toEqual(e);
  });

  it("shares an object several events hold, frozen, so that a consumer changing it fails instead of changing the others", () => {
    const decoded = decode(encode([event(0), event(3), event(4)]), 3);
    expect(decoded[0]!.scope).toBe(decoded[1]!.scope);
    expect(Object.isFrozen(decoded[0]!.scope)).toBe(true);
    expect(() => {
      (decoded[0]!.scope as Record<string, string>)["pop"] = "POP-1";
    }).toThrow(TypeError);
    // Held by one event only, like an object parsed from a line.
    expect(decoded[2]!.attrs).not.toBe(decoded[0]!.attrs);
    expect(Object.isFrozen(decoded[2]!.attrs)).toBe(false);
  });

  it.each([
    ["a signal outside the vocabulary", event(0, { signal: "telepathy" })],
    ["an empty name", event(0, { name: "" })],
    ["a severity outside the vocabulary", event(0, { severity: "apocalyptic" })],
    ["a scope key that is not a dimension", event(0, { scope: { planet: "earth" } })],
    ["a scope value that is not a string", event(0, { scope: { pop: 12 } })],
    ["an attrs key __proto__", event(0, { attrs: JSON.parse('{"__proto__": "x"}') as unknown })],
    ["an empty attrs key", event(0, { attrs: { "": 1 } })],
    ["a label value that is not a string", event(0, { labels: { alertname: true } })],
    ["a non-finite value", event(0, { value: Number.POSITIVE_INFINITY })],
    ["a value that is NaN", event(0, { value: Number.NaN })],
    ["a non-finite attrs number", event(0, { attrs: { n: Number.NEGATIVE_INFINITY } })],
    ["a starts_at that is not whole milliseconds", event(0, { starts_at: T0 + 0.5 })],
    ["an ends_at past year 9999", event(0, { ends_at: 1e16 })],
    ["a ts that is not whole milliseconds", event(0, { ts: T0 + 0.25 })],
    ["a ts before the window", event(0, { ts: T0 - 1 })],
    ["a ts after the window", event(0, { ts: T0 + 60_001 })],
    ["a string longer than the line limit", event(0, { source: "x".repeat(1025) })],
    ["an event without scope", { ts: T0, signal: "bgp", name: "n" }],
    ["an event without ts", { signal: "bgp", name: "n", scope: {} }],
  ])("refuses %s", (_name, bad) => {
    refuses([event(0), bad]);
  });

  it("refuses events out of order, within a chunk and after the previous chunk's last ts", () => {
    refuses([event(5), event(4)]);
    const bytes = encode([event(5), event(6)]);
    expect(decode(bytes, 2, { ...BOUNDS, lastTs: T0 + 5 })).toHaveLength(2);
    expect(() => decode(bytes, 2, { ...BOUNDS, lastTs: T0 + 6 })).toThrow(CorruptEntry);
  });

  it("refuses a chunk whose event count differs from its table row's", () => {
    expect(() => decode(encode([event(0), event(1)]), 3)).toThrow(CorruptEntry);
  });

  it("refuses a token past any dictionary: an event's object, an object's string, an event shape", () => {
    const forge = (at: (s: ReturnType<typeof sections>) => number, value: number) => {
      const bytes = encode([event(0), event(1)]);
      const s = sections(bytes);
      s.u32[at(s)] = value;
      return () => decode(bytes, 2);
    };
    expect(forge((s) => s.tokens, 9)).toThrow(CorruptEntry);
    // The event's tokens: shape, then signal, name, scope, attrs (ts has its column).
    expect(forge((s) => s.tokens + 3, 1000)).toThrow(CorruptEntry);
    expect(forge((s) => s.objects + 1, 1000 * 4)).toThrow(CorruptEntry);
    expect(forge((s) => s.objects + 1, 1 * 4 + 2)).toThrow(CorruptEntry);
    expect(forge((s) => s.eventShapes + 1, 12)).toThrow(CorruptEntry);
  });

  it("refuses an object shape that repeats a key or lists integer-like keys out of the order objects enumerate them in", () => {
    const bytes = encode([event(0, { attrs: { "1": "a", b: "c" } })]);
    const s = sections(bytes);
    // The first key shape is the scope's (service, pop); the attrs' is next: 2, "1", "b".
    const attrsShape = s.keyShapes + 3;
    expect(s.u32[attrsShape]).toBe(2);
    const [one, b] = [s.u32[attrsShape + 1]!, s.u32[attrsShape + 2]!];
    s.u32[attrsShape + 2] = one;
    expect(() => decode(bytes, 1)).toThrow(CorruptEntry);
    s.u32[attrsShape + 1] = b;
    s.u32[attrsShape + 2] = one;
    expect(() => decode(bytes, 1)).toThrow(CorruptEntry);
  });

  it("refuses an event shape that repeats a key", () => {
    const bytes = encode([event(0)]);
    const s = sections(bytes);
    // ts, signal, name, scope, attrs: name repeated in place of attrs.
    s.u32[s.eventShapes + 5] = s.u32[s.eventShapes + 3]!;
    expect(() => decode(bytes, 1)).toThrow(CorruptEntry);
  });

  it("does not encode an event with a key or value type no normalized event has, so no entry is written for it", () => {
    for (const bad of [event(0, { extra: 1 }), event(0, { name: 7 }), event(0, { attrs: { nested: {} } }), event(0, { scope: null })]) {
      const enc = new ChunkEncoder();
      enc.add(event(0) as unknown as NormalizedEvent);
      enc.add(bad as unknown as NormalizedEvent);
      expect(enc.ok).toBe(false);
    }
  });

  it("refuses a chunk whose dictionaries hold more entries than its events could use", () => {
    // By hand: one event (bgp, "n", scope: object 0) and `objects` empty objects of one empty key shape.
    const raw = (objects: number) => {
      const words = [1, 2, 0, 4, 1, 1, objects, objects, 1, 5, 4, 0, 3, 1, 0, ...Array<number>(objects).fill(0), 4, 0, 1, 2, 3, 0, 0, 1, 0];
      const tsAt = Math.ceil((words.length * 4) / 8) * 8;
      const bytes = new Uint8Array(new ArrayBuffer(tsAt + 8 + 4));
      new Uint32Array(bytes.buffer, 0, words.length).set(words);
      new Float64Array(bytes.buffer, tsAt, 1).set([T0]);
      bytes.set(Buffer.from("bgpn"), tsAt + 8);
      return bytes;
    };
    expect(decode(raw(4), 1)).toEqual([{ ts: T0, signal: "bgp", name: "n", scope: {} }]);
    expect(() => decode(raw(5), 1)).toThrow(CorruptEntry);
  });

  it("refuses a chunk cut short or with bytes past its sections", () => {
    const bytes = encode([event(0), event(1)]);
    expect(() => decode(bytes.slice(0, bytes.length - 1), 2)).toThrow(CorruptEntry);
    const longer = new Uint8Array(new ArrayBuffer(bytes.length + 8));
    longer.set(bytes);
    expect(() => decode(longer, 2)).toThrow(CorruptEntry);
  });
});
