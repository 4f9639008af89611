import { describe, expect, test } from "vitest";
import { ADAPTERS, detectAdapters, findAdapter } from "../../../../src/io/capture/adapters/index.js";
import { fixtureText, runAdapter } from "../helpers.js";

const iso = (ms: number) => new Date(ms).toISOString();

describe("zeek", () => {
  test("maps dns.log TSV fields, keeps fractions to the millisecond and reads '-' as unset", () => {
    const run = runAdapter("zeek", fixtureText("zeek-dns.tsv"));
    const first = run.records[0]!;
    expect(first).toMatchObject({ signal: "dns", name: "dns.response", ts: 1521911940977 });
    expect(first.fields).toMatchObject({ qname: "videosearch.ubuntu.com", qtype: "A", rcode: "NXDOMAIN", src: "10.47.1.153", dst: "10.0.0.100", RD: true, RA: false });
    expect(first.fields.rtt_ms).toBeUndefined();
    const noReply = run.records.find((r) => r.fields.qname === "mirrors.thaidns.co.th.localdomain")!;
    expect(noReply.name).toBe("dns.no_response");
    expect(noReply.fields.rcode).toBeUndefined();
    const answered = run.records.find((r) => r.fields.rcode === "NOERROR")!;
    expect(answered.fields.rtt_ms).toBe(0.847);
    expect(answered.fields.answers).toMatch(/^ise\.wrccdc\.cpp\.edu,/);
  });

  test("keeps rows out of ts order and duplicated (capture sorts and deduplicates), rejects a short row with its line", () => {
    const run = runAdapter("zeek", fixtureText("zeek-dns.tsv"));
    const ts = run.records.map((r) => r.ts);
    expect(ts).not.toEqual([...ts].sort((a, b) => a - b));
    expect(run.rejects).toEqual([{ line: 23, message: "expected 24 tab-separated columns (#fields), found 4" }]);
  });

  test("reads JSON logs: ISO ts, omitted fields unset, arrays joined", () => {
    const run = runAdapter("zeek", fixtureText("zeek-dns.json"));
    expect(run.rejects).toEqual([]);
    expect(iso(run.records[0]!.ts)).toBe("2018-03-24T17:19:00.206Z");
    expect(run.records[0]!.fields).toMatchObject({ qname: "ise.wrccdc.org", rcode: "NOERROR", rtt_ms: 1.029, answers: "ise.wrccdc.cpp.edu,134.71.3.16" });
    const noReply = run.records.filter((r) => r.name === "dns.no_response");
    expect(noReply.length).toBe(2);
    expect(noReply[0]!.fields.rcode).toBeUndefined();
  });

  test("reads epoch-number ts in JSON exactly (no float rounding down)", () => {
    const run = runAdapter("zeek", '{"ts":1521911720.865,"uid":"C1","id.orig_h":"10.0.0.1","query":"a.example","rcode_name":"SERVFAIL"}');
    expect(run.records[0]).toMatchObject({ ts: 1521911720865, name: "dns.response" });
    expect(run.records[0]!.fields.rcode).toBe("SERVFAIL");
  });

  test("conn.log → flow.conn with bytes summed, unset byte counts left unset", () => {
    const run = runAdapter("zeek", fixtureText("zeek-conn.tsv"));
    expect(run.records.map((r) => [r.signal, r.name, r.value])).toEqual([
      ["flow", "flow.conn", 128],
      ["flow", "flow.conn", undefined],
      ["flow", "flow.conn", 6600],
    ]);
    expect(run.records[1]!.fields).toMatchObject({ conn_state: "S0", dst: "198.32.64.12", dst_port: 53 });
    expect(run.records[2]!.ts).toBe(1521911942250);
    expect(run.records[2]!.fields.tunnel_parents).toBe("");
  });

  test("weird and notice logs → log events", () => {
    const weird = runAdapter("zeek", fixtureText("zeek-weird.tsv"));
    expect(weird.records[0]).toMatchObject({ signal: "log", name: "zeek.weird", fields: { weird: "bad_HTTP_request", src: "10.164.94.120" } });
    const notice = runAdapter("zeek", fixtureText("zeek-notice.json"));
    expect(notice.records[0]).toMatchObject({ signal: "log", name: "zeek.notice", fields: { note: "SSL::Invalid_Server_Cert", src: "10.164.94.120", dst: "10.47.3.200" } });
    const tsv = runAdapter("zeek", fixtureText("zeek-notice.tsv"));
    expect(tsv.rejects).toEqual([]);
    expect(tsv.records[0]!.fields.note).toBe("SSL::Invalid_Server_Cert");
  });

  test("an empty file yields nothing", () => {
    expect(runAdapter("zeek", "")).toMatchObject({ records: [], rejects: [] });
  });
});

