/**
 * A deterministic Alertmanager in virtual time, following Alertmanager 0.25 (`api/v2` alert
 * intake, `provider/mem` merge, `dispatch` routing and aggregation groups, `inhibit`,
 * `notify` time-interval stages and dedup against the notification log). No clock: time is the
 * `received` time of each POSTed alert, and every flush due before the window's end happens.
 *
 * Where releases differ, {@link SimulatorOptions} selects the behaviour (0.25 by default).
 * Not modelled: HA/gossip, silences, templates, delivery failures and retries.
 */
import { matchesAll } from "./matchers.js";
import { containsTime } from "./time-intervals.js";
import { matchRoutes, type AmConfig, type AmIntegration, type AmRoute } from "./config.js";
import { compareGoStrings } from "./matchers.js";
import { sha256Hex } from "../../hash.js";

export type Labels = Readonly<Record<string, string>>;

/** Behaviour switches for the documented differences between Alertmanager releases. */
export interface SimulatorOptions {
  /**
   * `every-insert` (0.25–0.29): an alert whose `startsAt + group_wait` is already past flushes
   * its group at once whenever it is inserted before the group's first flush.
   * `at-creation` (0.30+): only when it creates the group.
   */
  readonly immediate_flush: "every-insert" | "at-creation";
  /**
   * `cleanup-tick` (0.25–0.31): an emptied group lives on (keeping its tick phase) until the
   * dispatcher's 30 s cleanup tick, anchored at the window's start. `after-flush` (0.32+):
   * destroyed by the flush that empties it.
   */
  readonly empty_groups: "cleanup-tick" | "after-flush";
  /**
   * `all` (0.25–0.29): every live source alert of a rule counts. `latest-ending` (0.30+): per
   * set of `equal` values only the source that resolves last is indexed, and only it is checked
   * (so a two-sided match on it, or its resolution, lets the target through).
   */
  readonly inhibition_sources: "all" | "latest-ending";
}

export const DEFAULT_OPTIONS: SimulatorOptions = { immediate_flush: "every-insert", empty_groups: "cleanup-tick", inhibition_sources: "all" };

/** The documented release behaviours, by the release that introduced them. */
export const EMULATED_RELEASES: Readonly<Record<"0.25" | "0.30" | "0.32", SimulatorOptions>> = {
  "0.25": DEFAULT_OPTIONS,
  "0.30": { immediate_flush: "at-creation", empty_groups: "cleanup-tick", inhibition_sources: "latest-ending" },
  "0.32": { immediate_flush: "at-creation", empty_groups: "after-flush", inhibition_sources: "latest-ending" },
};

/** One alert as POSTed (a PostableAlert), received at `received` (ms). */
export interface PostedAlert {
  readonly labels: Labels;
  readonly annotations?: Labels;
  readonly startsAt?: number;
  readonly endsAt?: number;
  readonly received: number;
  /** The event id it came from (0-based line in the window). */
  readonly event: number;
}

export interface NotifiedAlert {
  readonly labels: Labels;
  readonly starts_at: number;
  /** Present for resolved alerts. */
  readonly ends_at?: number;
}

/** One notification a receiver's integration would have sent. */
export interface Notification {
  readonly at: number;
  readonly receiver: string;
  /** `webhook[0]`: the integration type and its index in the receiver. */
  readonly integration: string;
  readonly route: string;
  readonly group_key: string;
  readonly group_labels: Labels;
  readonly firing: readonly NotifiedAlert[];
  readonly resolved: readonly NotifiedAlert[];
}

/** What happened to one alert (by label set) in the window. */
export interface AlertFate {
  readonly labels: Labels;
  /** Route ids it matched, in tree order. */
  readonly routes: readonly string[];
  readonly receivers: readonly string[];
  /** First notification naming it as firing, per receiver (ms). */
  readonly first_notified: Readonly<Record<string, number>>;
  /** Receivers that were sent it firing. */
  readonly notified: readonly string[];
  /** Inhibition seen at a flush: rule index and the source's labels (first seen). */
  readonly inhibited: { readonly rule: number; readonly source: Labels } | null;
  /** Time intervals that muted a flush holding it, by name (`mute:` or `inactive:` prefix). */
  readonly muted: readonly string[];
  readonly received: number;
  readonly first_event: number;
}

/** An aggregation group's episode: first alert to the flush that empties it. */
export interface GroupEpisode {
  readonly route: string;
  readonly receiver: string;
  readonly group_key: string;
  readonly group_labels: Labels;
  readonly start: number;
  readonly end: number;
  readonly events: readonly number[];
  readonly alerts: readonly string[];
  readonly notifications: number;
}

