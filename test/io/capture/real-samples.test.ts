/**
 * The adapters against the real exports in fixtures/realdata/ (a missing sample fails the test
 * rather than skipping it), and the committed example windows against their policies and against
 * a fresh capture.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, test } from "vitest";
import { checkExpectations } from "../../../src/core/engine/expectations.js";
import { Engine } from "../../../src/core/engine/engine.js";
import { isEventIssue, normalizeEvent, type NormalizedEvent } from "../../../src/core/event.js";
import { loadPolicyText } from "../../../src/core/policy/load.js";
import { readWindowManifest, verifyPin } from "../../../src/io/window.js";
import { fixtureText, realdata, REPO, runAdapter } from "./helpers.js";

const text = (name: string) => fixtureText(realdata(name));

describe("real samples", () => {
  test("Zeek dns.log (three minutes, 8384 rows, TSV): every row reads, answered or not", () => {
    const tsv = text("zeek/brimdata-zed-sample-data_wrccdc_dns_2018-03-24T1719-1722Z.log.gz");
    const rows = tsv.split("\n").filter((l) => l !== "" && !l.startsWith("#")).length;
    expect(rows).toBe(8384);
    const run = runAdapter("zeek", tsv);
    expect(run.rejects).toEqual([]);
    expect(run.records.length).toBe(rows);
    const names = new Map<string, number>();
    for (const r of run.records) names.set(r.name, (names.get(r.name) ?? 0) + 1);
    expect(names.get("dns.response")! + names.get("dns.no_response")!).toBe(rows);
    expect(names.get("dns.no_response")).toBeGreaterThan(0);
    expect(run.records.filter((r) => r.fields.rcode === "NXDOMAIN").length).toBe(444);
  });

  test("Zeek TSV and JSON of the same minute give the same records", () => {
    const tsv = runAdapter("zeek", text("zeek/brimdata-zed-sample-data_wrccdc_dns_2018-03-24T1719-1722Z.log.gz"));
    const json = runAdapter("zeek", text("zeek/brimdata-zed-sample-data_wrccdc_dns_2018-03-24T1719-1720Z.json.gz"));
    const key = (r: (typeof tsv.records)[number]) => `${r.ts}|${r.name}|${r.fields.uid}|${r.fields.qname}|${r.fields.rcode}`;
    // The JSON sample is the first minute (17:19Z) of the TSV slice.
    const firstMinute = tsv.records.filter((r) => r.ts < Date.UTC(2018, 2, 24, 17, 20));
    expect(json.rejects).toEqual([]);
    expect(json.records).toHaveLength(2068);
    expect(json.records.map(key)).toEqual(firstMinute.map(key));
  });

  test("Zeek weird, notice and JSON notice/syslog logs read without rejects", () => {
    for (const f of [
      "brimdata-zed-sample-data_zeek-default_weird_head400.log.gz",
      "brimdata-zed-sample-data_zeek-default_notice.log.gz",
      "brimdata-zed-sample-data_zeek-json_notice.json.gz",
      "brimdata-zed-sample-data_zeek-json_syslog.json.gz",
    ]) {
      const run = runAdapter("zeek", text(`zeek/${f}`));
      expect(run.rejects, f).toEqual([]);
      expect(run.records.length, f).toBeGreaterThan(10);
      expect(
        run.records.every((r) => r.signal === "log"),
        f,
      ).toBe(true);
    }
  });

  test("bgpdump -m of three RIS update files: every line reads", () => {
    const counts: Record<string, number> = {};
    for (const f of ["20160811.1600", "20100722.2015", "long_withdrawal"]) {
      const run = runAdapter("bgpdump", text(`bgp/RIPE-NCC-bgpdump_test_expect_updates.${f}.gz.bgp.gz`));
      expect(run.rejects, f).toEqual([]);
      counts[f] = run.records.length;
    }
    expect(counts["20160811.1600"]).toBe(41234);
  });

  test("RIS Live messages converted from the rrc21 records give the same events as bgpdump", () => {
    const ris = runAdapter("rislive", text("bgp/rislive-shaped_rrc21_2016-08-11T1600-1601Z_from_RIPE-NCC-bgpdump.jsonl.gz"));
    const dump = runAdapter("bgpdump", text("bgp/RIPE-NCC-bgpdump_test_expect_updates.20160811.1600.gz.bgp.gz"));
    expect(ris.rejects).toEqual([]);
    const key = (r: (typeof ris.records)[number]) => `${r.ts}|${r.name}|${r.fields.peer}|${r.fields.peer_asn}|${r.fields.prefix ?? r.fields.state}`;
    // The RIS Live sample is the first minute (16:00Z) of the conversion.
    const firstMinute = dump.records.filter((r) => r.ts < Date.UTC(2016, 7, 11, 16, 1));
    expect(firstMinute.length).toBeGreaterThan(1000);
    expect(ris.records.map(key).sort()).toEqual(firstMinute.map(key).sort());
  });

  test("goflow2 sample and Alertmanager payloads of every origin", () => {
    // The goflow2 sample is committed whole as a capture fixture (see test/fixtures/capture/README.md).
    expect(runAdapter("goflow2", fixtureText("goflow2-sflow.jsonl")).records).toHaveLength(11);
    const large = runAdapter("am", text("alertmanager/prometheus-msteams_alert_testdata_large_prom_post_request.json"));
    expect(large.rejects).toEqual([]);
    expect(large.records.length).toBeGreaterThan(5);
    expect(large.records.every((r) => r.severity === "critical")).toBe(true);
    expect(runAdapter("am", text("alertmanager/prometheus-msteams_examples_templates_card-grafana-inspired-payload.json")).rejects).toEqual([]);
  });

  test("Prometheus query_range responses, with fractional times", () => {
    const auto = runAdapter("prom", text("prometheus/grafana_pkg_promlib_testdata_range_auto.result.json"));
    expect(auto.rejects).toEqual([]);
    expect(auto.records[0]).toMatchObject({ ts: 1664376185491, name: "unnamed_series" });
    const mongo = runAdapter("prom", text("prometheus/prom-query_range-shaped_msft-mongo-rps_2018-04-27T1630-1710Z.json"));
    expect(mongo.records[0]).toMatchObject({ name: "mongodb_application_requests_per_second", value: 2941.23333333333, fields: { scenario: "mongo-01" } });
  });
});

const EXAMPLES = [
  ["2016-08-11-rrc21-session-flap", "policies/rrc21-routing.yaml"],
  ["2018-03-24-wrccdc-dns-failure-storm", "policies/wrccdc-dns.yaml"],
] as const;

describe("example windows", () => {
  test.each(EXAMPLES)("%s verifies and its expectations hold under %s", async (id, policyPath) => {
    const dir = join(REPO, "policies/windows", id);
    const src = await readWindowManifest(dir);
    await verifyPin(src);
    const policy = loadPolicyText(readFileSync(join(REPO, policyPath), "utf8"), policyPath);
    const engine = new Engine(policy.compiled);
    const lines = gunzipSync(readFileSync(src.eventsPath)).toString("utf8").trimEnd().split("\n");
    lines.forEach((l, i) => {
      const e = normalizeEvent(JSON.parse(l));
      if (isEventIssue(e)) throw new Error(`${id}:${i + 1}: ${e.path}: ${e.message}`);
      engine.push(e as NormalizedEvent, i);
    });
    const result = checkExpectations(src.manifest.expect, engine.finish());
    expect(result.status, JSON.stringify(result.checks)).toBe("pass");
  });

  test("scripts/capture-examples.mjs rebuilds them byte for byte", async () => {
    const script = (await import(join(REPO, "scripts/capture-examples.mjs"))) as { captureExamples: (root: string, o: { quiet: boolean }) => Promise<string[]> };
    const { mkdirSync, mkdtempSync, rmSync } = await import("node:fs");
    mkdirSync(join(REPO, ".bench"), { recursive: true });
    const root = mkdtempSync(join(REPO, ".bench", "capture-test-"));
    try {
      await script.captureExamples(root, { quiet: true });
      for (const [id] of EXAMPLES) {
        const fresh = join(root, id),
          committed = join(REPO, "policies/windows", id);
        const a = readFileSync(join(committed, "events.ndjson.gz")),
          b = readFileSync(join(fresh, "events.ndjson.gz"));
        expect(gunzipSync(b).equals(gunzipSync(a)), `${id}: events differ`).toBe(true);
        // Another zlib build (another Node) may compress equal content differently; then only the pin may differ.
        const strip = (s: string) => (a.equals(b) ? s : s.replace(/^ {2}(sha256|bytes): .*$/gm, ""));
        expect(strip(readFileSync(join(fresh, "window.yaml"), "utf8"))).toBe(strip(readFileSync(join(committed, "window.yaml"), "utf8")));
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