describe("bgpdump", () => {
  test("maps A, W and STATE lines per prefix or session", () => {
    const run = runAdapter("bgpdump", fixtureText("bgpdump-rrc21.txt"));
    const names = run.records.map((r) => r.name);
    expect(names.filter((n) => n === "bgp.announce").length).toBe(7);
    expect(names.filter((n) => n === "bgp.withdraw").length).toBe(3);
    expect(names.filter((n) => n === "bgp.state").length).toBe(3);
    expect(run.records[0]).toMatchObject({
      ts: 1470931200000,
      fields: { peer: "2001:7f8:54::188", peer_asn: 59689, prefix: "2804:14d::/40", as_path: "59689 6939 3356 4230 28573", origin_asn: 28573 },
    });
    const state = run.records.find((r) => r.name === "bgp.state")!;
    expect(state.fields).toMatchObject({ peer: "37.49.232.25", peer_asn: 60427, old_state: "established", new_state: "idle", state: "down" });
  });

  test("rejects a truncated line with its number", () => {
    const run = runAdapter("bgpdump", fixtureText("bgpdump-rrc21.txt"));
    expect(run.rejects.map((r) => r.line)).toEqual([14]);
  });

  test("reads BGP4MP_ET microsecond times and ignores RIB entries", () => {
    const run = runAdapter("bgpdump", "BGP4MP_ET|1470931200.123456|W|10.0.0.1|65000|10.1.0.0/16\nTABLE_DUMP2|1470931200|B|10.0.0.1|65000|10.2.0.0/16|65000|IGP|10.0.0.1|0|0||NAG||");
    expect(run.records).toHaveLength(1);
    expect(run.records[0]!.ts).toBe(1470931200123);
    expect(run.ignored).toBe(1);
  });
});

describe("rislive", () => {
  test("reads the 2018 beta shape; peer_asn strings become numbers; broken lines are rejected", () => {
    const run = runAdapter("rislive", fixtureText("rislive-2018-beta.jsonl"));
    expect(run.records[0]).toMatchObject({ name: "bgp.announce", ts: 1533666470700, source: "rrc13", fields: { peer_asn: 28917, prefix: "2804:45d0::/32", origin_asn: 266951 } });
    expect(run.records.map((r) => r.name)).toEqual(["bgp.announce", "bgp.withdraw", "bgp.state", "bgp.state"]);
    expect(run.records[3]!.fields).toMatchObject({ state: "down", reason: "connection to peer failed", peer_asn: 31122 });
    expect(run.rejects.map((r) => r.line)).toEqual([8, 9]);
    expect(run.ignored).toBe(3);
  });

  test("reads ris_message UPDATE (one event per prefix) and RIS_PEER_STATE", () => {
    const run = runAdapter("rislive", fixtureText("rislive-rrc21.jsonl"));
    expect(run.rejects).toEqual([]);
    expect(run.records.slice(1, 3).map((r) => r.fields.prefix)).toEqual(["192.140.252.0/22", "103.213.236.0/22"]);
    const state = run.records.find((r) => r.name === "bgp.state")!;
    expect(state.fields).toMatchObject({ state: "down", old_state: "established", new_state: "idle", peer_asn: 60427 });
    expect(run.records.some((r) => r.name === "bgp.withdraw")).toBe(true);
  });
});

describe("goflow2", () => {
  test("maps fields, reads nanosecond times exactly, rejects a non-numeric byte count", () => {
    const run = runAdapter("goflow2", fixtureText("goflow2-sflow.jsonl"));
    expect(run.records[0]).toMatchObject({
      ts: 1722384059314,
      signal: "flow",
      name: "flow.record",
      value: 70,
      source: "67.43.156.1",
      fields: { src: "216.160.83.57", dst: "216.160.83.58", proto: "TCP", dst_port: 443, sampling_rate: 1000 },
    });
    expect(run.rejects).toEqual([{ line: 10, message: 'bytes: expected a number, found ""' }]);
    expect(run.records.at(-1)!.fields.src).toBeUndefined();
  });

  test("does not round 999_999 ns up into the next millisecond, and names numeric protocols", () => {
    const run = runAdapter("goflow2", '{"type":"IPFIX","time_flow_start_ns":1722384059314999999,"proto":17,"bytes":10}');
    expect(run.records[0]).toMatchObject({ ts: 1722384059314, fields: { proto: "UDP" } });
  });
});

