/**
 * An Alertmanager configuration read as Alertmanager 0.25 reads it (`config/config.go`
 * `Load`, the route's, receiver's and inhibit rule's `UnmarshalYAML`): what 0.25 rejects is a
 * located error (file, line, column, field path, fix); unknown keys are errors, as in its
 * strict decoder. The result is the compiled route tree (settings inherited exactly as
 * `dispatch.NewRoute` does), receivers with each integration's `send_resolved`, inhibition
 * rules and time intervals.
 */
import { appendAll } from "../../arrays.js";
import { InputError } from "../../errors.js";
import { parseModelDuration } from "./duration.js";
import { checkUrl, INTEGRATIONS, type GlobalSettings } from "./integrations.js";
import { compareMatchers, formatMatchers, newMatcher, parseMatchers, type Matcher } from "./matchers.js";
import { fields, isLabelName, isNull, posOf, readBool, readList, readString, readStringList, readStringMap, type Path } from "./read.js";
import { checkZone, readTimeInterval, type TimeInterval } from "./time-intervals.js";
import { parseTree, toProblem, TreeError, type MapEntry, type Pos, type TreeNode } from "./yaml-tree.js";

/** One node of the route tree, with its settings resolved (inherited from its parent). */
export interface AmRoute {
  /** Position in the tree: `root`, `root.0`, `root.0.2`. */
  readonly id: string;
  /** Alertmanager's route key (`{}/{team="db"}`), part of every group key. */
  readonly key: string;
  readonly line: number;
  readonly receiver: string;
  /** Sorted label names; ignored when {@link groupByAll}. */
  readonly groupBy: readonly string[];
  readonly groupByAll: boolean;
  readonly groupWait: number;
  readonly groupInterval: number;
  readonly repeatInterval: number;
  readonly matchers: readonly Matcher[];
  readonly continue: boolean;
  /** Not inherited. */
  readonly muteTimeIntervals: readonly string[];
  /** Not inherited. */
  readonly activeTimeIntervals: readonly string[];
  readonly routes: readonly AmRoute[];
}

export interface AmIntegration {
  /** `webhook`, `email`, … */
  readonly type: string;
  readonly index: number;
  readonly sendResolved: boolean;
}

export interface AmReceiver {
  readonly name: string;
  readonly integrations: readonly AmIntegration[];
}

export interface AmInhibitRule {
  readonly index: number;
  readonly source: readonly Matcher[];
  readonly target: readonly Matcher[];
  readonly equal: readonly string[];
}

export interface AmConfig {
  readonly resolveTimeout: number;
  readonly route: AmRoute;
  readonly receivers: ReadonlyMap<string, AmReceiver>;
  readonly inhibitRules: readonly AmInhibitRule[];
  readonly timeIntervals: ReadonlyMap<string, readonly TimeInterval[]>;
}

const TOP_KEYS = ["global", "route", "inhibit_rules", "receivers", "templates", "mute_time_intervals", "time_intervals"];
const GLOBAL_KEYS = [
  "resolve_timeout",
  "http_config",
  "smtp_from",
  "smtp_hello",
  "smtp_smarthost",
  "smtp_auth_username",
  "smtp_auth_password",
  "smtp_auth_password_file",
  "smtp_auth_secret",
  "smtp_auth_identity",
  "smtp_require_tls",
  "slack_api_url",
  "slack_api_url_file",
  "pagerduty_url",
  "opsgenie_api_url",
  "opsgenie_api_key",
  "opsgenie_api_key_file",
  "wechat_api_url",
  "wechat_api_secret",
  "wechat_api_corp_id",
  "victorops_api_url",
  "victorops_api_key",
  "victorops_api_key_file",
  "telegram_api_url",
  "webex_api_url",
];
const ROUTE_KEYS = ["receiver", "group_by", "match", "match_re", "matchers", "mute_time_intervals", "active_time_intervals", "continue", "routes", "group_wait", "group_interval", "repeat_interval"];
const INHIBIT_KEYS = ["source_match", "source_match_re", "source_matchers", "target_match", "target_match_re", "target_matchers", "equal"];