interface StoredAlert {
  labels: Labels;
  fp: string;
  startsAt: number;
  endsAt: number;
  updatedAt: number;
  timeout: boolean;
  routes: AmRoute[];
}

interface Group {
  readonly route: AmRoute;
  readonly labels: Labels;
  readonly key: string;
  readonly alerts: Map<string, StoredAlert>;
  next: number;
  hasFlushed: boolean;
  seq: number;
  episode: { start: number; events: number[]; alerts: Set<string>; notifications: number; firing: boolean } | null;
  dead: boolean;
}

interface LogEntry {
  firing: Set<string>;
  resolved: Set<string>;
  at: number;
  expires: number;
}

/** Label set identity (sorted name/value pairs); Alertmanager's fingerprint up to hash collisions. */
export function fingerprint(labels: Labels): string {
  const names = Object.keys(labels).sort(compareGoStrings);
  let out = "";
  for (const n of names) out += `${n}\u0000${labels[n]}\u0000`;
  return out;
}

/** `model.LabelSet.String()`: `{a="1", b="2"}`. */
export function formatLabelSet(labels: Labels): string {
  return `{${Object.keys(labels)
    .sort(compareGoStrings)
    .map((n) => `${n}=${JSON.stringify(labels[n])}`)
    .join(", ")}}`;
}

/** `LabelSet.Before`. */
function labelSetBefore(a: Labels, b: Labels): number {
  const ka = Object.keys(a),
    kb = Object.keys(b);
  if (ka.length !== kb.length) return ka.length - kb.length;
  const names = [...new Set([...ka, ...kb])].sort(compareGoStrings);
  for (const n of names) {
    if (!Object.hasOwn(a, n)) return -1;
    if (!Object.hasOwn(b, n)) return 1;
    const c = compareGoStrings(a[n]!, b[n]!);
    if (c !== 0) return c;
  }
  return 0;
}

/** `types.AlertSlice.Less`: by `job`, then `instance`, then the label sets. */
export function compareAlertLabels(a: Labels, b: Labels): number {
  for (const k of ["job", "instance"]) {
    const ia = Object.hasOwn(a, k),
      ib = Object.hasOwn(b, k);
    if (!ia && !ib) continue;
    if (!ia) return 1;
    if (!ib) return -1;
    const c = compareGoStrings(a[k]!, b[k]!);
    if (c !== 0) return c;
  }
  return labelSetBefore(a, b);
}

/** A min-heap of (time, seq) timers. */
class Timers<T> {
  private readonly heap: { at: number; seq: number; item: T }[] = [];
  private seq = 0;
  get size(): number {
    return this.heap.length;
  }
  push(at: number, item: T): void {
    const h = this.heap;
    h.push({ at, seq: this.seq++, item });
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.less(h[p]!, h[i]!)) break;
      [h[p], h[i]] = [h[i]!, h[p]!];
      i = p;
    }
  }
  peek(): { at: number; item: T } | undefined {
    return this.heap[0];
  }
  pop(): { at: number; item: T } | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1,
          r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i]!, h[m]!];
        i = m;
      }
    }
    return top;
  }
  private less(a: { at: number; seq: number }, b: { at: number; seq: number }): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }
}

type Timer = { kind: "flush"; group: Group; seq: number } | { kind: "cleanup" } | { kind: "maintenance" };

const CLEANUP_MS = 30_000;
const MAINTENANCE_MS = 15 * 60_000;

/** The simulator's results at the window's end. */
export interface SimulationResult {
  readonly notifications: readonly Notification[];
  readonly fates: readonly AlertFate[];
  readonly episodes: readonly GroupEpisode[];
  readonly alerts_received: number;
  readonly groups_created: number;
  /** sha256 chained over every step (time, label, ref) and the notifications: equal signatures, equal histories. */
  readonly trace_signature: string;
  /** sha256 chained over the steps' (time, label) only. */
  readonly timeline_signature: string;
}

interface FateAcc {
  labels: Labels;
  routes: string[];
  receivers: string[];
  firstNotified: Map<string, number>;
  inhibited: { rule: number; source: Labels } | null;
  muted: Set<string>;
  received: number;
  firstEvent: number;
}

/**
 * Alertmanager in virtual time. Feed alerts in received order with {@link receive}, then
 * {@link finish} at the window's end. Time never goes backwards.
 */
