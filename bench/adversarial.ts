/**
 * Adversarial windows for the complexity row of the benchmark (issue 10): shapes that made the
 * engine super-linear. Each is written once as a pinned window and reused.
 *
 * - `chained-peers`: many distinct BGP peers flapping in one POP, 3 withdrawals per peer 1 ms
 *   apart. Under the bundled edge-gw policy every peer opens a group and every group links to
 *   the one before (same POP, within 120 s): one episode of thousands of groups (a route leak).
 * - `huge-within`: one withdrawal or announcement per peer, 1 s apart, peers spread over 64 POPs, under
 *   {@link HUGE_WITHIN_POLICY}: a count-1 rule and a correlate rule whose `within` is ten
 *   years, so every group stays a correlation candidate for the whole window.
 * - `always-fire`: one withdrawal per millisecond in one POP under {@link ALWAYS_FIRE_POLICY}:
 *   every event is an alert, so the trace has an entry per event.
 * - `benign`: the same number of events of ordinary telemetry (bench/synth.ts) for comparison.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { eventsWriter } from "./synth.js";

export type AdversarialKind = "chained-peers" | "huge-within" | "always-fire";

/** A rule that fires on every event (`count: 1`) of one fingerprint: one alert per event. */
export const ALWAYS_FIRE_POLICY = `apiVersion: replay-gate/v1
kind: CorrelationPolicy
metadata: { name: always-fire, version: 1.0.0 }
scope: { service: edge-gw }
mode: dry-run
detect:
  - id: withdraw
    match: { signal: bgp, name: bgp.withdraw }
    threshold: { count: 1, within: 1s }
    fingerprint: [rule, scope.pop]
    standalone: true
group: { dedupe_within: 300s }
incident:
  title: "{scope.pop} {rules}"
  confidence: { base: 0.4, per_signal: 0.2 }
`;

/** A policy whose correlate `within` (ten years) keeps every group a candidate. */
export const HUGE_WITHIN_POLICY = `apiVersion: replay-gate/v1
kind: CorrelationPolicy
metadata: { name: huge-within, version: 1.0.0 }
scope: { service: edge-gw }
mode: dry-run
detect:
  - id: withdraw
    match: { signal: bgp, name: bgp.withdraw }
    threshold: { count: 1, within: 1s }
    fingerprint: [rule, scope.pop, attrs.peer]
  - id: announce
    match: { signal: bgp, name: bgp.announce }
    threshold: { count: 1, within: 1s }
    fingerprint: [rule, scope.pop, attrs.peer]
group: { dedupe_within: 1s }
correlate:
  - id: same-pop
    join: [withdraw, announce]
    on: [scope.pop]
    within: 87600h
incident:
  title: "{scope.pop} {rules}"
  confidence: { base: 0.4, per_signal: 0.2 }
actions:
  - id: drain-pop
    when: { rules: [withdraw], min_confidence: 0.5 }
    target: scope.pop
    gate: approval
    blast_radius: { max_pops: 1 }
`;

const START = Date.UTC(2026, 5, 1);
const iso = (ms: number) => new Date(ms).toISOString();

function peerName(k: number): string {
  return `10.${(k >> 16) & 255}.${(k >> 8) & 255}.${k & 255}`;
}

/** Writes (or reuses) one adversarial window of `count` events; returns its directory. */
export async function ensureAdversarialWindow(root: string, kind: AdversarialKind, count: number): Promise<string> {
  const id = `${kind}-${count}`;
  const dir = join(root, "adversarial-v2", id);
  if (existsSync(join(dir, "window.yaml"))) return dir;
  mkdirSync(dir, { recursive: true });
  const writer = eventsWriter(join(dir, "events.ndjson.gz"));
  let last = START;
  for (let i = 0; i < count; i++) {
    let t: number,
      pop: string,
      peer: string,
      name = "bgp.withdraw";
    if (kind === "chained-peers") {
      const k = Math.floor(i / 3);
      t = START + i;
      pop = "POP-1";
      peer = peerName(k);
    } else if (kind === "always-fire") {
      t = START + i;
      pop = "POP-1";
      peer = peerName(i % 16);
    } else {
      t = START + i * 1000;
      pop = `POP-${i % 64}`;
      peer = peerName(i);
      if (i % 2 === 1) name = "bgp.announce";
    }
    last = t;
    await writer.line(
      JSON.stringify({
        ts: iso(t),
        signal: "bgp",
        name,
        scope: { service: "edge-gw", region: "eu-west", pop },
        source: "rtr",
        attrs: { peer, peer_asn: 64500 + (i % 1000), prefix: "203.0.113.0/24" },
      }),
    );
  }
  const pin = await writer.close();
  writeFileSync(
    join(dir, "window.yaml"),
    [
      `id: ${id}`,
      `title: adversarial ${kind} window of ${count} events`,
      `captured_at: ${iso(last)}`,
      `start: ${iso(START)}`,
      `end: ${iso(last)}`,
      "scope: { service: edge-gw, region: eu-west }",
      "signals: [bgp]",
      `events: { path: events.ndjson.gz, sha256: "${pin.sha256}", count: ${count}, bytes: ${pin.bytes} }`,
      "",
    ].join("\n"),
  );
  return dir;
}