const DEFAULTS = { groupWait: 30_000, groupInterval: 300_000, repeatInterval: 14_400_000 };

function duration(f: Map<string, MapEntry> | undefined, key: string, path: Path): number | undefined {
  const e = f?.get(key);
  if (!e || isNull(e.value)) return undefined;
  const text = readString(f, key, path);
  const d = parseModelDuration(text);
  if (typeof d === "string") throw new TreeError(e.keyPos, [...path, key], d, "write a duration like 30s, 5m, 4h or 1d");
  return d;
}

function matchersField(f: Map<string, MapEntry> | undefined, key: string, path: Path): Matcher[] {
  const list = readStringList(f, key, path);
  if (!list) return [];
  const out: Matcher[] = [];
  list.values.forEach((line, i) => {
    const ms = parseMatchers(line);
    if (typeof ms === "string") throw new TreeError(list.pos[i], [...path, key, i], ms, 'write name="value", name!="value", name=~"regex" or name!~"regex"');
    appendAll(out, ms);
  });
  return out;
}

function legacyMatchers(f: Map<string, MapEntry> | undefined, eqKey: string, reKey: string, path: Path): Matcher[] {
  const out: Matcher[] = [];
  for (const e of readStringMap(f, eqKey, path) ?? []) {
    if (!isLabelName(e.key)) throw new TreeError(e.pos, [...path, eqKey, e.key], `invalid label name "${e.key}"`, "label names match [a-zA-Z_][a-zA-Z0-9_]*");
    out.push(newMatcher("=", e.key, e.value) as Matcher);
  }
  for (const e of readStringMap(f, reKey, path) ?? []) {
    const m = newMatcher("=~", e.key, e.value);
    if (typeof m === "string") throw new TreeError(e.pos, [...path, reKey, e.key], m, "Alertmanager regular expressions are RE2 (no lookaround or backreferences)");
    if (!isLabelName(e.key)) throw new TreeError(e.pos, [...path, reKey, e.key], `invalid label name "${e.key}"`, "label names match [a-zA-Z_][a-zA-Z0-9_]*");
    out.push(m);
  }
  return out;
}

interface RawRoute {
  readonly node: TreeNode;
  readonly path: Path;
  readonly f: Map<string, MapEntry> | undefined;
  readonly receiver: string;
  readonly receiverPos: Pos;
  readonly groupBy: string[] | undefined;
  readonly groupByAll: boolean;
  readonly groupWait: number | undefined;
  readonly groupInterval: number | undefined;
  readonly repeatInterval: number | undefined;
  readonly matchers: Matcher[];
  readonly hasMatchers: boolean;
  readonly cont: boolean;
  readonly mute: { values: string[]; pos: Pos[] } | undefined;
  readonly active: { values: string[]; pos: Pos[] } | undefined;
  readonly routes: RawRoute[];
}

function readRoute(node: TreeNode, path: Path): RawRoute {
  const f = fields(node, path, ROUTE_KEYS, "config.Route");
  const routes = readList(f, "routes", path).map((r, i) => readRoute(r, [...path, "routes", i]));
  const legacy = legacyMatchers(f, "match", "match_re", path);
  const modern = matchersField(f, "matchers", path);
  const gb = readStringList(f, "group_by", path);
  let groupBy: string[] | undefined;
  let groupByAll = false;
  if (gb) {
    const seen = new Set<string>();
    gb.values.forEach((l, i) => {
      if (l === "...") groupByAll = true;
      else {
        if (!isLabelName(l)) throw new TreeError(gb.pos[i], [...path, "group_by", i], `invalid label name "${l}" in group_by list`);
        if (seen.has(l)) throw new TreeError(gb.pos[i], [...path, "group_by", i], `duplicated label "${l}" in group_by`);
        seen.add(l);
        (groupBy ??= []).push(l);
      }
    });
    if (groupBy && groupByAll)
      throw new TreeError(
        posOf(f, "group_by", node.pos),
        [...path, "group_by"],
        "cannot have wildcard group_by (`...`) and other other labels at the same time",
        "use ['...'] alone, or list the labels",
      );
  }
  const groupInterval = duration(f, "group_interval", path);
  const repeatInterval = duration(f, "repeat_interval", path);
  if (groupInterval === 0) throw new TreeError(posOf(f, "group_interval", node.pos), [...path, "group_interval"], "group_interval cannot be zero");
  if (repeatInterval === 0) throw new TreeError(posOf(f, "repeat_interval", node.pos), [...path, "repeat_interval"], "repeat_interval cannot be zero");
  return {
    node,
    path,
    f,
    receiver: readString(f, "receiver", path),
    receiverPos: posOf(f, "receiver", node.pos),
    groupBy,
    groupByAll,
    groupWait: duration(f, "group_wait", path),
    groupInterval,
    repeatInterval,
    matchers: [...legacy, ...modern],
    hasMatchers: legacy.length + modern.length > 0,
    cont: readBool(f, "continue", path) ?? false,
    mute: readStringList(f, "mute_time_intervals", path),
    active: readStringList(f, "active_time_intervals", path),
    routes,
  };
}

