/**
 * Time intervals as Alertmanager 0.25 reads and evaluates them (`timeinterval/timeinterval.go`):
 * every field given must hold; `times` are [start, end) minutes of the day; weekdays, days of
 * the month (negative from the month's end), months and years are inclusive ranges; `location`
 * is an IANA zone (evaluated with the ECMAScript Intl time-zone database, not the machine's zone).
 *
 * 0.25 counts a month's days as whole 24-hour spans between local midnights, so a 31-day month
 * that loses an hour to daylight saving counts 30 (fixed upstream after 0.25); we follow 0.25.
 */
import { civilFromDays, daysFromCivil } from "../../time.js";
import { TreeError, type Pos, type TreeNode } from "./yaml-tree.js";
import { fields, readList, readString, type Path } from "./read.js";

export interface Range {
  readonly begin: number;
  readonly end: number;
}
export interface TimeInterval {
  readonly times?: readonly Range[];
  readonly weekdays?: readonly Range[];
  readonly days_of_month?: readonly Range[];
  readonly months?: readonly Range[];
  readonly years?: readonly Range[];
  /** IANA zone name, or undefined for UTC. */
  readonly location?: string;
}

const WEEKDAYS: Readonly<Record<string, number>> = { sunday: 0, monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6 };
const MONTHS: Readonly<Record<string, number>> = { january: 1, february: 2, march: 3, april: 4, may: 5, june: 6, july: 7, august: 8, september: 9, october: 10, november: 11, december: 12 };

function atoi(s: string): number | undefined {
  return /^[+-]?[0-9]{1,18}$/.test(s) ? Number(s) : undefined;
}

function parseRange(text: string, member: (s: string) => number | string): Range | string {
  const inp = text.toLowerCase();
  if (inp.includes(":")) {
    const parts = inp.split(":");
    if (parts.length !== 2) return `couldn't parse range ${inp}, invalid format`;
    const b = member(parts[0]!);
    if (typeof b === "string") return b;
    const e = member(parts[1]!);
    if (typeof e === "string") return e;
    return { begin: b, end: e };
  }
  const v = member(inp);
  return typeof v === "string" ? v : { begin: v, end: v };
}

const intMember = (s: string): number | string => atoi(s) ?? `strconv.Atoi: parsing "${s}": invalid syntax`;

function parseTimeOfDay(s: string): number | string {
  if (!/^((([01][0-9])|(2[0-3])):[0-5][0-9])$|(^24:00$)/.test(s)) return `couldn't parse timestamp ${s}, invalid format`;
  const [h, m] = s.split(":");
  return Number(h) * 60 + Number(m);
}

type Reader = (text: string) => Range | string;

const READERS: Readonly<Record<"weekdays" | "days_of_month" | "months" | "years", Reader>> = {
  weekdays(text) {
    const r = parseRange(text, (s) => WEEKDAYS[s] ?? `${s} is not a valid weekday`);
    if (typeof r === "string") return r;
    if (r.begin > r.end) return "start day cannot be before end day";
    return r;
  },
  days_of_month(text) {
    const r = parseRange(text, intMember);
    if (typeof r === "string") return r;
    if (r.begin === 0 || r.begin < -31 || r.begin > 31) return `${r.begin} is not a valid day of the month: out of range`;
    if (r.end === 0 || r.end < -31 || r.end > 31) return `${r.end} is not a valid day of the month: out of range`;
    if (r.begin < 0 && r.end > 0) return "end day must be negative if start day is negative";
    const cb = r.begin < 0 ? 28 + r.begin : r.begin;
    const ce = r.end < 0 ? 28 + r.end : r.end;
    if (cb > ce) return `end day ${r.end} is always before start day ${r.begin}`;
    return r;
  },
  months(text) {
    const r = parseRange(text, (s) => MONTHS[s] ?? atoi(s) ?? `${s} is not a valid month`);
    if (typeof r === "string") return r;
    if (r.begin > r.end) return `end month ${monthName(r.end)} is before start month ${monthName(r.begin)}`;
    return r;
  },
  years(text) {
    const r = parseRange(text, intMember);
    if (typeof r === "string") return r;
    if (r.begin > r.end) return `end year ${r.end} is before start year ${r.begin}`;
    return r;
  },
};

function monthName(n: number): string {
  return Object.keys(MONTHS).find((k) => MONTHS[k] === n) ?? "";
}

