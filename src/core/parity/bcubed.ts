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

function assign(clusters: Clustering): Map<number, number> {
  const of = new Map<number, number>();
  clusters.forEach((events, c) => {
    for (const e of events) if (!of.has(e)) of.set(e, c);
  });
  return of;
}

/** B-cubed precision, recall and F1 of `head` against `base`. Empty universe: all 1. */
export function bcubed(base: Clustering, head: Clustering): { precision: number; recall: number; f1: number } {
  const b = assign(base);
  const h = assign(head);
  const universe = new Set<number>([...b.keys(), ...h.keys()]);
  if (universe.size === 0) return { precision: 1, recall: 1, f1: 1 };
  const bSize = new Map<number, number>();
  const hSize = new Map<number, number>();
  const joint = new Map<string, number>();
  for (const e of universe) {
    const bc = b.get(e) ?? SINGLETON;
    const hc = h.get(e) ?? SINGLETON;
    if (bc !== SINGLETON) bSize.set(bc, (bSize.get(bc) ?? 0) + 1);
    if (hc !== SINGLETON) hSize.set(hc, (hSize.get(hc) ?? 0) + 1);
    if (bc !== SINGLETON && hc !== SINGLETON) {
      const key = `${bc} ${hc}`;
      joint.set(key, (joint.get(key) ?? 0) + 1);
    }
  }
  let precision = 0;
  let recall = 0;
  for (const e of universe) {
    const bc = b.get(e) ?? SINGLETON;
    const hc = h.get(e) ?? SINGLETON;
    // A singleton on either side shares its cluster with the event alone.
    const both = bc === SINGLETON || hc === SINGLETON ? 1 : joint.get(`${bc} ${hc}`)!;
    precision += both / (hc === SINGLETON ? 1 : hSize.get(hc)!);
    recall += both / (bc === SINGLETON ? 1 : bSize.get(bc)!);
  }
  precision /= universe.size;
  recall /= universe.size;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

/** Rounds a score for reports: 4 decimals, so the JSON is the same on every machine and easy to read. */
export function roundScore(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