describe("prometheus", () => {
  test("maps a matrix: name from __name__, values from strings, labels as fields", () => {
    const run = runAdapter("prom", fixtureText("prom-wrccdc-dns-outcomes.json"));
    expect(run.records).toHaveLength(48);
    expect(run.records[0]).toMatchObject({ ts: 1521911940000, signal: "metric", name: "zeek_dns_log_rows_per_15s", value: 250, fields: { rcode_name: "NOERROR", server_group: "other_servers" } });
  });

  test("keeps fractional sample times and rejects NaN samples with their path", () => {
    const doc = JSON.stringify({
      status: "success",
      data: {
        resultType: "matrix",
        result: [
          {
            metric: {},
            values: [
              [1664376185.491, "0.5"],
              [1664376186.491, "NaN"],
            ],
          },
        ],
      },
    });
    const run = runAdapter("prom", doc);
    expect(run.records).toMatchObject([{ ts: 1664376185491, name: "unnamed_series", value: 0.5 }]);
    expect(run.rejects).toEqual([{ line: 1, message: 'data.result[0].values[1]: value "NaN" is not a finite number' }]);
  });

  test("a pretty-printed response spanning many lines is one document", () => {
    const run = runAdapter("prom", fixtureText("prom-range-missing.json"));
    expect(run.records.map((r) => r.value)).toEqual([21, 32, 43]);
  });

  test("an error response is rejected", () => {
    const run = runAdapter("prom", '{"status":"error","errorType":"bad_data","error":"parse error"}');
    expect(run.rejects[0]!.message).toMatch(/error: parse error/);
  });
});

describe("alertmanager", () => {
  test("re-sent alerts across notifications are one alert; resolution is a second event at endsAt", () => {
    const run = runAdapter("am", fixtureText("alertmanager-mongo-01.json"), fixtureText("alertmanager-mongo-02.json"), fixtureText("alertmanager-mongo-03.json"));
    expect(run.records.map((r) => [iso(r.ts), r.fields.scenario, r.fields.status])).toEqual([
      ["2018-04-27T16:58:00.000Z", "mongo-02", "firing"],
      ["2018-04-27T16:59:00.000Z", "mongo-01", "firing"],
      ["2018-04-27T17:00:00.000Z", "mongo-01", "resolved"],
      ["2018-04-27T17:00:00.000Z", "mongo-02", "resolved"],
    ]);
    expect(run.duplicates).toBe(3);
    expect(run.records[0]).toMatchObject({ signal: "alert", name: "MongoAppRpsDrop", severity: "minor" });
  });

  test("reads offsets and nanoseconds in startsAt, the zero endsAt as unset, and derives a missing fingerprint", () => {
    const run = runAdapter("am", fixtureText("alertmanager-msteams.json"));
    expect(run.records).toHaveLength(1);
    expect(iso(run.records[0]!.ts)).toBe("2018-03-07T11:33:21.873Z");
    expect(run.records[0]!.fields.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(run.raw[0]!.fields.get("ends_at")).toBeUndefined();
    expect(run.raw[0]!.fields.get("annotations.summary")).toBe("Server High Memory usage");
  });

  test("refuses a payload of another version", () => {
    expect(runAdapter("am", '{"version":"3","alerts":[]}').rejects[0]!.message).toMatch(/version/);
  });
});

describe("registry and detection", () => {
  test.each([
    ["zeek-dns.tsv", "zeek"],
    ["zeek-dns.json", "zeek"],
    ["bgpdump-rrc21.txt", "bgpdump"],
    ["rislive-2018-beta.jsonl", "rislive"],
    ["rislive-rrc21.jsonl", "rislive"],
    ["goflow2-sflow.jsonl", "goflow2"],
    ["prom-range-missing.json", "prometheus"],
    ["alertmanager-msteams.json", "alertmanager"],
  ])("detects %s as %s, and only as that", (file, name) => {
    expect(detectAdapters(fixtureText(file)).map((a) => a.name)).toEqual([name]);
  });

  test("names and aliases resolve", () => {
    expect(findAdapter("prom")?.name).toBe("prometheus");
    expect(findAdapter("am")?.name).toBe("alertmanager");
    expect(ADAPTERS.map((a) => a.name)).toEqual(["zeek", "bgpdump", "rislive", "goflow2", "prometheus", "alertmanager-post", "alertmanager", "prometheus-alerts"]);
  });
});