export class AlertmanagerSimulator {
  private now: number;
  private readonly alerts = new Map<string, StoredAlert>();
  private readonly groups = new Map<string, Map<string, Group>>();
  private readonly timers = new Timers<Timer>();
  private readonly nflog = new Map<string, LogEntry>();
  /** Per inhibit rule: equal-label key → source alert fingerprints. */
  private readonly sources: Map<string, Set<string>>[];
  /** Per inhibit rule, for `latest-ending`: equal-label key → the indexed source fingerprint. */
  private readonly sourceIndex: Map<string, string>[];
  private readonly notifications: Notification[] = [];
  private readonly episodes: GroupEpisode[] = [];
  private readonly fates = new Map<string, FateAcc>();
  private readonly trace = new StepHasher();
  private received = 0;
  private groupsCreated = 0;
  private groupSeq = 0;

  constructor(
    private readonly config: AmConfig,
    start: number,
    private readonly options: SimulatorOptions = DEFAULT_OPTIONS,
    /** Keep per-alert fates (off for benchmarks of millions of distinct alerts). */
    private readonly keepFates = true,
  ) {
    this.now = start;
    this.sources = config.inhibitRules.map(() => new Map());
    this.sourceIndex = config.inhibitRules.map(() => new Map());
    if (options.empty_groups === "cleanup-tick") this.timers.push(start + CLEANUP_MS, { kind: "cleanup" });
    this.timers.push(start + MAINTENANCE_MS, { kind: "maintenance" });
  }

  /** Virtual time now (ms). */
  get time(): number {
    return this.now;
  }

  /**
   * Runs every timer due before `t` (or at `t` when `inclusive`). An alert received at the very
   * millisecond of a flush is in that flush, and alerts POSTed together share one flush.
   */
  advance(t: number, inclusive = false): void {
    for (let top = this.timers.peek(); top !== undefined && (top.at < t || (inclusive && top.at === t)); top = this.timers.peek()) {
      this.timers.pop();
      this.now = Math.max(this.now, top.at);
      const timer = top.item;
      if (timer.kind === "flush") {
        if (!timer.group.dead && timer.seq === timer.group.seq) this.tick(timer.group);
      } else if (timer.kind === "cleanup") {
        this.cleanup();
        this.timers.push(top.at + CLEANUP_MS, timer);
      } else {
        this.maintenance();
        this.timers.push(top.at + MAINTENANCE_MS, timer);
      }
    }
    this.now = Math.max(this.now, t);
  }

  /** One POSTed alert, as `postAlertsHandler` and `mem.Alerts.Put` take it. Labels must be valid. */
  receive(a: PostedAlert): void {
    this.advance(a.received);
    const now = this.now;
    this.received++;
    // Names in Go's order, so every output built from the label set is the same bytes.
    const labels: Record<string, string> = {};
    for (const k of Object.keys(a.labels).sort(compareGoStrings)) if (a.labels[k] !== "") labels[k] = a.labels[k]!;
    let startsAt = a.startsAt ?? 0;
    let endsAt = a.endsAt ?? 0;
    let timeout = false;
    if (startsAt === 0) startsAt = endsAt === 0 ? now : endsAt;
    if (endsAt === 0) {
      timeout = true;
      endsAt = now + this.config.resolveTimeout;
    }
    const fp = fingerprint(labels);
    let alert: StoredAlert = { labels, fp, startsAt, endsAt, updatedAt: now, timeout, routes: [] };
    const old = this.alerts.get(fp);
    if (old) {
      alert.routes = old.routes;
      if ((alert.endsAt > old.startsAt && alert.endsAt < old.endsAt) || (alert.startsAt > old.startsAt && alert.startsAt < old.endsAt)) alert = merge(old, alert, now);
    } else {
      alert.routes = matchRoutes(this.config.route, labels, matchesAll);
    }
    this.alerts.set(fp, alert);
    this.trace.step(now, "alert.receive", fp);
    this.config.inhibitRules.forEach((rule, i) => {
      if (!matchesAll(rule.source, labels)) return;
      const key = equalKey(labels, rule.equal);
      let set = this.sources[i]!.get(key);
      if (!set) this.sources[i]!.set(key, (set = new Set()));
      set.add(fp);
      // Inhibitor.updateIndex (0.30+): keep the source that resolves last.
      const indexed = this.sourceIndex[i]!.get(key);
      const existing = indexed === undefined ? undefined : this.alerts.get(indexed);
      if (indexed === undefined || existing === undefined || (indexed !== fp && existing.endsAt <= alert.endsAt)) this.sourceIndex[i]!.set(key, fp);
    });
    if (this.keepFates) {
      let fate = this.fates.get(fp);
      if (!fate) {
        fate = {
          labels,
          routes: alert.routes.map((r) => r.id),
          receivers: [...new Set(alert.routes.map((r) => r.receiver))].sort(compareGoStrings),
          firstNotified: new Map(),
          inhibited: null,
          muted: new Set(),
          received: now,
          firstEvent: a.event,
        };
        this.fates.set(fp, fate);
      }
    }
    for (const route of alert.routes) this.process(alert, route, a.event);
  }

