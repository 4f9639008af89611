/**
 * What an on-call cares about when an Alertmanager configuration changes, per window and per
 * receiver: notifications base → head, pages lost (an alert that reached a receiver under base
 * and never under head — the headline) and added, first-notification delay per alert
 * (p50 / max), alerts newly inhibited or muted, and the route each changed alert took.
 * A pure function of two replays of the same window.
 */
import { compareStrings } from "../../compare.js";
import type { AlertFate, Notification } from "./simulator.js";
import { fingerprint } from "./simulator.js";
import { compareGoStrings } from "./matchers.js";
import type { Frozen } from "../../model/frozen.js";
import type { AmKindDiff } from "./diff-schema.js";

type Labels = Readonly<Record<string, string>>;

/** One side of a replay, as the diff needs it. */
export interface AmSide {
  readonly notifications: readonly Notification[];
  readonly fates: readonly AlertFate[];
}

/** The comparison of two replays of one window: report.json's `kind_diff` without its `kind`, typed by its schema (diff-schema.ts). */
export type AmWindowDiff = Frozen<Omit<AmKindDiff, "kind">>;

/** One receiver's notifications, pages lost and added, and first-notification delays under each version. */
export type ReceiverDiff = AmWindowDiff["receivers"][number];

/** First-notification delays of the alerts notified to one receiver. */
export type DelayStats = NonNullable<ReceiverDiff["first_delay"]["base"]>;

/** An alert that changed, with the route it took under each version. */
export type AlertChange = AmWindowDiff["changed_alerts"][number];

function percentile50(sorted: readonly number[]): number {
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

function delays(fates: ReadonlyMap<string, AlertFate>, receiver: string): DelayStats | null {
  const ds: number[] = [];
  for (const f of fates.values()) {
    const t = f.first_notified[receiver];
    if (t !== undefined) ds.push(t - f.received);
  }
  if (ds.length === 0) return null;
  ds.sort((a, b) => a - b);
  return { alerts: ds.length, p50_ms: percentile50(ds), max_ms: ds[ds.length - 1]! };
}

function byLabels(a: Labels, b: Labels): number {
  return compareStrings(fingerprint(a), fingerprint(b));
}

const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Compares two replays of one window. */
export function diffAlertmanager(base: AmSide, head: AmSide): AmWindowDiff {
  const bf = new Map(base.fates.map((f) => [fingerprint(f.labels), f]));
  const hf = new Map(head.fates.map((f) => [fingerprint(f.labels), f]));
  const receivers = new Set<string>();
  for (const n of [...base.notifications, ...head.notifications]) receivers.add(n.receiver);
  for (const f of [...bf.values(), ...hf.values()]) for (const r of f.receivers) receivers.add(r);
  const count = (ns: readonly Notification[], r: string) => ns.reduce((k, n) => k + (n.receiver === r ? 1 : 0), 0);
  const out: ReceiverDiff[] = [];
  for (const r of [...receivers].sort(compareGoStrings)) {
    const lost: Labels[] = [];
    const added: Labels[] = [];
    let maxAdded = 0;
    for (const [fp, b] of bf) {
      const h = hf.get(fp);
      const tb = b.first_notified[r];
      const th = h?.first_notified[r];
      if (tb !== undefined && th === undefined) lost.push(b.labels);
      if (tb !== undefined && th !== undefined) maxAdded = Math.max(maxAdded, th - h!.received - (tb - b.received));
    }
    for (const [fp, h] of hf) if (h.first_notified[r] !== undefined && bf.get(fp)?.first_notified[r] === undefined) added.push(h.labels);
    out.push({
      receiver: r,
      notifications: { base: count(base.notifications, r), head: count(head.notifications, r) },
      pages_lost: lost.sort(byLabels),
      pages_added: added.sort(byLabels),
      first_delay: { base: delays(bf, r), head: delays(hf, r) },
      max_added_delay_ms: maxAdded,
    });
  }
  const newlyInhibited: Labels[] = [];
  const newlyMuted: Labels[] = [];
  const changed: AlertChange[] = [];
  for (const [fp, h] of hf) {
    const b = bf.get(fp);
    if (h.inhibited && !b?.inhibited) newlyInhibited.push(h.labels);
    if (h.muted.length > 0 && (b?.muted.length ?? 0) === 0) newlyMuted.push(h.labels);
    if (!b || !same(b.routes, h.routes) || !same(b.receivers, h.receivers) || !same(b.notified, h.notified)) {
      changed.push({
        labels: h.labels,
        base: { routes: b?.routes ?? [], receivers: b?.receivers ?? [], notified: b?.notified ?? [] },
        head: { routes: h.routes, receivers: h.receivers, notified: h.notified },
      });
    }
  }
  const lostTotal = out.reduce((k, r) => k + r.pages_lost.length, 0);
  const addedTotal = out.reduce((k, r) => k + r.pages_added.length, 0);
  return {
    receivers: out,
    newly_inhibited: newlyInhibited.sort(byLabels),
    newly_muted: newlyMuted.sort(byLabels),
    changed_alerts: changed.sort((a, b) => byLabels(a.labels, b.labels)),
    totals: {
      notifications: { base: base.notifications.length, head: head.notifications.length },
      pages_lost: lostTotal,
      pages_added: addedTotal,
      max_added_delay_ms: Math.max(0, ...out.map((r) => r.max_added_delay_ms)),
    },
  };
}
