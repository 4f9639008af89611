/**
 * Zeek logs, TSV (`#separator`, `#fields`, `#types` headers, `-` for unset, `(empty)` for empty)
 * and JSON (one object per line, unset fields omitted, `ts` as epoch seconds or ISO 8601).
 *
 * `dns.log` → `dns` events (`dns.response`, or `dns.no_response` when Zeek saw no reply),
 * `conn.log` → `flow` events (`flow.conn`), `notice.log` → `log` `zeek.notice`, `weird.log` → `log`
 * `zeek.weird`, any other log → `log` `zeek.<path>`. Every Zeek column is a field under its own
 * name (`id.orig_h`, `rcode_name`); the common ones also have short names (`src`, `qname`, `rcode`).
 * Zeek writes a DNS record when the query completes, so rows arrive out of `ts` order, and taps
 * see packets twice; capture sorts and drops exact duplicates, the adapter never rejects for that.
 */
import { epochSecondsToMs, anyTimestampToMs } from "../../../core/capture/epoch.js";
import type { CaptureRecord, FieldSource } from "../../../core/capture/record.js";
import type { AttrValue, Signal } from "../../../core/event.js";
import { firstLine, isBlank, jsonLineParser, own, toAttr, type JsonObject } from "./json-line.js";
import type { Adapter, AdapterContext, LineParser } from "./types.js";

/** Reads a raw Zeek column of one row. */
type RawGet = (name: string) => AttrValue | undefined;

interface Kind {
  readonly signal: Signal;
  readonly name: (get: RawGet) => string;
  readonly value?: (get: RawGet) => number | undefined;
  /** Short names for common columns. */
  readonly aliases: Readonly<Record<string, (get: RawGet) => AttrValue | undefined>>;
  readonly defaults: readonly string[];
}

const num = (v: AttrValue | undefined): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const sum = (a: number | undefined, b: number | undefined) => (a === undefined && b === undefined ? undefined : (a ?? 0) + (b ?? 0));
const round3 = (n: number) => Math.round(n * 1000) / 1000;

const ENDPOINTS = {
  src: (g: RawGet) => g("id.orig_h"),
  dst: (g: RawGet) => g("id.resp_h"),
  src_port: (g: RawGet) => g("id.orig_p"),
  dst_port: (g: RawGet) => g("id.resp_p"),
};

const KINDS: Readonly<Record<string, Kind>> = {
  dns: {
    signal: "dns",
    name: (g) => (g("rcode_name") === undefined && g("rcode") === undefined ? "dns.no_response" : "dns.response"),
    aliases: {
      ...ENDPOINTS,
      qname: (g) => g("query"),
      qtype: (g) => g("qtype_name") ?? g("qtype"),
      rcode: (g) => g("rcode_name") ?? g("rcode"),
      rtt_ms: (g) => {
        const rtt = num(g("rtt"));
        return rtt === undefined ? undefined : round3(rtt * 1000);
      },
    },
    defaults: ["qname", "qtype", "rcode", "src", "dst"],
  },
  conn: {
    signal: "flow",
    name: () => "flow.conn",
    value: (g) => sum(num(g("orig_bytes")), num(g("resp_bytes"))),
    aliases: {
      ...ENDPOINTS,
      bytes: (g) => sum(num(g("orig_bytes")), num(g("resp_bytes"))),
      packets: (g) => sum(num(g("orig_pkts")), num(g("resp_pkts"))),
      duration_ms: (g) => {
        const d = num(g("duration"));
        return d === undefined ? undefined : round3(d * 1000);
      },
    },
    defaults: ["proto", "service", "conn_state", "src", "dst", "dst_port", "bytes"],
  },
  notice: {
    signal: "log",
    name: () => "zeek.notice",
    aliases: {
      src: (g) => g("src") ?? g("id.orig_h"),
      dst: (g) => g("dst") ?? g("id.resp_h"),
      src_port: (g) => g("id.orig_p"),
      dst_port: (g) => g("p") ?? g("id.resp_p"),
    },
    defaults: ["note", "msg", "src", "dst"],
  },
  weird: {
    signal: "log",
    name: () => "zeek.weird",
    aliases: { ...ENDPOINTS, weird: (g) => g("name") },
    defaults: ["weird", "addl", "src", "dst"],
  },
};

const OTHER: Omit<Kind, "name"> = { signal: "log", aliases: ENDPOINTS, defaults: ["src", "dst"] };
const otherKinds = new Map<string, Kind>();

function kindOf(path: string): Kind {
  const known = Object.hasOwn(KINDS, path) ? KINDS[path] : undefined;
  if (known) return known;
  let k = otherKinds.get(path);
  if (k === undefined) {
    const name = `zeek.${path}`;
    k = { ...OTHER, name: () => name };
    otherKinds.set(path, k);
  }
  return k;
}

/** A JSON log without `_path`: guess the log from its columns. */
function inferPath(o: JsonObject): string {
  if (Object.hasOwn(o, "query") || Object.hasOwn(o, "rcode")) return "dns";
  if (Object.hasOwn(o, "conn_state") || Object.hasOwn(o, "orig_bytes")) return "conn";
  if (Object.hasOwn(o, "note")) return "notice";
  if (Object.hasOwn(o, "name") && Object.hasOwn(o, "notice")) return "weird";
  return "unknown";
}

