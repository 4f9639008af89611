/**
 * What an audit record says about the records a replay read: how many were scanned and selected,
 * how many bytes the selected ones hold, and the hashes of a deterministic sample of them, so a
 * reviewer can spot-check records against the source system without the whole window.
 */
import type { NormalizedEvent } from "../event.js";
import { canonicalJson, sha256Hex } from "../hash.js";
import type { CompiledPolicy } from "../policy/compile.js";

/** Records hashed per window: enough to spot-check, small enough to read. */
export const AUDIT_SAMPLE_SIZE = 16;

/**
 * The sampled record ids for a window of `count` records: `floor(i × count / k)` for
 * `i < k = min(size, count)` — evenly spaced, first record included, the same on every run.
 */
export function sampleIds(count: number, size: number = AUDIT_SAMPLE_SIZE): number[] {
  const k = Math.min(size, count);
  const out: number[] = [];
  for (let i = 0; i < k; i++) out.push(Math.floor((i * count) / k));
  return out;
}

/** UTF-8 length of a string without allocating (lone surrogates count as U+FFFD, 3 bytes). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** One sampled record. */
export interface SampledRecord {
  readonly id: number;
  readonly sha256: string;
}

/** Per policy: records in its scope and their canonical bytes. */
export interface Selection {
  readonly records: number;
  readonly bytes: number;
}

/** What {@link AuditScanner} saw in one pass. */
export interface ScanResult {
  readonly scanned: number;
  /** Per policy, in the order given. */
  readonly selected: readonly Selection[];
  readonly sample: readonly SampledRecord[];
}

/**
 * Fed every event of a window (in file order), counts what each policy's scope selects and
 * hashes the sampled records. `count` is the manifest's pinned count, which fixes the sample
 * before the first record is read.
 */
export class AuditScanner {
  private readonly policies: readonly CompiledPolicy[];
  private readonly sampleAt: number[];
  private next = 0;
  private scanned = 0;
  private readonly records: number[];
  private readonly bytes: number[];
  private readonly sample: SampledRecord[] = [];

  constructor(count: number, policies: readonly CompiledPolicy[], sampleSize: number = AUDIT_SAMPLE_SIZE) {
    this.policies = policies;
    this.sampleAt = sampleIds(count, sampleSize);
    this.records = policies.map(() => 0);
    this.bytes = policies.map(() => 0);
  }

  push(e: NormalizedEvent, id: number): void {
    this.scanned++;
    let canonical: string | undefined;
    for (let i = 0; i < this.policies.length; i++) {
      if (!this.policies[i]!.inScope(e)) continue;
      canonical ??= canonicalJson(e);
      this.records[i]!++;
      this.bytes[i]! += utf8Length(canonical) + 1;
    }
    if (this.next < this.sampleAt.length && this.sampleAt[this.next] === id) {
      this.sample.push({ id, sha256: `sha256:${sha256Hex(canonical ?? canonicalJson(e))}` });
      while (this.next < this.sampleAt.length && this.sampleAt[this.next]! <= id) this.next++;
    }
  }

  finish(): ScanResult {
    return {
      scanned: this.scanned,
      selected: this.policies.map((_, i) => ({ records: this.records[i]!, bytes: this.bytes[i]! })),
      sample: this.sample.slice(),
    };
  }
}
