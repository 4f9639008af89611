/**
 * An append-only list of strictly ascending event ids, the ids a group gathers. A group can
 * gather millions (a count-1 rule over a busy window), and most groups hold a handful, so the
 * list has two forms:
 *
 * - up to {@link SMALL_IDS} ids, a plain array (a few words per id, no typed-array overhead);
 * - past that, the gaps between successive ids as base-128 varints in byte chunks. Events of one
 *   group are usually close together in the file, so a gap takes one or two bytes where a
 *   number takes eight: 5M consecutive ids hold 5 MB, not 40. Chunks never copy (a plain array
 *   grows by copying itself, briefly holding about 2.5× its size).
 *
 * `toArray` makes the plain array a result carries, once, at its exact length.
 */

/**
 * Ids kept in the plain array before switching to varints. An empty typed array with its buffer
 * costs about as much as 30 array slots, so below this the plain array is the smaller form.
 */
const SMALL_IDS = 32;
/** The first varint chunk, in bytes; chunks double from here. */
const FIRST_CHUNK = 256;
/** The largest chunk: 64 KiB, so a list of millions of ids wastes at most one chunk's slack. */
const MAX_CHUNK = 1 << 16;

export class IdList {
  private small: number[] | null = [];
  /** The varint chunks, once the list outgrew `small`. */
  private chunks: Uint8Array[] | null = null;
  private tail: Uint8Array | null = null;
  private used = 0;
  private last = -1;
  length = 0;

  constructor(ids: Iterable<number> = []) {
    for (const id of ids) this.push(id);
  }

  /**
   * A list of `ids` (ascending), taking the array itself when it fits the small form: a group
   * opens with the few ids of its first alert, and copying them into a fresh array would leave
   * one more object per group for the collector.
   */
  static of(ids: number[]): IdList {
    const out = new IdList();
    if (ids.length > SMALL_IDS || !isAscendingSafe(ids)) {
      for (const id of ids) out.push(id);
      return out;
    }
    out.small = ids;
    out.length = ids.length;
    out.last = ids.length === 0 ? -1 : ids[ids.length - 1]!;
    return out;
  }

  /** Appends an id larger than every id already in the list (the engine's ids follow the file). */
  push(id: number): void {
    if (!(id > this.last) || !Number.isSafeInteger(id)) throw new Error(`IdList: event ids must be ascending safe integers (${id} after ${this.last})`);
    if (this.small !== null) {
      if (this.small.length < SMALL_IDS) {
        this.small.push(id);
        this.last = id;
        this.length++;
        return;
      }
      const ids = this.small;
      this.small = null;
      this.chunks = [];
      this.last = -1;
      for (const x of ids) this.encode(x);
    }
    this.encode(id);
    this.length++;
  }

  /** Writes `id − last − 1` (≥ 0) as a varint: 7 bits a byte, low bits first, high bit = more. */
  private encode(id: number): void {
    let gap = id - this.last - 1;
    this.last = id;
    // Division, not shifts: gaps may exceed 2^31.
    while (gap >= 128) {
      this.byte((gap % 128) + 128);
      gap = Math.floor(gap / 128);
    }
    this.byte(gap);
  }

  private byte(b: number): void {
    if (this.tail === null || this.used === this.tail.length) {
      this.tail = new Uint8Array(this.tail === null ? FIRST_CHUNK : Math.min(MAX_CHUNK, this.tail.length * 2));
      this.chunks!.push(this.tail);
      this.used = 0;
    }
    this.tail[this.used++] = b;
  }

  /** Calls `f` with every id, in order. */
  forEach(f: (id: number) => void): void {
    if (this.small !== null) {
      for (const id of this.small) f(id);
      return;
    }
    let prev = -1;
    let acc = 0;
    let scale = 1;
    for (const chunk of this.chunks!) {
      // Every chunk but the tail is full; a varint may continue into the next chunk.
      const n = chunk === this.tail ? this.used : chunk.length;
      for (let i = 0; i < n; i++) {
        const b = chunk[i]!;
        if (b >= 128) {
          acc += (b - 128) * scale;
          scale *= 128;
        } else {
          prev += acc + b * scale + 1;
          f(prev);
          acc = 0;
          scale = 1;
        }
      }
    }
  }

  /** The ids as a plain array of exactly `length` elements. */
  toArray(): number[] {
    if (this.small !== null) return this.small.slice();
    // Preallocated and filled in place: no growth copies for a list of millions.
    const out = new Array<number>(this.length);
    let k = 0;
    this.forEach((id) => {
      out[k++] = id;
    });
    return out;
  }
}

function isAscendingSafe(ids: readonly number[]): boolean {
  let last = -1;
  for (const id of ids) {
    if (!(id > last) || !Number.isSafeInteger(id)) return false;
    last = id;
  }
  return true;
}
