/**
 * `bgpdump -m` one-line output of MRT update files:
 *
 * ```
 * BGP4MP|ts|A|peer_ip|peer_as|prefix|as_path|origin|next_hop|local_pref|med|communities|atomic_agg|aggregator|
 * BGP4MP|ts|W|peer_ip|peer_as|prefix
 * BGP4MP|ts|STATE|peer_ip|peer_as|old_state|new_state
 * ```
 *
 * `BGP4MP_ET` lines carry microsecond timestamps (`1470931200.123456`). Each line is one prefix
 * or one session change → `bgp.announce`, `bgp.withdraw`, `bgp.state`. RIB dump lines
 * (`TABLE_DUMP2|…|B|…`) describe a table, not a change, and are ignored (counted).
 */
import { epochSecondsToMs } from "../../../core/capture/epoch.js";
import { FSM_STATES, asn, bgpRecord, originAsn, sessionState } from "./bgp-common.js";
import { firstLine, isBlank } from "./json-line.js";
import type { Adapter } from "./types.js";

const PROTOCOLS = new Set(["BGP4MP", "BGP4MP_ET"]);

export const bgpdumpAdapter: Adapter = {
  name: "bgpdump",
  aliases: [],
  description: "bgpdump -m text (BGP4MP A/W/STATE lines) → bgp.announce, bgp.withdraw, bgp.state",
  detect(head) {
    const line = firstLine(head);
    return line.startsWith("BGP4MP|") || line.startsWith("BGP4MP_ET|") || line.startsWith("TABLE_DUMP");
  },
  createParser(ctx) {
    return {
      line(text, lineNo) {
        if (isBlank(text)) return;
        const f = text.split("|");
        const proto = f[0]!;
        if (proto.startsWith("TABLE_DUMP")) {
          ctx.ignore();
          return;
        }
        if (!PROTOCOLS.has(proto) || f.length < 6) {
          ctx.reject(lineNo, "expected a bgpdump -m line: BGP4MP|time|A|W|STATE|peer|peer_as|…");
          return;
        }
        const ts = epochSecondsToMs(f[1]!);
        if (ts === undefined) {
          ctx.reject(lineNo, `time: expected epoch seconds, found "${f[1]!.slice(0, 40)}"`);
          return;
        }
        const peer = f[3]!;
        const peerAsn = asn(f[4]);
        if (peer.length === 0 || peerAsn === undefined) {
          ctx.reject(lineNo, "peer and peer AS are required (fields 4 and 5)");
          return;
        }
        switch (f[2]) {
          case "A": {
            if (f.length < 14 || f[5]!.length === 0) {
              ctx.reject(lineNo, `announcement: expected at least 14 fields, found ${f.length}`);
              return;
            }
            const path = f[6]!;
            ctx.emit(
              bgpRecord(ts, "bgp.announce", undefined, {
                peer,
                peer_asn: peerAsn,
                prefix: f[5]!,
                as_path: path,
                origin_asn: originAsn(path),
                origin: f[7] || undefined,
                next_hop: f[8] || undefined,
                local_pref: numOrUndef(f[9]),
                med: numOrUndef(f[10]),
                communities: f[11] || undefined,
                atomic_aggregate: f[12] || undefined,
                aggregator: f[13] || undefined,
              }),
            );
            return;
          }
          case "W":
            if (f[5]!.length === 0) {
              ctx.reject(lineNo, "withdrawal: the prefix (field 6) is empty");
              return;
            }
            ctx.emit(bgpRecord(ts, "bgp.withdraw", undefined, { peer, peer_asn: peerAsn, prefix: f[5]! }));
            return;
          case "STATE": {
            if (f.length < 7) {
              ctx.reject(lineNo, "state change: expected old and new state (fields 6 and 7)");
              return;
            }
            const oldState = FSM_STATES.get(f[5]!),
              newState = FSM_STATES.get(f[6]!);
            if (oldState === undefined || newState === undefined) {
              ctx.reject(lineNo, `state change: states are numbers 1-6, found ${f[5]} and ${f[6]}`);
              return;
            }
            ctx.emit(bgpRecord(ts, "bgp.state", undefined, { peer, peer_asn: peerAsn, old_state: oldState, new_state: newState, state: sessionState(oldState, newState) }));
            return;
          }
          default:
            ctx.reject(lineNo, `unknown message type "${String(f[2]).slice(0, 20)}"; expected A, W or STATE`);
        }
      },
      end() {},
    };
  },
};

function numOrUndef(s: string | undefined): number | undefined {
  if (s === undefined || s.length === 0) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}
