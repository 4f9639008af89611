/**
 * An append-only list of event ids in typed-array chunks. A group can gather millions of ids
 * (a count-1 rule over a busy window): a plain array grows by copying itself, holding about 2.5×
 * its size at each step, where chunks never copy. Chunks start small (most groups hold a few
 * ids) and double up to a fixed size. `toArray` makes the plain array a result carries, once,
 * at its exact length.
 */
const FIRST_CHUNK = 8;
const MAX_CHUNK = 1 << 16;

export class IdList {
  private readonly chunks: Float64Array[] = [];
  private tail = new Float64Array(FIRST_CHUNK);
  private used = 0;
  length = 0;

  constructor(ids: Iterable<number> = []) {
    this.chunks.push(this.tail);
    for (const id of ids) this.push(id);
  }

  push(id: number): void {
    if (this.used === this.tail.length) {
      this.tail = new Float64Array(Math.min(MAX_CHUNK, this.tail.length * 2));
      this.chunks.push(this.tail);
      this.used = 0;
    }
    this.tail[this.used++] = id;
    this.length++;
  }

  /** Calls `f` with every id, in order. */
  forEach(f: (id: number) => void): void {
    let left = this.length;
    for (const chunk of this.chunks) {
      const n = Math.min(left, chunk.length);
      for (let i = 0; i < n; i++) f(chunk[i]!);
      left -= n;
    }
  }

  /** The ids as a plain array of exactly `length` elements. */
  toArray(): number[] {
    // Preallocated and filled in place: no growth copies for a list of millions.
    const out = new Array<number>(this.length);
    let k = 0;
    this.forEach((id) => {
      out[k++] = id;
    });
    return out;
  }
}
