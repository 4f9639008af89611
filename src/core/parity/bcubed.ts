/**
 * B-cubed parity (docs/parity.md): precision and recall per event of one clustering against the
 * other, over every event that any incident holds in either result; an event in no incident is
 * its own cluster. F1 of the averages; 1.0 means the same clustering.
 *
 * Engine incidents can share an event (one event may feed two rules whose groups end in
 * different incidents). B-cubed needs a partition, so an event belongs to the first incident,
 * in the result's order (start, then id), that holds it — the same rule on both sides, so
 * identical results still score 1.0.
 */

/** One side's incidents, as event id lists, in result order. */
export type Clustering = readonly (readonly number[])[];

const SINGLETON = -1;

/**
 * Ids up to this many times the number of ids held (plus a constant) are counted in arrays
 * indexed by id; sparser ids are first replaced by their rank, so the arrays never outgrow a
 * small multiple of the clusters themselves.
 */
const DENSE_FACTOR = 4;
const DENSE_SLACK = 65_536;

/** B-cubed precision, recall and F1 of `head` against `base`. Empty universe: all 1. */
export function bcubed(base: Clustering, head: Clustering): { precision: number; recall: number; f1: number } {
  let max = -1;
  let total = 0;
  for (const side of [base, head])
    for (const events of side) {
      for (const e of events) if (e > max) max = e;
      total += events.length;
    }
  if (total === 0) return { precision: 1, recall: 1, f1: 1 };
  if (max < DENSE_FACTOR * total + DENSE_SLACK) return bcubedDense(base, head, max + 1);
  const rank = ranks(base, head);
  const byRank = (side: Clustering) => side.map((events) => events.map((e) => rank.get(e)!));
  return bcubedDense(byRank(base), byRank(head), rank.size);
}

/** Each distinct id's rank among all ids of both sides. */
function ranks(base: Clustering, head: Clustering): Map<number, number> {
  const ids = new Float64Array(base.concat(head).flat()).sort();
  const rank = new Map<number, number>();
  for (const id of ids) if (!rank.has(id)) rank.set(id, rank.size);
  return rank;
}

/** {@link bcubed} over ids below `bound`, counted in arrays indexed by id and by cluster. */
function bcubedDense(base: Clustering, head: Clustering, bound: number): { precision: number; recall: number; f1: number } {
  // Each event's cluster on each side: the first that holds it, in result order.
  const bOf = new Int32Array(bound).fill(SINGLETON);
  const hOf = new Int32Array(bound).fill(SINGLETON);
  // The universe, base's events first, then head's others: the order the sums run in.
  const universe: number[] = [];
  base.forEach((events, c) => {
    for (const e of events)
      if (bOf[e] === SINGLETON) {
        bOf[e] = c;
        universe.push(e);
      }
  });
  head.forEach((events, c) => {
    for (const e of events)
      if (hOf[e] === SINGLETON) {
        hOf[e] = c;
        if (bOf[e] === SINGLETON) universe.push(e);
      }
  });
  const bSize = new Float64Array(base.length);
  const hSize = new Float64Array(head.length);
  // A pair of clusters as one number (no string per event).
  const pair = (bc: number, hc: number) => bc * head.length + hc;
  const joint = new Map<number, number>();
  for (const e of universe) {
    const bc = bOf[e]!;
    const hc = hOf[e]!;
    if (bc !== SINGLETON) bSize[bc]!++;
    if (hc !== SINGLETON) hSize[hc]!++;
    if (bc !== SINGLETON && hc !== SINGLETON) {
      const key = pair(bc, hc);
      joint.set(key, (joint.get(key) ?? 0) + 1);
    }
  }
  let precision = 0;
  let recall = 0;
  for (const e of universe) {
    const bc = bOf[e]!;
    const hc = hOf[e]!;
    // A singleton on either side shares its cluster with the event alone.
    const both = bc === SINGLETON || hc === SINGLETON ? 1 : joint.get(pair(bc, hc))!;
    precision += both / (hc === SINGLETON ? 1 : hSize[hc]!);
    recall += both / (bc === SINGLETON ? 1 : bSize[bc]!);
  }
  precision /= universe.length;
  recall /= universe.length;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

/** Rounds a score for reports: 4 decimals, so the JSON is the same on every machine and easy to read. */
export function roundScore(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