function buildRoute(r: RawRoute, parent: AmRoute | undefined, id: string): AmRoute {
  const base = parent ?? { receiver: "", groupBy: [] as readonly string[], groupByAll: false, ...DEFAULTS };
  let groupBy = base.groupBy;
  let groupByAll = base.groupByAll;
  if (r.groupBy !== undefined) {
    groupBy = [...r.groupBy].sort();
    groupByAll = false;
  } else if (r.groupByAll) groupByAll = true;
  const matchers = [...r.matchers].sort(compareMatchers);
  const key = (parent ? `${parent.key}/` : "") + formatMatchers(matchers);
  const self: { -readonly [K in keyof AmRoute]: AmRoute[K] } = {
    id,
    key,
    line: r.node.pos.line,
    receiver: r.receiver !== "" ? r.receiver : base.receiver,
    groupBy,
    groupByAll,
    groupWait: r.groupWait ?? base.groupWait,
    groupInterval: r.groupInterval ?? base.groupInterval,
    repeatInterval: r.repeatInterval ?? base.repeatInterval,
    matchers,
    continue: r.cont,
    muteTimeIntervals: r.mute?.values ?? [],
    activeTimeIntervals: r.active?.values ?? [],
    routes: [],
  };
  self.routes = r.routes.map((c, i) => buildRoute(c, self, `${id}.${i}`));
  return self;
}

function readGlobal(node: TreeNode | undefined, path: Path): { resolveTimeout: number; settings: GlobalSettings } {
  const f = node ? fields(node, path, GLOBAL_KEYS, "config.GlobalConfig") : undefined;
  const str = (k: string) => readString(f, k, path);
  for (const k of ["pagerduty_url", "opsgenie_api_url", "wechat_api_url", "victorops_api_url", "telegram_api_url", "webex_api_url", "slack_api_url"]) {
    if (str(k) !== "") {
      const err = checkUrl(str(k));
      if (err) throw new TreeError(posOf(f, k, node!.pos), [...path, k], err);
    }
  }
  const pairs: [string, string, string][] = [
    ["slack_api_url", "slack_api_url_file", "at most one of slack_api_url & slack_api_url_file must be configured"],
    ["opsgenie_api_key", "opsgenie_api_key_file", "at most one of opsgenie_api_key & opsgenie_api_key_file must be configured"],
    ["victorops_api_key", "victorops_api_key_file", "at most one of victorops_api_key & victorops_api_key_file must be configured"],
    ["smtp_auth_password", "smtp_auth_password_file", "at most one of smtp_auth_password & smtp_auth_password_file must be configured"],
  ];
  for (const [a, b, msg] of pairs) if (str(a) !== "" && str(b) !== "") throw new TreeError(posOf(f, b, node!.pos), [...path, b], msg);
  const smarthost = str("smtp_smarthost");
  if (smarthost !== "" && !/^(\[[^\]]*\]|[^:]*):[^:]+$/.test(smarthost))
    throw new TreeError(posOf(f, "smtp_smarthost", node!.pos), [...path, "smtp_smarthost"], `address ${smarthost}: missing port in address`);
  readBool(f, "smtp_require_tls", path);
  const rt = duration(f, "resolve_timeout", path);
  return {
    resolveTimeout: rt ?? 300_000,
    settings: {
      smtp_smarthost: smarthost,
      smtp_from: str("smtp_from"),
      slack_api_url: str("slack_api_url") !== "" || str("slack_api_url_file") !== "",
      opsgenie_api_key: str("opsgenie_api_key") !== "" || str("opsgenie_api_key_file") !== "",
      victorops_api_key: str("victorops_api_key") !== "" || str("victorops_api_key_file") !== "",
      wechat_api_secret: str("wechat_api_secret") !== "",
      wechat_api_corp_id: str("wechat_api_corp_id") !== "",
    },
  };
}