function makeRecord(ts: number, kind: Kind, get: RawGet, rawNames: () => readonly string[]): CaptureRecord {
  const aliases = kind.aliases;
  const fields: FieldSource = {
    get: (name) => (Object.hasOwn(aliases, name) ? aliases[name]!(get) : get(name)),
    names: () => [...Object.keys(aliases), ...rawNames()],
  };
  return { ts, signal: kind.signal, name: kind.name(get), value: kind.value?.(get), fields, defaultAttrs: kind.defaults };
}

/** Decodes `\x09`-style escapes in Zeek header values. */
function unescapeHeader(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "\\" && s[i + 1] === "x" && i + 3 < s.length) {
      const code = Number.parseInt(s.slice(i + 2, i + 4), 16);
      if (!Number.isNaN(code)) {
        out += String.fromCharCode(code);
        i += 3;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

type Convert = (s: string) => AttrValue | undefined;

function converterFor(type: string, setSep: string): Convert {
  switch (type) {
    case "time":
    case "interval":
    case "double":
    case "count":
    case "int":
    case "port": {
      return (s) => {
        const n = Number(s);
        return Number.isFinite(n) && s.length > 0 ? n : undefined;
      };
    }
    case "bool":
      return (s) => (s === "T" ? true : s === "F" ? false : undefined);
    default:
      if ((type.startsWith("set[") || type.startsWith("vector[")) && setSep !== ",") return (s) => s.split(setSep).join(",");
      return (s) => s;
  }
}

class TsvState {
  sep = "\t";
  setSep = ",";
  empty = "(empty)";
  unset = "-";
  path = "unknown";
  fields: string[] = [];
  index = new Map<string, number>();
  converters: Convert[] = [];
  types: string[] = [];
  tsCol = -1;

  header(line: string): void {
    const space = line.indexOf(line.startsWith("#separator") ? " " : this.sep);
    const key = space === -1 ? line.slice(1) : line.slice(1, space);
    const rest = space === -1 ? "" : line.slice(space + 1);
    switch (key) {
      case "separator":
        this.sep = unescapeHeader(rest);
        break;
      case "set_separator":
        this.setSep = rest;
        break;
      case "empty_field":
        this.empty = rest;
        break;
      case "unset_field":
        this.unset = rest;
        break;
      case "path":
        this.path = rest;
        break;
      case "fields":
        this.fields = rest.split(this.sep);
        this.index = new Map(this.fields.map((f, i) => [f, i]));
        this.tsCol = this.index.get("ts") ?? -1;
        this.types = [];
        this.converters = this.fields.map(() => (s: string) => s);
        break;
      case "types":
        this.types = rest.split(this.sep);
        this.converters = this.types.map((t) => converterFor(t, this.setSep));
        break;
    }
  }
}

function tsvParser(ctx: AdapterContext): LineParser {
  const st = new TsvState();
  return {
    line(text, lineNo) {
      if (text.charCodeAt(0) === 35 /* # */) {
        st.header(text);
        return;
      }
      if (isBlank(text)) return;
      if (st.fields.length === 0) {
        ctx.reject(lineNo, "data before the #fields header");
        return;
      }
      const cols = text.split(st.sep);
      if (cols.length !== st.fields.length) {
        ctx.reject(lineNo, `expected ${st.fields.length} tab-separated columns (#fields), found ${cols.length}`);
        return;
      }
      const tsText = st.tsCol >= 0 ? cols[st.tsCol]! : "";
      const ts = epochSecondsToMs(tsText);
      if (ts === undefined) {
        ctx.reject(lineNo, `ts: expected epoch seconds like 1521911720.865716, found "${tsText.slice(0, 40)}"`);
        return;
      }
      const { index, converters, unset, empty } = st;
      const get: RawGet = (name) => {
        const i = index.get(name);
        if (i === undefined) return undefined;
        const raw = cols[i]!;
        if (raw === unset) return undefined;
        if (raw === empty) return "";
        return converters[i]!(raw);
      };
      const fields = st.fields;
      ctx.emit(makeRecord(ts, kindOf(st.path), get, () => fields));
    },
    end() {},
  };
}

function jsonParser(ctx: AdapterContext): LineParser {
  return jsonLineParser(ctx, (o, _text, lineNo) => {
    const ts = anyTimestampToMs(own(o, "ts"));
    if (ts === undefined) {
      ctx.reject(lineNo, "ts: expected epoch seconds or an ISO 8601 time");
      return;
    }
    const pathValue = own(o, "_path");
    const path = typeof pathValue === "string" && pathValue.length > 0 ? pathValue : inferPath(o);
    const get: RawGet = (name) => toAttr(own(o, name));
    ctx.emit(makeRecord(ts, kindOf(path), get, () => Object.keys(o)));
  });
}

export const zeekAdapter: Adapter = {
  name: "zeek",
  aliases: [],
  description: "Zeek logs, TSV or JSON: dns.log → dns, conn.log → flow, notice/weird and others → log",
  detect(head) {
    if (head.startsWith("#separator")) return true;
    const line = firstLine(head);
    return line.startsWith("{") && line.includes('"ts"') && (line.includes('"uid"') || line.includes('"_path"') || line.includes('"id.orig_h"'));
  },
  createParser(ctx) {
    let inner: LineParser | undefined;
    return {
      line(text, lineNo) {
        if (inner === undefined) {
          if (isBlank(text)) return;
          inner = text.startsWith("#") ? tsvParser(ctx) : jsonParser(ctx);
        }
        inner.line(text, lineNo);
      },
      end() {
        inner?.end();
      },
    };
  },
};
