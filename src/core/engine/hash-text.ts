/**
 * Text fed to an incremental sha256 through a byte buffer: the engine's step and timeline text
 * (docs/engine.md#the-pipeline) is written as UTF-8 straight into the buffer and hashed a buffer
 * at a time, so recording a step makes no string (no number's text, no rope of concatenations)
 * for the collector to sweep. The digest is that of the same text hashed as a string.
 */
import { Sha256Stream } from "../hash.js";

/** Bytes hashed at a time: one call into the hash per step costs more than the hashing itself. */
const BATCH_BYTES = 1 << 15;

const encoder = new TextEncoder();

export class HashedText {
  private readonly hash = new Sha256Stream();
  private readonly buf = new Uint8Array(BATCH_BYTES);
  private used = 0;

  /** Appends one ASCII character (a separator). */
  char(code: number): void {
    if (this.used === BATCH_BYTES) this.flush();
    this.buf[this.used++] = code;
  }

  /** Appends a number as `String(x)` spells it; one below 2^31 without making that string. */
  number(x: number): void {
    if (!(x >= 0 && x < 0x80000000 && x === (x | 0))) {
      this.text(String(x));
      return;
    }
    const digits = x < 10 ? 1 : x < 100 ? 2 : x < 1000 ? 3 : x < 10000 ? 4 : x < 100000 ? 5 : x < 1000000 ? 6 : x < 10000000 ? 7 : x < 100000000 ? 8 : x < 1000000000 ? 9 : 10;
    if (this.used + digits > BATCH_BYTES) this.flush();
    const buf = this.buf;
    let pos = this.used + digits;
    this.used = pos;
    let t = x;
    do {
      const q = (t / 10) | 0;
      buf[--pos] = 48 + t - q * 10;
      t = q;
    } while (t > 0);
  }

  /** Appends a string as UTF-8 (a lone surrogate as U+FFFD, as hashing the string would). */
  text(s: string): void {
    const length = s.length;
    // A UTF-16 unit takes at most 3 bytes of UTF-8 (a surrogate pair 4 for its 2).
    if (this.used + length * 3 > BATCH_BYTES) {
      this.flush();
      if (length * 3 > BATCH_BYTES) {
        this.hash.update(s);
        return;
      }
    }
    const buf = this.buf;
    let used = this.used;
    for (let i = 0; i < length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        used += encoder.encodeInto(s.slice(i), buf.subarray(used)).written;
        break;
      }
      buf[used++] = c;
    }
    this.used = used;
  }

  /** Lowercase hex digest of everything appended so far (appending may go on). */
  hex(): string {
    this.flush();
    return this.hash.hex();
  }

  private flush(): void {
    if (this.used === 0) return;
    this.hash.update(this.buf.subarray(0, this.used));
    this.used = 0;
  }
}
