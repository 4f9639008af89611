/**
 * goflow2 JSON lines (`-format=json`): one flow sample or record per line, snake_case fields,
 * times in nanoseconds (`time_flow_start_ns`, else `time_received_ns`), `proto` as a name
 * (`TCP`) — numbers are named too. → `flow` events named `flow.record`, `value` = bytes.
 *
 * Nanosecond times exceed 2^53, so they are read from the line's digits rather than from the
 * parsed double (which would round them and, now and then, the millisecond with them).
 */
import { epochNanosToMs } from "../../../core/capture/epoch.js";
import { objectFields } from "../../../core/capture/record.js";
import type { AttrValue } from "../../../core/event.js";
import { firstLine, jsonLineParser, own, type JsonObject } from "./json-line.js";
import type { Adapter } from "./types.js";

const DEFAULTS: readonly string[] = ["src", "dst", "src_port", "dst_port", "proto", "sampler", "sampling_rate", "flow_type"];
const PROTOCOLS = new Map<number, string>([
  [1, "ICMP"],
  [2, "IGMP"],
  [6, "TCP"],
  [17, "UDP"],
  [47, "GRE"],
  [50, "ESP"],
  [51, "AH"],
  [58, "ICMPv6"],
  [89, "OSPF"],
  [132, "SCTP"],
]);
const TIME_FIELDS = ["time_flow_start_ns", "time_received_ns"] as const;
/** Numeric fields: a value of another type makes the record malformed. */
const NUMERIC = ["bytes", "packets", "sampling_rate", "src_port", "dst_port", "in_if", "out_if", "src_as", "dst_as", "src_vlan", "dst_vlan", "sequence_num", "tcp_flags"] as const;
const STRINGS = ["src_addr", "dst_addr", "sampler_address", "etype", "next_hop", "type"] as const;

/** The digits after `"key":` in the raw line. */
function rawNumber(text: string, key: string): string | undefined {
  const at = text.indexOf(`"${key}":`);
  if (at === -1) return undefined;
  let i = at + key.length + 3;
  while (text.charCodeAt(i) === 32) i++;
  const start = i;
  while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
  return i > start ? text.slice(start, i) : undefined;
}

function flowTime(text: string, o: JsonObject): number | undefined {
  for (const key of TIME_FIELDS) {
    if (typeof own(o, key) !== "number") continue;
    const digits = rawNumber(text, key);
    const ms = digits === undefined ? undefined : epochNanosToMs(digits);
    if (ms !== undefined && ms > 0) return ms;
  }
  return undefined;
}

export const goflow2Adapter: Adapter = {
  name: "goflow2",
  aliases: ["goflow"],
  description: "goflow2 JSON lines (sFlow, NetFlow, IPFIX; times in ns) → flow events",
  detect(head) {
    const line = firstLine(head);
    return line.startsWith("{") && (line.includes('"time_flow_start_ns"') || line.includes('"time_received_ns"') || line.includes('"sampler_address"'));
  },
  createParser(ctx) {
    return jsonLineParser(ctx, (o, text, lineNo) => {
      const ts = flowTime(text, o);
      if (ts === undefined) {
        ctx.reject(lineNo, "time_flow_start_ns or time_received_ns: expected epoch nanoseconds");
        return;
      }
      const fields: Record<string, AttrValue | undefined> = Object.create(null) as Record<string, AttrValue | undefined>;
      for (const key of NUMERIC) {
        const v = own(o, key);
        if (v === undefined) continue;
        if (typeof v !== "number" || !Number.isFinite(v)) {
          ctx.reject(lineNo, `${key}: expected a number, found ${JSON.stringify(v).slice(0, 40)}`);
          return;
        }
        fields[key] = v;
      }
      for (const key of STRINGS) {
        const v = own(o, key);
        if (typeof v === "string" && v.length > 0) fields[key] = v;
      }
      const proto = own(o, "proto");
      fields.proto = typeof proto === "string" && proto.length > 0 ? proto : typeof proto === "number" ? (PROTOCOLS.get(proto) ?? String(proto)) : undefined;
      fields.src = fields.src_addr;
      fields.dst = fields.dst_addr;
      fields.sampler = fields.sampler_address;
      fields.flow_type = fields.type;
      const bytes = fields.bytes as number | undefined;
      ctx.emit({ ts, signal: "flow", name: "flow.record", value: bytes, source: fields.sampler as string | undefined, fields: objectFields(fields), defaultAttrs: DEFAULTS });
    });
  },
};