function readReceiver(node: TreeNode, path: Path, g: GlobalSettings): AmReceiver & { pos: Pos } {
  const f = fields(node, path, ["name", ...Object.keys(INTEGRATIONS)], "config.Receiver");
  const integrations: AmIntegration[] = [];
  for (const [listKey, spec] of Object.entries(INTEGRATIONS)) {
    readList(f, listKey, path).forEach((item, i) => {
      const p = [...path, listKey, i];
      const itf = fields(item, p, spec.keys, listKey.replace(/_configs$/, "") + " config");
      const err = spec.check(itf, p, g);
      if (err) throw new TreeError(item.pos, p, err);
      integrations.push({ type: listKey.replace(/_configs$/, ""), index: i, sendResolved: readBool(itf, "send_resolved", p) ?? spec.sendResolved });
    });
  }
  const name = readString(f, "name", path);
  if (name === "") throw new TreeError(node.pos, path, "missing name in receiver", "give every receiver a name");
  return { name, integrations, pos: posOf(f, "name", node.pos) };
}

function readInhibit(node: TreeNode, path: Path, index: number): AmInhibitRule {
  const f = fields(node, path, INHIBIT_KEYS, "config.InhibitRule");
  const source = [...legacyMatchers(f, "source_match", "source_match_re", path), ...matchersField(f, "source_matchers", path)];
  const target = [...legacyMatchers(f, "target_match", "target_match_re", path), ...matchersField(f, "target_matchers", path)];
  const eq = readStringList(f, "equal", path);
  eq?.values.forEach((l, i) => {
    if (!isLabelName(l)) throw new TreeError(eq.pos[i], [...path, "equal", i], `"${l}" is not a valid label name`);
  });
  return { index, source, target, equal: [...new Set(eq?.values ?? [])] };
}

function readIntervals(node: TreeNode, path: Path, what: string): { name: string; intervals: TimeInterval[]; pos: Pos } {
  const f = fields(node, path, ["name", "time_intervals"], what);
  const intervals = readList(f, "time_intervals", path).map((t, i) => readTimeInterval(t, [...path, "time_intervals", i], checkZone));
  const name = readString(f, "name", path);
  if (name === "") throw new TreeError(node.pos, path, what === "config.MuteTimeInterval" ? "missing name in mute time interval" : "missing name in time interval");
  return { name, intervals, pos: posOf(f, "name", node.pos) };
}

function walkRaw(r: RawRoute, visit: (r: RawRoute) => void): void {
  for (const c of r.routes) walkRaw(c, visit);
  visit(r);
}

/** Reads and validates an Alertmanager configuration; throws InputError naming file, line, column and path. */
export function loadAlertmanagerConfig(text: string, file: string): AmConfig {
  const tree = parseTree(text, file);
  try {
    return readConfig(tree);
  } catch (e) {
    if (e instanceof TreeError) throw new InputError([toProblem(file, e)]);
    throw e;
  }
}

