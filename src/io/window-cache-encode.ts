/**
 * Writes chunks of the verified window cache (layout: window-cache-layout.ts). It runs once per
 * window, on the read that builds the entry, so it avoids building strings per event: repeated
 * objects and shapes are found by walking tries of small integers, not by signature strings.
 */
import type { NormalizedEvent } from "../core/event.js";
import { CHUNK_EVENTS, HEADER_WORDS, K_TS, KEY_CODE, NUMBER_KEYS, SOFT_CHUNK_BYTES, STRING_KEYS, TAG_FALSE, TAG_NUMBER, TAG_STRING, TAG_TRUE } from "./window-cache-layout.js";

// In `u` mode a surrogate pair is one code point, so this matches lone surrogates only (JSON may escape them).
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** A trie over sequences of integers: the id of the sequence that ends at a node (-1: none yet). */
class Trie {
  id = -1;
  private next: Map<number, Trie> | undefined;

  child(word: number): Trie {
    this.next ??= new Map();
    let t = this.next.get(word);
    if (t === undefined) {
      t = new Trie();
      this.next.set(word, t);
    }
    return t;
  }
}

/** Encodes one chunk of events. */
export class ChunkEncoder {
  private readonly strings = new Map<string, number>();
  private readonly stringList: string[] = [];
  private stringChars = 0;
  private readonly numberIds = new Map<number, number>();
  private negativeZero = -1;
  private readonly numbers: number[] = [];
  private readonly keyShapes = new Trie();
  private keyShapeCount = 0;
  private readonly keyShapeWords: number[] = [];
  private readonly objects = new Trie();
  private objectCount = 0;
  private readonly objectWords: number[] = [];
  private readonly eventShapes = new Map<number, number>();
  private readonly eventShapeWords: number[] = [];
  private readonly tokens: number[] = [];
  private readonly ts: number[] = [];
  /** Key and value words of the object being added. */
  private readonly scratch: number[] = [];
  events = 0;
  /** False once an event did not fit the layout: nothing of the entry may be written. */
  ok = true;

  /** True when the chunk should be written before another event is added. */
  get full(): boolean {
    const words = this.tokens.length + this.objectWords.length + this.keyShapeWords.length + this.stringList.length;
    return this.events >= CHUNK_EVENTS || words * 4 + (this.ts.length + this.numbers.length) * 8 + this.stringChars * 2 >= SOFT_CHUNK_BYTES;
  }

  add(event: NormalizedEvent): void {
    if (!this.ok) return;
    const e = event as unknown as Record<string, unknown>;
    const at = this.tokens.length;
    this.tokens.push(0);
    // Base 13, a digit per key (its code plus one): the 12 keys an event may have stay below 2^53.
    let sig = 0;
    for (const k in e) {
      const code = KEY_CODE.get(k);
      const v = e[k];
      if (code === undefined) return this.fail();
      sig = sig * 13 + code + 1;
      const bit = 1 << code;
      if (code === K_TS) {
        if (typeof v !== "number") return this.fail();
        this.ts.push(v);
      } else if (bit & STRING_KEYS) {
        if (typeof v !== "string") return this.fail();
        this.tokens.push(this.str(v));
      } else if (bit & NUMBER_KEYS) {
        if (typeof v !== "number") return this.fail();
        this.tokens.push(this.num(v));
      } else {
        if (typeof v !== "object" || v === null) return this.fail();
        const i = this.object(v as Record<string, unknown>);
        if (i < 0) return this.fail();
        this.tokens.push(i);
      }
    }
    let shape = this.eventShapes.get(sig);
    if (shape === undefined) {
      shape = this.eventShapes.size;
      this.eventShapes.set(sig, shape);
      const codes: number[] = [];
      for (let s = sig; s > 0; s = Math.floor(s / 13)) codes.push((s % 13) - 1);
      this.eventShapeWords.push(codes.length, ...codes.reverse());
    }
    this.tokens[at] = shape;
    this.events++;
  }

  private fail(): void {
    this.ok = false;
  }

  private str(s: string): number {
    let i = this.strings.get(s);
    if (i === undefined) {
      i = this.stringList.length;
      this.strings.set(s, i);
      this.stringList.push(s);
      this.stringChars += s.length;
    }
    return i;
  }

  /** The index of a number in the column; -0 apart from 0, which a Map key would merge. */
  private num(v: number): number {
    if (v === 0 && 1 / v < 0) {
      if (this.negativeZero < 0) this.negativeZero = this.numbers.push(v) - 1;
      return this.negativeZero;
    }
    let i = this.numberIds.get(v);
    if (i === undefined) {
      i = this.numbers.push(v) - 1;
      this.numberIds.set(v, i);
    }
    return i;
  }

  /** The index of an object with this content, added when it is new; -1 for a value of another type. */
  private object(o: Record<string, unknown>): number {
    const words = this.scratch;
    words.length = 0;
    let node = this.objects;
    for (const k in o) {
      const v = o[k];
      let w: number;
      switch (typeof v) {
        case "string":
          w = this.str(v) * 4 + TAG_STRING;
          break;
        case "number":
          w = this.num(v) * 4 + TAG_NUMBER;
          break;
        case "boolean":
          w = v ? TAG_TRUE : TAG_FALSE;
          break;
        default:
          return -1;
      }
      const key = this.str(k);
      words.push(key, w);
      node = node.child(key).child(w);
    }
    if (node.id >= 0) return node.id;
    node.id = this.objectCount++;
    let shape = this.keyShapes;
    for (let j = 0; j < words.length; j += 2) shape = shape.child(words[j]!);
    if (shape.id < 0) {
      shape.id = this.keyShapeCount++;
      this.keyShapeWords.push(words.length / 2);
      for (let j = 0; j < words.length; j += 2) this.keyShapeWords.push(words[j]!);
    }
    this.objectWords.push(shape.id);
    for (let j = 1; j < words.length; j += 2) this.objectWords.push(words[j]!);
    return node.id;
  }

  /** The chunk's bytes. */
  finish(): Buffer {
    const wellFormed = !this.stringList.some((s) => LONE_SURROGATE.test(s));
    const blob = Buffer.from(this.stringList.join(""), wellFormed ? "utf8" : "utf16le");
    const sections = [this.keyShapeWords, this.objectWords, this.eventShapeWords, this.tokens];
    const words = HEADER_WORDS + this.stringList.length + sections.reduce((n, s) => n + s.length, 0);
    const tsAt = Math.ceil((words * 4) / 8) * 8;
    const numbersAt = tsAt + this.ts.length * 8;
    const blobAt = numbersAt + this.numbers.length * 8;
    const out = new ArrayBuffer(blobAt + blob.length);
    const u32 = new Uint32Array(out, 0, words);
    u32.set([
      this.events,
      this.stringList.length,
      wellFormed ? 0 : 1,
      blob.length,
      this.keyShapeCount,
      this.keyShapeWords.length,
      this.objectCount,
      this.objectWords.length,
      this.eventShapes.size,
      this.eventShapeWords.length,
      this.tokens.length,
      this.numbers.length,
    ]);
    let at = HEADER_WORDS;
    for (const s of this.stringList) u32[at++] = s.length;
    for (const section of sections) {
      u32.set(section, at);
      at += section.length;
    }
    new Float64Array(out, tsAt, this.ts.length).set(this.ts);
    new Float64Array(out, numbersAt, this.numbers.length).set(this.numbers);
    const bytes = Buffer.from(out);
    blob.copy(bytes, blobAt);
    return bytes;
  }
}
