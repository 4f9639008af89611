/**
 * Hashing is deterministic and pure, so the core may use it: content-derived ids, trace and
 * state signatures. (node:crypto is the one Node module src/core imports, for sha256 only.)
 */
import { createHash, hash } from "node:crypto";
import canonicalize from "canonicalize";

/** Lowercase hex sha256 of a string (UTF-8) or bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  // The one-shot digest makes no Hash object: about 4× faster for the short inputs of trace
  // signatures and content ids, which the engine hashes several times per alert group.
  return hash("sha256", data, "hex");
}

/** An incremental sha256: feeding strings (UTF-8) or bytes one by one gives the digest of their concatenation. */
export class Sha256Stream {
  private readonly hash = createHash("sha256");

  update(data: string | Uint8Array): void {
    this.hash.update(data);
  }

  hex(): string {
    return this.hash.copy().digest("hex");
  }
}

/** RFC 8785 (JCS) canonical JSON: sorted keys, ECMAScript number formatting. */
export function canonicalJson(value: unknown): string {
  const out = (canonicalize as unknown as (v: unknown) => string | undefined)(value);
  if (out === undefined) throw new TypeError("value has no JSON form");
  return out;
}

/** A short, readable, content-derived id: `prefix-` and the first 12 hex digits of sha256. */
export function shortId(prefix: string, content: string): string {
  // join makes one flat string; a template would make a rope of three that every alert group
  // (the ids of a big window's groups all stay in its result) keeps for the collector to trace.
  return [prefix, sha256Hex(content).slice(0, 12)].join("-");
}
