/**
 * Pairs base and head incidents (docs/report.md#matching).
 *
 * 1. Regrouping first: an incident "goes to" the incident of the other side that holds most
 *    (more than half) of its events. Connected groups of that relation with several incidents
 *    on one side are *merged* (many base → one head, or more base than head) or *split* (one
 *    base → many head, or more head than base). Their incidents take no further part.
 * 2. The rest pair one to one by Jaccard similarity of their event sets, at least 0.5, greedy
 *    by similarity, ties by base id then head id. A pair is *unchanged* when no compared field
 *    differs, else *changed* with each differing field.
 * 3. What is left is *added* (head) or *removed* (base).
 */
import { compareStrings } from "../compare.js";
import type { ActionDecision, Incident } from "../engine/types.js";
import type { FieldChange, Matching, Pair, Regroup } from "../report/report-schema.js";
import { formatTimestamp } from "../time.js";
import { roundScore } from "./bcubed.js";

export const MIN_JACCARD = 0.5;

function overlap(a: readonly number[], b: readonly number[]): number {
  // Both ascending (engine invariant): a linear merge.
  let i = 0,
    j = 0,
    n = 0;
  while (i < a.length && j < b.length) {
    if (a[i]! === b[j]!) {
      n++;
      i++;
      j++;
    } else if (a[i]! < b[j]!) i++;
    else j++;
  }
  return n;
}

function decisionsOf(decisions: readonly ActionDecision[], incident: string): string {
  const list = decisions
    .filter((d) => d.incident === incident)
    .map((d) => `${d.action}:${d.decision}`)
    .sort(compareStrings);
  return list.length === 0 ? "none" : list.join(", ");
}

/** The fields a changed pair is compared on (rules, severity, confidence, title, actions), plus event and alert counts and the time span. */
export function compareIncidents(b: Incident, h: Incident, bd: readonly ActionDecision[], hd: readonly ActionDecision[]): FieldChange[] {
  const out: FieldChange[] = [];
  const add = (field: FieldChange["field"], base: string, head: string) => {
    if (base !== head) out.push({ field, base, head });
  };
  add("rules", b.rules.join(", "), h.rules.join(", "));
  add("severity", b.severity, h.severity);
  add("confidence", String(b.confidence), String(h.confidence));
  add("title", b.title, h.title);
  add("actions", decisionsOf(bd, b.id), decisionsOf(hd, h.id));
  add("events", String(b.events.length), String(h.events.length));
  add("alerts", String(b.alerts), String(h.alerts));
  add("start", formatTimestamp(b.start), formatTimestamp(h.start));
  add("end", formatTimestamp(b.end), formatTimestamp(h.end));
  return out;
}

interface Edge {
  readonly b: number;
  readonly h: number;
  readonly shared: number;
}

/** Matches base incidents to head incidents. Both lists in result order; decisions for the `actions` field. */
export function matchIncidents(base: readonly Incident[], head: readonly Incident[], baseDecisions: readonly ActionDecision[], headDecisions: readonly ActionDecision[]): Matching {
  const edges: Edge[] = [];
  for (let b = 0; b < base.length; b++) {
    for (let h = 0; h < head.length; h++) {
      const shared = overlap(base[b]!.events, head[h]!.events);
      if (shared > 0) edges.push({ b, h, shared });
    }
  }
  // Step 1: majority links, then connected components over them.
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  const union = (x: string, y: string) => {
    const rx = find(x),
      ry = find(y);
    if (rx !== ry) parent.set(rx < ry ? ry : rx, rx < ry ? rx : ry);
  };
  base.forEach((_, i) => parent.set(`b${i}`, `b${i}`));
  head.forEach((_, i) => parent.set(`h${i}`, `h${i}`));
  for (const e of edges) {
    if (e.shared * 2 > base[e.b]!.events.length || e.shared * 2 > head[e.h]!.events.length) union(`b${e.b}`, `h${e.h}`);
  }
  const components = new Map<string, { b: number[]; h: number[] }>();
  for (const key of parent.keys()) {
    const root = find(key);
    const c = components.get(root) ?? { b: [], h: [] };
    (key[0] === "b" ? c.b : c.h).push(Number(key.slice(1)));
    components.set(root, c);
  }
  const regrouped: Regroup[] = [];
  const taken = { b: new Set<number>(), h: new Set<number>() };
  for (const c of components.values()) {
    if (c.b.length === 0 || c.h.length === 0 || (c.b.length === 1 && c.h.length === 1)) continue;
    c.b.sort((x, y) => x - y);
    c.h.sort((x, y) => x - y);
    const inB = new Set(c.b),
      inH = new Set(c.h);
    const shared = edges.filter((e) => inB.has(e.b) && inH.has(e.h)).reduce((n, e) => n + e.shared, 0);
    regrouped.push({
      kind: c.h.length > c.b.length ? "split" : "merged",
      base: c.b.map((i) => base[i]!.id),
      head: c.h.map((i) => head[i]!.id),
      shared_events: shared,
    });
    for (const i of c.b) taken.b.add(i);
    for (const i of c.h) taken.h.add(i);
  }
  regrouped.sort((x, y) => compareStrings(x.base[0]!, y.base[0]!) || compareStrings(x.head[0]!, y.head[0]!));
  // Step 2: greedy one-to-one pairing by Jaccard.
  const candidates = edges
    .filter((e) => !taken.b.has(e.b) && !taken.h.has(e.h))
    .map((e) => ({ ...e, jaccard: e.shared / (base[e.b]!.events.length + head[e.h]!.events.length - e.shared) }))
    .filter((e) => e.jaccard >= MIN_JACCARD)
    .sort((x, y) => y.jaccard - x.jaccard || compareStrings(base[x.b]!.id, base[y.b]!.id) || compareStrings(head[x.h]!.id, head[y.h]!.id));
  const pairs: Pair[] = [];
  for (const e of candidates) {
    if (taken.b.has(e.b) || taken.h.has(e.h)) continue;
    taken.b.add(e.b);
    taken.h.add(e.h);
    const changes = compareIncidents(base[e.b]!, head[e.h]!, baseDecisions, headDecisions);
    pairs.push({ kind: changes.length === 0 ? "unchanged" : "changed", base: base[e.b]!.id, head: head[e.h]!.id, jaccard: roundScore(e.jaccard), changes });
  }
  const order = new Map(base.map((inc, i) => [inc.id, i]));
  pairs.sort((x, y) => order.get(x.base)! - order.get(y.base)!);
  const removed = base.filter((_, i) => !taken.b.has(i)).map((i) => i.id);
  const added = head.filter((_, i) => !taken.h.has(i)).map((i) => i.id);
  return {
    unchanged: pairs.filter((p) => p.kind === "unchanged").length,
    changed: pairs.filter((p) => p.kind === "changed").length,
    added: added.length,
    removed: removed.length,
    split: regrouped.filter((r) => r.kind === "split").length,
    merged: regrouped.filter((r) => r.kind === "merged").length,
    pairs,
    regrouped,
    added_ids: added,
    removed_ids: removed,
  };
}
