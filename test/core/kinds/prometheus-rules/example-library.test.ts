/**
 * The Prometheus rules example library (policies/prometheus/): every alerting rule of the rule
 * file fires in at least one of its metric windows under at least one version, the base and head
 * versions differ visibly on the seeded synthetic episodes, and the generator rebuilds the
 * synthetic sources and every window byte for byte.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { prometheusRulesKind, type CompiledRules, type EpisodeOut } from "../../../../src/core/kinds/prometheus-rules/index.js";
import { loadKindPolicy } from "../../../../src/core/kinds/registry.js";
import { readWindowManifest, streamEvents } from "../../../../src/io/window.js";

const REPO = join(import.meta.dirname, "../../../..");
const LIB = join(REPO, "policies/prometheus");
const WINDOWS = ["msft-mongo", "wrccdc-dns", "bgp-session-flap", "packet-loss-episode", "latency-slo-burn"] as const;
const VERSIONS = { base: "versions/edge-rules-base.yaml", head: "edge-rules.yaml" } as const;
type Version = keyof typeof VERSIONS;

async function replay(version: Version, window: string): Promise<EpisodeOut[]> {
  const text = readFileSync(join(LIB, VERSIONS[version]), "utf8");
  const compiled = loadKindPolicy(text, VERSIONS[version]).compiled as CompiledRules;
  const src = await readWindowManifest(join(LIB, "windows", window));
  const run = prometheusRulesKind.start(compiled, { id: window, start: src.startMs, end: src.endMs, scope: {} });
  await streamEvents(src, (e, id) => run.push(e, id));
  return [...run.finish().extras.alerts];
}

const results = new Map<string, EpisodeOut[]>();
const alerts = (v: Version, w: string) => results.get(`${v}/${w}`)!;
const fired = (v: Version, w: string, rule: string) => alerts(v, w).filter((a) => a.rule === rule && a.fired_at !== null);

beforeAll(async () => {
  for (const v of Object.keys(VERSIONS) as Version[]) for (const w of WINDOWS) results.set(`${v}/${w}`, await replay(v, w));
});

describe("the Prometheus rules example library", () => {
  it("fires every alerting rule of the rule file in at least one window under at least one version", () => {
    const text = readFileSync(join(LIB, VERSIONS.head), "utf8");
    const names = [...text.matchAll(/^\s*- alert: (\S+)$/gm)].map((m) => m[1]!);
    expect(names).toEqual(["MongoAppRpsDrop", "DnsFailureRatioHigh", "BgpSessionDown", "PacketLossHigh", "LatencySloBurn"]);
    for (const rule of names) {
      const where = WINDOWS.flatMap((w) => (["base", "head"] as const).filter((v) => fired(v, w, rule).length > 0).map((v) => `${v}/${w}`));
      expect(where, rule).not.toEqual([]);
    }
  });

  it("BGP flap: base (for: 1m) pages on the 150 s outage and the 5 min one; head (for: 3m) only on the 5 min one; a scrape gap pages nobody", () => {
    const base = fired("base", "bgp-session-flap", "BgpSessionDown");
    const head = fired("head", "bgp-session-flap", "BgpSessionDown");
    expect(base.map((a) => a.labels.peer)).toEqual(["192.0.2.2", "192.0.2.2"]);
    expect(head.map((a) => a.labels.peer)).toEqual(["192.0.2.2"]);
    expect(head[0]!.active_at).toBe(base[1]!.active_at);
    for (const v of ["base", "head"] as const) expect(alerts(v, "bgp-session-flap").some((a) => a.labels.peer === "203.0.113.9")).toBe(false);
  });

  it("packet loss: both versions fire on the 4 % episode via the recording rule; head (0.5 %) also fires on the interface losing 0.7 % all along", () => {
    const iface = (v: Version) =>
      fired(v, "packet-loss-episode", "PacketLossHigh")
        .map((a) => a.labels.interface)
        .sort();
    expect(iface("base")).toEqual(["et-0/0/3"]);
    expect(iface("head")).toEqual(["et-0/0/2", "et-0/0/3"]);
    // The counter reset on et-0/0/1 is a reset, not a burst of loss.
    expect(iface("head")).not.toContain("et-0/0/1");
  });

  it("latency SLO burn: both page on checkout; head's 5m window resolves it once the burn stops, base's 1h window is still firing at the end", () => {
    const base = fired("base", "latency-slo-burn", "LatencySloBurn");
    const head = fired("head", "latency-slo-burn", "LatencySloBurn");
    expect(base.map((a) => a.labels.service)).toEqual(["checkout"]);
    expect(head.map((a) => a.labels.service)).toEqual(["checkout"]);
    expect(base[0]!.resolved_at).toBeNull();
    expect(head[0]!.resolved_at).not.toBeNull();
  });

  it("real windows: head's lower thresholds fire where base stays quiet (mongo) or fire earlier (DNS)", () => {
    expect(fired("base", "msft-mongo", "MongoAppRpsDrop")).toEqual([]);
    expect(fired("head", "msft-mongo", "MongoAppRpsDrop").length).toBeGreaterThan(0);
    const [b] = fired("base", "wrccdc-dns", "DnsFailureRatioHigh"),
      [h] = fired("head", "wrccdc-dns", "DnsFailureRatioHigh");
    expect(h!.fired_at!).toBeLessThan(b!.fired_at!);
  });
});

describe("scripts/gen-prometheus-examples.mjs", () => {
  it("rebuilds the synthetic sources and every window byte for byte", async () => {
    const script = (await import(join(REPO, "scripts/gen-prometheus-examples.mjs"))) as {
      buildPrometheusExamples: (root: string, o: { quiet: boolean }) => Promise<{ windows: string[]; sources: string[] }>;
    };
    mkdirSync(join(REPO, ".bench"), { recursive: true });
    const root = mkdtempSync(join(REPO, ".bench", "prom-examples-test-"));
    try {
      const built = await script.buildPrometheusExamples(root, { quiet: true });
      expect(built.windows.length).toBe(WINDOWS.length);
      for (const f of built.sources) expect(gunzipSync(readFileSync(join(root, f))).equals(gunzipSync(readFileSync(join(REPO, f)))), f).toBe(true);
      for (const w of built.windows) {
        const a = readFileSync(join(REPO, w, "events.ndjson.gz")),
          b = readFileSync(join(root, w, "events.ndjson.gz"));
        expect(gunzipSync(b).equals(gunzipSync(a)), `${w}: events differ`).toBe(true);
        // Another zlib build may compress equal content differently; then only the pin may differ.
        const strip = (s: string) => (a.equals(b) ? s : s.replace(/^ +(sha256|bytes): .*$/gm, ""));
        expect(strip(readFileSync(join(root, w, "window.yaml"), "utf8"))).toBe(strip(readFileSync(join(REPO, w, "window.yaml"), "utf8")));
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 120_000);
});