/** Reads one entry of a time interval's `time_intervals` list. */
export function readTimeInterval(node: TreeNode, path: Path, zoneCheck: (zone: string) => string | undefined): TimeInterval {
  const f = fields(node, path, ["times", "weekdays", "days_of_month", "months", "years", "location"], "timeinterval.TimeInterval");
  const out: { -readonly [K in keyof TimeInterval]: TimeInterval[K] } = {};
  const timesNodes = f?.get("times");
  if (timesNodes && !(timesNodes.value.t === "scalar" && timesNodes.value.isNull)) {
    out.times = readList(f, "times", path).map((t, i) => {
      const p = [...path, "times", i];
      const tf = fields(t, p, ["start_time", "end_time"], "timeinterval.yamlTimeRange");
      const st = readString(tf, "start_time", p);
      const et = readString(tf, "end_time", p);
      if (st === "" || et === "") throw new TreeError(t.pos, p, "both start and end times must be provided");
      const a = parseTimeOfDay(st);
      if (typeof a === "string") throw new TreeError(t.pos, [...p, "start_time"], a, "write HH:MM, 00:00 to 24:00");
      const b = parseTimeOfDay(et);
      if (typeof b === "string") throw new TreeError(t.pos, [...p, "end_time"], b, "write HH:MM, 00:00 to 24:00");
      if (a >= b) throw new TreeError(t.pos, p, "start time cannot be equal or greater than end time");
      return { begin: a, end: b };
    });
  }
  for (const key of ["weekdays", "days_of_month", "months", "years"] as const) {
    const e = f?.get(key);
    if (!e || (e.value.t === "scalar" && e.value.isNull)) continue;
    out[key] = readList(f, key, path).map((it, i) => {
      if (it.t !== "scalar") throw new TreeError(it.pos, [...path, key, i], "expected a string range like monday:friday");
      const r = READERS[key](it.text);
      if (typeof r === "string") throw new TreeError(it.pos, [...path, key, i], r);
      return r;
    });
  }
  const loc = f?.get("location");
  if (loc && !(loc.value.t === "scalar" && loc.value.isNull)) {
    const name = readString(f, "location", path);
    const err = zoneCheck(name);
    if (err !== undefined) throw new TreeError(loc.keyPos, [...path, "location"], err, "name an IANA zone like Europe/Berlin or UTC");
    if (name !== "UTC" && name !== "") out.location = name;
  }
  return out;
}

/** Checks an IANA zone name the way Go's LoadLocation would accept it; returns an error or undefined. */
export function checkZone(name: string): string | undefined {
  if (name === "" || name === "UTC") return undefined;
  if (name === "Local") return 'location "Local" depends on the machine running Alertmanager; replay-gate cannot reproduce it';
  try {
    const resolved = new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
    if (resolved.toLowerCase() === name.toLowerCase() && resolved !== name) return `unknown time zone ${name}`;
    return undefined;
  } catch {
    return `unknown time zone ${name}`;
  }
}

interface Civil {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

function utcMs(y: number, m: number, d: number, h = 0, mi = 0, s = 0): number {
  return daysFromCivil(y, m, d) * 86_400_000 + h * 3_600_000 + mi * 60_000 + s * 1000;
}

function civilUtc(ms: number): Civil {
  const days = Math.floor(ms / 86_400_000);
  const rest = ms - days * 86_400_000;
  const [year, month, day] = civilFromDays(days);
  return { year, month, day, hour: Math.floor(rest / 3_600_000), minute: Math.floor(rest / 60_000) % 60, second: Math.floor(rest / 1000) % 60, weekday: (((days + 4) % 7) + 7) % 7 };
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function civil(ms: number, zone: string | undefined): Civil {
  if (zone === undefined) return civilUtc(ms);
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" });
    formatters.set(zone, f);
  }
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(ms)) if (p.type !== "literal") parts[p.type] = Number(p.value);
  const year = parts.year!,
    month = parts.month!,
    day = parts.day!;
  const weekday = (((daysFromCivil(year, month, day) + 4) % 7) + 7) % 7;
  return { year, month, day, hour: parts.hour! % 24, minute: parts.minute!, second: parts.second!, weekday };
}

/** The UTC instant of a local wall-clock time in `zone` (the earlier one when ambiguous). */
function instantOf(y: number, m: number, d: number, zone: string | undefined): number {
  const wall = utcMs(y, m, d);
  if (zone === undefined) return wall;
  let t = wall;
  for (let k = 0; k < 3; k++) {
    const c = civil(t, zone);
    const offset = utcMs(c.year, c.month, c.day, c.hour, c.minute, c.second) - Math.floor(t / 1000) * 1000;
    t = wall - offset;
  }
  return t;
}

function daysInMonth025(c: Civil, zone: string | undefined): number {
  const start = instantOf(c.year, c.month, 1, zone);
  const end = c.month === 12 ? instantOf(c.year + 1, 1, 1, zone) : instantOf(c.year, c.month + 1, 1, zone);
  return Math.trunc((end - start) / 3_600_000 / 24);
}

function inRanges(v: number, rs: readonly Range[]): boolean {
  return rs.some((r) => v >= r.begin && v <= r.end);
}

/** `TimeInterval.ContainsTime` at `ms` (UTC). */
export function containsTime(ti: TimeInterval, ms: number): boolean {
  const c = civil(ms, ti.location);
  if (ti.times) {
    const mins = c.hour * 60 + c.minute;
    if (!ti.times.some((r) => mins >= r.begin && mins < r.end)) return false;
  }
  if (ti.days_of_month) {
    const dim = daysInMonth025(c, ti.location);
    let ok = false;
    for (const r of ti.days_of_month) {
      let begin = r.begin < 0 ? dim + r.begin + 1 : r.begin;
      let end = r.end < 0 ? dim + r.end + 1 : r.end;
      if (begin > dim) continue;
      begin = Math.min(Math.max(begin, -dim), dim);
      end = Math.min(Math.max(end, -dim), dim);
      if (c.day >= begin && c.day <= end) {
        ok = true;
        break;
      }
    }
    if (!ok) return false;
  }
  if (ti.months && !inRanges(c.month, ti.months)) return false;
  if (ti.weekdays && !inRanges(c.weekday, ti.weekdays)) return false;
  if (ti.years && !inRanges(c.year, ti.years)) return false;
  return true;
}

export type { Pos };