function readConfig(tree: TreeNode): AmConfig {
  const top = fields(tree, [], TOP_KEYS, "config.plain");
  const origin = tree.pos;
  const globalEntry = top?.get("global");
  const global = readGlobal(globalEntry && !isNull(globalEntry.value) ? globalEntry.value : undefined, ["global"]);
  const routeEntry = top?.get("route");
  const rawRoute = routeEntry && !isNull(routeEntry.value) ? readRoute(routeEntry.value, ["route"]) : undefined;
  const inhibitRules = readList(top, "inhibit_rules", []).map((n, i) => readInhibit(n, ["inhibit_rules", i], i));
  const receivers = readList(top, "receivers", []).map((n, i) => readReceiver(n, ["receivers", i], global.settings));
  readStringList(top, "templates", []);
  const mutes = readList(top, "mute_time_intervals", []).map((n, i) => ({ ...readIntervals(n, ["mute_time_intervals", i], "config.MuteTimeInterval"), path: ["mute_time_intervals", i] }));
  const tis = readList(top, "time_intervals", []).map((n, i) => ({ ...readIntervals(n, ["time_intervals", i], "config.TimeInterval"), path: ["time_intervals", i] }));

  const byName = new Map<string, AmReceiver>();
  receivers.forEach((r, i) => {
    if (byName.has(r.name)) throw new TreeError(r.pos, ["receivers", i, "name"], `notification config name "${r.name}" is not unique`, "receiver names must be unique");
    byName.set(r.name, { name: r.name, integrations: r.integrations });
  });
  if (!rawRoute) throw new TreeError(origin, ["route"], "no routes provided", "add a top-level route: with a receiver");
  if (rawRoute.receiver === "") throw new TreeError(rawRoute.node.pos, ["route", "receiver"], "root route must specify a default receiver");
  if (rawRoute.hasMatchers) throw new TreeError(rawRoute.node.pos, ["route"], "root route must not have any matchers", "the root route matches every alert; move matchers to a child route");
  if ((rawRoute.mute?.values.length ?? 0) > 0)
    throw new TreeError(posOf(rawRoute.f, "mute_time_intervals", rawRoute.node.pos), ["route", "mute_time_intervals"], "root route must not have any mute time intervals");
  if ((rawRoute.active?.values.length ?? 0) > 0)
    throw new TreeError(posOf(rawRoute.f, "active_time_intervals", rawRoute.node.pos), ["route", "active_time_intervals"], "root route must not have any active time intervals");
  walkRaw(rawRoute, (r) => {
    if (r.receiver !== "" && !byName.has(r.receiver))
      throw new TreeError(r.receiverPos, [...r.path, "receiver"], `undefined receiver "${r.receiver}" used in route`, `define it under receivers: (known: ${[...byName.keys()].join(", ") || "none"})`);
  });
  const intervals = new Map<string, TimeInterval[]>();
  for (const m of mutes) {
    if (intervals.has(m.name)) throw new TreeError(m.pos, [...m.path, "name"], `mute time interval "${m.name}" is not unique`);
    intervals.set(m.name, m.intervals);
  }
  for (const t of tis) {
    if (intervals.has(t.name)) throw new TreeError(t.pos, [...t.path, "name"], `time interval "${t.name}" is not unique`);
    intervals.set(t.name, t.intervals);
  }
  walkRaw(rawRoute, (r) => {
    for (const list of [r.active, r.mute]) {
      list?.values.forEach((n, i) => {
        if (!intervals.has(n))
          throw new TreeError(
            list.pos[i],
            [...r.path, list === r.active ? "active_time_intervals" : "mute_time_intervals", i],
            `undefined time interval "${n}" used in route`,
            `define it under time_intervals: (known: ${[...intervals.keys()].join(", ") || "none"})`,
          );
      });
    }
  });
  if (rawRoute.cont) throw new TreeError(posOf(rawRoute.f, "continue", rawRoute.node.pos), ["route", "continue"], "cannot have continue in root route");
  return { resolveTimeout: global.resolveTimeout, route: buildRoute(rawRoute, undefined, "root"), receivers: byName, inhibitRules, timeIntervals: intervals };
}

/** `Route.Match`: the routes an alert with these labels goes to, in tree order. */
export function matchRoutes(route: AmRoute, labels: Readonly<Record<string, string>>, matches: (ms: readonly Matcher[], l: Readonly<Record<string, string>>) => boolean): AmRoute[] {
  if (!matches(route.matchers, labels)) return [];
  const all: AmRoute[] = [];
  for (const child of route.routes) {
    const m = matchRoutes(child, labels, matches);
    appendAll(all, m);
    if (m.length > 0 && !child.continue) break;
  }
  if (all.length === 0) all.push(route);
  return all;
}
