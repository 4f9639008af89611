/**
 * RIPE RIS Live JSON, one message per line, in both shapes seen in the wild:
 *
 * - the current stream: `{"type":"ris_message","data":{"type":"UPDATE","timestamp":…,"peer":…,
 *   "peer_asn":"59689","host":"rrc21","path":[…],"announcements":[{"next_hop":…,"prefixes":[…]}],
 *   "withdrawals":[…]}}`, and `RIS_PEER_STATE` messages with `state: connected|down`;
 * - the 2018 beta: flat messages with `type` `A`/`W` (one `prefix`) or `S` (state).
 *
 * Each announced or withdrawn prefix is one event; `peer_asn` (a string in RIS Live) becomes a
 * number. OPEN, KEEPALIVE, NOTIFICATION, `pong` and `ris_error` carry no routing change and are
 * ignored (counted). `source` is the collector (`host`).
 */
import { epochNumberToMs } from "../../../core/capture/epoch.js";
import type { AttrValue } from "../../../core/event.js";
import { asn, bgpRecord, originAsn } from "./bgp-common.js";
import { firstLine, jsonLineParser, own, ownString, type JsonObject } from "./json-line.js";
import type { Adapter, AdapterContext } from "./types.js";

const IGNORED = new Set(["OPEN", "KEEPALIVE", "NOTIFICATION", "RIS_PEER_STATE_UNKNOWN", "O", "K", "N", "pong", "ris_error", "ris_subscribe_ok"]);

function pathText(v: unknown): string | undefined {
  if (!Array.isArray(v)) return undefined;
  // AS sets arrive as nested arrays; bgpdump writes them as {a,b}.
  return v.map((hop) => (Array.isArray(hop) ? `{${hop.join(",")}}` : String(hop))).join(" ");
}

function communitiesText(v: unknown): string | undefined {
  if (!Array.isArray(v) || v.length === 0) return undefined;
  return v.map((c) => (Array.isArray(c) ? c.join(":") : String(c))).join(" ");
}

function prefixList(v: unknown): string[] | undefined {
  if (!Array.isArray(v)) return undefined;
  return v.every((p) => typeof p === "string") ? (v as string[]) : undefined;
}

function readMessage(ctx: AdapterContext, m: JsonObject, lineNo: number): void {
  const type = own(m, "type");
  if (typeof type !== "string") {
    ctx.reject(lineNo, "type: expected a string");
    return;
  }
  if (IGNORED.has(type)) {
    ctx.ignore();
    return;
  }
  const ts = typeof own(m, "timestamp") === "number" ? epochNumberToMs(own(m, "timestamp") as number) : undefined;
  if (ts === undefined) {
    ctx.reject(lineNo, "timestamp: expected epoch seconds as a number");
    return;
  }
  const peer = ownString(m, "peer");
  const peerAsn = asn(own(m, "peer_asn"));
  if (peer === undefined || peerAsn === undefined) {
    ctx.reject(lineNo, "peer and peer_asn are required");
    return;
  }
  const host = ownString(m, "host");
  const base = { peer, peer_asn: peerAsn, collector: host };
  switch (type) {
    case "UPDATE": {
      const announcements = own(m, "announcements") ?? [];
      const withdrawals = prefixList(own(m, "withdrawals") ?? []);
      if (!Array.isArray(announcements) || withdrawals === undefined) {
        ctx.reject(lineNo, "announcements and withdrawals: expected arrays");
        return;
      }
      const path = pathText(own(m, "path")) ?? "";
      const attrs: Record<string, AttrValue | undefined> = {
        ...base,
        as_path: path,
        origin_asn: originAsn(path),
        origin: ownString(m, "origin"),
        communities: communitiesText(own(m, "community")),
        med: typeof own(m, "med") === "number" ? (own(m, "med") as number) : undefined,
      };
      for (const a of announcements) {
        const prefixes = typeof a === "object" && a !== null ? prefixList(own(a as JsonObject, "prefixes")) : undefined;
        if (prefixes === undefined) {
          ctx.reject(lineNo, "announcements[]: expected {next_hop, prefixes: [...]}");
          return;
        }
        const nextHop = ownString(a as JsonObject, "next_hop");
        for (const prefix of prefixes) ctx.emit(bgpRecord(ts, "bgp.announce", host, { ...attrs, prefix, next_hop: nextHop }));
      }
      for (const prefix of withdrawals) ctx.emit(bgpRecord(ts, "bgp.withdraw", host, { ...base, prefix }));
      if (announcements.length === 0 && withdrawals.length === 0) ctx.ignore();
      return;
    }
    case "A":
    case "W": {
      const prefix = ownString(m, "prefix");
      if (prefix === undefined) {
        ctx.reject(lineNo, "prefix: expected a string");
        return;
      }
      if (type === "W") {
        ctx.emit(bgpRecord(ts, "bgp.withdraw", host, { ...base, prefix }));
        return;
      }
      const path = pathText(own(m, "path")) ?? "";
      ctx.emit(
        bgpRecord(ts, "bgp.announce", host, {
          ...base,
          prefix,
          as_path: path,
          origin_asn: originAsn(path),
          origin: ownString(m, "origin"),
          next_hop: ownString(m, "next_hop"),
          communities: communitiesText(own(m, "community")),
        }),
      );
      return;
    }
    case "RIS_PEER_STATE":
    case "S": {
      const state = ownString(m, "state");
      if (state === undefined) {
        ctx.reject(lineNo, "state: expected a string");
        return;
      }
      const change = own(m, "x_mrt_state_change");
      const [oldState, newState] = Array.isArray(change) && change.length === 2 ? change.map(String) : [undefined, undefined];
      ctx.emit(
        bgpRecord(ts, "bgp.state", host, {
          ...base,
          state: state === "connected" ? "up" : state,
          old_state: oldState,
          new_state: newState,
          reason: ownString(m, "reason"),
        }),
      );
      return;
    }
    default:
      ctx.reject(lineNo, `unknown RIS Live message type "${type.slice(0, 40)}"`);
  }
}

export const risLiveAdapter: Adapter = {
  name: "rislive",
  aliases: ["ris-live", "ris"],
  description: "RIPE RIS Live JSON lines (ris_message UPDATE / RIS_PEER_STATE, or the 2018 flat A/W/S shape) → bgp.*",
  detect(head) {
    const line = firstLine(head);
    return line.startsWith("{") && (line.includes('"ris_message"') || (line.includes('"peer_asn"') && line.includes('"timestamp"') && line.includes('"host"')));
  },
  createParser(ctx) {
    return jsonLineParser(ctx, (o, _text, lineNo) => {
      if (own(o, "type") === "ris_message") {
        const data = own(o, "data");
        if (typeof data !== "object" || data === null || Array.isArray(data)) {
          ctx.reject(lineNo, "data: expected an object");
          return;
        }
        readMessage(ctx, data as JsonObject, lineNo);
        return;
      }
      readMessage(ctx, o, lineNo);
    });
  },
};