  private process(alert: StoredAlert, route: AmRoute, event: number): void {
    const gl: Record<string, string> = {};
    for (const k of Object.keys(alert.labels)) if (route.groupByAll || route.groupBy.includes(k)) gl[k] = alert.labels[k]!;
    const gfp = fingerprint(gl);
    let routeGroups = this.groups.get(route.id);
    if (!routeGroups) this.groups.set(route.id, (routeGroups = new Map()));
    let g = routeGroups.get(gfp);
    const now = this.now;
    if (!g) {
      g = { route, labels: gl, key: `${route.key}:${formatLabelSet(gl)}`, alerts: new Map(), next: now + route.groupWait, hasFlushed: false, seq: 0, episode: null, dead: false };
      routeGroups.set(gfp, g);
      this.groupsCreated++;
      this.trace.step(now, "group.open", g.key);
      g.alerts.set(alert.fp, alert);
      if (alert.startsAt + route.groupWait < now) g.next = now;
      this.schedule(g);
    } else {
      g.alerts.set(alert.fp, alert);
      if (this.options.immediate_flush === "every-insert" && !g.hasFlushed && alert.startsAt + route.groupWait < now) {
        g.next = now;
        this.schedule(g);
      }
    }
    if (!g.episode) g.episode = { start: now, events: [], alerts: new Set(), notifications: 0, firing: false };
    if (alert.endsAt > now) g.episode.firing = true;
    g.episode.events.push(event);
    g.episode.alerts.add(alert.fp);
  }

  private schedule(g: Group): void {
    g.seq = ++this.groupSeq;
    this.timers.push(g.next, { kind: "flush", group: g, seq: g.seq });
  }

  private tick(g: Group): void {
    const now = this.now;
    g.next = now + g.route.groupInterval;
    g.hasFlushed = true;
    this.schedule(g);
    if (g.alerts.size === 0) return;
    const list = [...g.alerts.values()].sort((a, b) => compareAlertLabels(a.labels, b.labels));
    const resolvedFp = new Set<string>();
    for (const a of list) if (a.endsAt <= now) resolvedFp.add(a.fp);
    this.pipeline(g, list, resolvedFp);
    for (const fp of resolvedFp) g.alerts.delete(fp);
    if (g.alerts.size === 0 && g.episode) {
      const e = g.episode;
      // A group that only ever held alerts already resolved when received (late resolved re-sends) is no episode.
      if (e.firing)
        this.episodes.push({
          route: g.route.id,
          receiver: g.route.receiver,
          group_key: g.key,
          group_labels: g.labels,
          start: e.start,
          end: now,
          events: e.events,
          alerts: [...e.alerts].sort(),
          notifications: e.notifications,
        });
      g.episode = null;
      this.trace.step(now, "group.empty", g.key);
      if (this.options.empty_groups === "after-flush") this.destroy(g);
    }
  }

  private destroy(g: Group): void {
    g.dead = true;
    this.groups.get(g.route.id)?.delete(fingerprint(g.labels));
  }

  private pipeline(g: Group, list: StoredAlert[], resolvedFp: ReadonlySet<string>): void {
    const now = this.now;
    const receiver = this.config.receivers.get(g.route.receiver);
    // Inhibition (MuteStage with the inhibitor).
    const kept: StoredAlert[] = [];
    for (const a of list) {
      const by = this.inhibitedBy(a.labels);
      if (by) {
        this.fate(a.fp, (f) => {
          f.inhibited ??= by;
        });
      } else kept.push(a);
    }
    if (kept.length === 0) return;
    const active = g.route.activeTimeIntervals;
    if (active.length > 0 && !active.some((n) => this.inInterval(n, now))) {
      for (const a of kept) this.fate(a.fp, (f) => f.muted.add(`inactive:${active.join(",")}`));
      this.trace.step(now, "flush.inactive", g.key);
      return;
    }
    const mute = g.route.muteTimeIntervals.find((n) => this.inInterval(n, now));
    if (mute !== undefined) {
      for (const a of kept) this.fate(a.fp, (f) => f.muted.add(`mute:${mute}`));
      this.trace.step(now, "flush.muted", g.key);
      return;
    }
    for (const integ of receiver?.integrations ?? []) this.integrate(g, integ, kept, resolvedFp);
  }

