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
export const SMALL_IDS = 32;
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

/**
 * A group's ids: the plain array itself while it holds at most {@link SMALL_IDS}, an
 * {@link IdList} past that. Most groups hold a handful of ids and every group stays in the
 * result, so the small form is one object less per group than an IdList wrapping its array.
 */
export type Ids = number[] | IdList;

/** `ids` (ascending, taken as they are when few) as a group's {@link Ids}. */
export function idsFrom(ids: number[]): Ids {
  if (ids.length > SMALL_IDS) return new IdList(ids);
  for (let i = 0; i < ids.length; i++) checkAfter(ids[i]!, i === 0 ? -1 : ids[i - 1]!);
  return ids;
}

/** Appends an id larger than every id in `ids`; returns the list to keep (an IdList once the array is full). */
export function pushId(ids: Ids, id: number): Ids {
  if (!Array.isArray(ids)) {
    ids.push(id);
    return ids;
  }
  checkAfter(id, ids.length === 0 ? -1 : ids[ids.length - 1]!);
  if (ids.length < SMALL_IDS) {
    ids.push(id);
    return ids;
  }
  const list = new IdList(ids);
  list.push(id);
  return list;
}

/** Calls `f` with every id, in order. */
export function forEachId(ids: Ids, f: (id: number) => void): void {
  if (Array.isArray(ids)) for (const id of ids) f(id);
  else ids.forEach(f);
}

/** The ids as a new plain array. */
export function idsArray(ids: Ids): number[] {
  return Array.isArray(ids) ? ids.slice() : ids.toArray();
}

function checkAfter(id: number, last: number): void {
  if (!(id > last) || !Number.isSafeInteger(id)) throw new Error(`IdList: event ids must be ascending safe integers (${id} after ${last})`);
}
