/** What the two BGP adapters share: event names, field lists, session states. */
import { objectFields, type CaptureRecord } from "../../../core/capture/record.js";
import type { AttrValue } from "../../../core/event.js";

export const ANNOUNCE_ATTRS: readonly string[] = ["peer", "peer_asn", "prefix", "origin_asn"];
export const WITHDRAW_ATTRS: readonly string[] = ["peer", "peer_asn", "prefix"];
export const STATE_ATTRS: readonly string[] = ["peer", "peer_asn", "state", "old_state", "new_state"];

/** BGP FSM states as bgpdump numbers them (RFC 4271 §8.2.2). */
export const FSM_STATES: ReadonlyMap<string, string> = new Map([
  ["1", "idle"],
  ["2", "connect"],
  ["3", "active"],
  ["4", "opensent"],
  ["5", "openconfirm"],
  ["6", "established"],
]);

/** `down` when a session leaves Established, `up` when it reaches it, else the new state's name. */
export function sessionState(oldState: string | undefined, newState: string | undefined): string {
  if (newState === "established") return "up";
  if (oldState === "established" || newState === "idle") return "down";
  return newState ?? "unknown";
}

/** The origin AS of a path: its last hop, or undefined for an AS set (`{1,2}`) or an empty path. */
export function originAsn(path: string): number | undefined {
  const last = path.slice(path.lastIndexOf(" ") + 1);
  if (last.length === 0 || last.length > 10) return undefined;
  for (let i = 0; i < last.length; i++) {
    const c = last.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  return Number(last);
}

/** An ASN from a number or a decimal string (`"59689"` in RIS Live), else undefined. */
export function asn(v: unknown): number | undefined {
  if (typeof v === "number") return Number.isInteger(v) && v >= 0 && v <= 4_294_967_295 ? v : undefined;
  if (typeof v !== "string" || v.length === 0 || v.length > 10) return undefined;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  const n = Number(v);
  return n <= 4_294_967_295 ? n : undefined;
}

export function bgpRecord(ts: number, name: "bgp.announce" | "bgp.withdraw" | "bgp.state", source: string | undefined, fields: Record<string, AttrValue | undefined>): CaptureRecord {
  const defaults = name === "bgp.announce" ? ANNOUNCE_ATTRS : name === "bgp.withdraw" ? WITHDRAW_ATTRS : STATE_ATTRS;
  return { ts, signal: "bgp", name, source, fields: objectFields(fields), defaultAttrs: defaults };
}