  private integrate(g: Group, integ: AmIntegration, alerts: StoredAlert[], resolvedFp: ReadonlySet<string>): void {
    const now = this.now;
    const firing = new Set<string>();
    const resolved = new Set<string>();
    for (const a of alerts) (resolvedFp.has(a.fp) ? resolved : firing).add(a.fp);
    const logKey = `${g.key}\u0000${g.route.receiver}\u0000${integ.type}\u0000${integ.index}`;
    const entry = this.nflog.get(logKey);
    if (!needsUpdate(entry, firing, resolved, g.route.repeatInterval, integ.sendResolved, now)) return;
    const sent = integ.sendResolved ? alerts : alerts.filter((a) => !resolvedFp.has(a.fp));
    if (sent.length > 0 && (integ.sendResolved || firing.size > 0)) {
      const n: Notification = {
        at: now,
        receiver: g.route.receiver,
        integration: `${integ.type}[${integ.index}]`,
        route: g.route.id,
        group_key: g.key,
        group_labels: g.labels,
        firing: sent.filter((a) => !resolvedFp.has(a.fp)).map((a) => ({ labels: a.labels, starts_at: a.startsAt })),
        resolved: sent.filter((a) => resolvedFp.has(a.fp)).map((a) => ({ labels: a.labels, starts_at: a.startsAt, ends_at: a.endsAt })),
      };
      this.notifications.push(n);
      if (g.episode) g.episode.notifications++;
      this.trace.step(now, "notify", `${g.route.receiver}/${n.integration} ${g.key}`);
      for (const a of n.firing) {
        this.fate(fingerprint(a.labels), (f) => {
          if (!f.firstNotified.has(g.route.receiver)) f.firstNotified.set(g.route.receiver, now);
        });
      }
    }
    this.nflog.set(logKey, { firing, resolved, at: now, expires: now + 2 * g.route.repeatInterval });
  }

  private fate(fp: string, update: (f: FateAcc) => void): void {
    if (!this.keepFates) return;
    const f = this.fates.get(fp);
    if (f) update(f);
  }

  private inInterval(name: string, now: number): boolean {
    for (const ti of this.config.timeIntervals.get(name) ?? []) if (containsTime(ti, now)) return true;
    return false;
  }

  /** `Inhibitor.Mutes`: the first rule (in file order) with a live source; the source is the one with the smallest fingerprint. */
  private inhibitedBy(labels: Labels): { rule: number; source: Labels } | null {
    const rules = this.config.inhibitRules;
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i]!;
      if (!matchesAll(rule.target, labels)) continue;
      const twoSided = matchesAll(rule.source, labels);
      if (this.options.inhibition_sources === "latest-ending") {
        const fp = this.sourceIndex[i]!.get(equalKey(labels, rule.equal));
        const s = fp === undefined ? undefined : this.alerts.get(fp);
        if (!s || s.endsAt <= this.now || (twoSided && matchesAll(rule.target, s.labels))) continue;
        return { rule: rule.index, source: s.labels };
      }
      const set = this.sources[i]!.get(equalKey(labels, rule.equal));
      if (!set) continue;
      let best: StoredAlert | undefined;
      for (const fp of set) {
        const s = this.alerts.get(fp);
        if (!s || s.endsAt <= this.now) continue;
        if (twoSided && matchesAll(rule.target, s.labels)) continue;
        if (!best || s.fp < best.fp) best = s;
      }
      if (best) return { rule: rule.index, source: best.labels };
    }
    return null;
  }

  private cleanup(): void {
    for (const routeGroups of this.groups.values()) {
      for (const [k, g] of routeGroups) {
        if (g.alerts.size === 0) {
          g.dead = true;
          routeGroups.delete(k);
        }
      }
    }
  }

  /** The notification log's and the alert store's garbage collection (bounded memory). */
  private maintenance(): void {
    for (const [k, e] of this.nflog) if (e.expires < this.now) this.nflog.delete(k);
    for (const [fp, a] of this.alerts) {
      if (a.endsAt <= this.now) {
        this.alerts.delete(fp);
        this.config.inhibitRules.forEach((rule, i) => {
          const key = equalKey(a.labels, rule.equal);
          const set = this.sources[i]!.get(key);
          if (set?.delete(fp) && set.size === 0) this.sources[i]!.delete(key);
          if (this.sourceIndex[i]!.get(key) === fp) this.sourceIndex[i]!.delete(key);
        });
      }
    }
  }

  /** Runs every timer due at or before `end`, then returns everything in deterministic order. */
  finish(end: number): SimulationResult {
    this.advance(end, true);
    const open: GroupEpisode[] = [];
    const routeIds = [...this.groups.keys()].sort(compareGoStrings);
    for (const rid of routeIds) {
      const gs = [...this.groups.get(rid)!.values()].sort((a, b) => compareGoStrings(a.key, b.key));
      for (const g of gs) {
        if (!g.episode?.firing) continue;
        const e = g.episode;
        open.push({
          route: g.route.id,
          receiver: g.route.receiver,
          group_key: g.key,
          group_labels: g.labels,
          start: e.start,
          end: this.now,
          events: e.events,
          alerts: [...e.alerts].sort(),
          notifications: e.notifications,
        });
      }
    }
    const fates: AlertFate[] = [...this.fates.values()]
      .sort((a, b) => a.received - b.received || a.firstEvent - b.firstEvent)
      .map((f) => {
        const first: Record<string, number> = {};
        for (const r of [...f.firstNotified.keys()].sort(compareGoStrings)) first[r] = f.firstNotified.get(r)!;
        return {
          labels: f.labels,
          routes: f.routes,
          receivers: f.receivers,
          first_notified: first,
          notified: Object.keys(first),
          inhibited: f.inhibited,
          muted: [...f.muted].sort(compareGoStrings),
          received: f.received,
          first_event: f.firstEvent,
        };
      });
    return {
      notifications: this.notifications,
      fates,
      episodes: [...this.episodes, ...open],
      alerts_received: this.received,
      groups_created: this.groupsCreated,
      ...this.trace.finish(JSON.stringify(this.notifications)),
    };
  }
}

/** Hashes steps in bounded memory: a buffer folded into the chain every megabyte. */
class StepHasher {
  private chain = "";
  private timeline = "";
  private buf = "";
  private tbuf = "";
  step(at: number, label: string, ref: string): void {
    this.buf += `${at}|${label}|${ref}\n`;
    this.tbuf += `${at}|${label}\n`;
    if (this.buf.length > 1 << 20) this.fold();
  }
  private fold(): void {
    this.chain = sha256Hex(this.chain + this.buf);
    this.timeline = sha256Hex(this.timeline + this.tbuf);
    this.buf = "";
    this.tbuf = "";
  }
  finish(tail: string): { trace_signature: string; timeline_signature: string } {
    this.fold();
    return { trace_signature: sha256Hex(`${this.chain}|${tail}`), timeline_signature: this.timeline };
  }
}

function equalKey(labels: Labels, equal: readonly string[]): string {
  let k = "";
  for (const n of equal) k += `${Object.hasOwn(labels, n) ? labels[n] : ""}\u0000`;
  return k;
}

/** `types.Alert.Merge`: the younger alert wins, with the earliest start. */
function merge(a: StoredAlert, o: StoredAlert, now: number): StoredAlert {
  if (o.updatedAt < a.updatedAt) return merge(o, a, now);
  const res: StoredAlert = { ...o };
  if (a.startsAt < o.startsAt) res.startsAt = a.startsAt;
  const resolved = (x: StoredAlert) => x.endsAt !== 0 && x.endsAt <= now;
  if (resolved(o)) {
    if (resolved(a) && a.endsAt > o.endsAt) res.endsAt = a.endsAt;
  } else if (a.endsAt > o.endsAt && !a.timeout) res.endsAt = a.endsAt;
  return res;
}

/** `DedupStage.needsUpdate`. */
function needsUpdate(entry: LogEntry | undefined, firing: Set<string>, resolved: Set<string>, repeat: number, sendResolved: boolean, now: number): boolean {
  if (!entry) return firing.size > 0;
  for (const f of firing) if (!entry.firing.has(f)) return true;
  if (firing.size === 0) return entry.firing.size > 0;
  if (sendResolved) for (const r of resolved) if (!entry.resolved.has(r)) return true;
  return entry.at < now - repeat;
}
