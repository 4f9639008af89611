import { describe, expect, test } from "vitest";
import { anyTimestampToMs, epochNanosToMs, epochNumberToMs, epochSecondsToMs } from "../../../src/core/capture/epoch.js";
import { parseIpPrefix, PrefixTable } from "../../../src/core/capture/ip.js";
import { compileMapping, compileScopeFilter, mappingSchema } from "../../../src/core/capture/mapping.js";
import { objectFields, type CaptureRecord } from "../../../src/core/capture/record.js";
import { serializeEvent } from "../../../src/core/capture/serialize.js";
import { InputError } from "../../../src/core/errors.js";
import { isEventIssue, normalizeEvent } from "../../../src/core/event.js";
import { parseYaml, validateYaml } from "../../../src/core/yaml.js";

describe("timestamps", () => {
  test("epoch seconds with fractions are exact to the millisecond, truncating the rest", () => {
    expect(epochSecondsToMs("1521911720.865716")).toBe(1521911720865);
    expect(epochSecondsToMs("1521911720.865")).toBe(1521911720865);
    expect(epochSecondsToMs("1521911720.8")).toBe(1521911720800);
    expect(epochSecondsToMs("1521911720")).toBe(1521911720000);
    expect(epochSecondsToMs("-")).toBeUndefined();
    expect(epochSecondsToMs("1e9")).toBeUndefined();
    expect(epochSecondsToMs("")).toBeUndefined();
  });

  test("a JSON number goes through its decimal form, so 1.001 s stays 1001 ms", () => {
    expect(Math.floor(1.001 * 1000)).toBe(1000);
    expect(epochNumberToMs(1.001)).toBe(1001);
    expect(epochNumberToMs(1521911720.865)).toBe(1521911720865);
    expect(epochNumberToMs(Number.NaN)).toBeUndefined();
  });

  test("nanoseconds beyond 2^53 are read from digits", () => {
    expect(epochNanosToMs("1722384059314899647")).toBe(1722384059314);
    expect(epochNanosToMs("1722384059314999999")).toBe(1722384059314);
    expect(epochNanosToMs("17x")).toBeUndefined();
  });

  test("ISO times with offsets and nanoseconds", () => {
    expect(anyTimestampToMs("2018-03-07T06:33:21.873077559-05:00")).toBe(Date.UTC(2018, 2, 7, 11, 33, 21, 873));
    expect(anyTimestampToMs("1521911720.5")).toBe(1521911720500);
  });
});

describe("ip prefixes", () => {
  test("parses v4, v6, compressed v6 and embedded v4, clearing host bits", () => {
    expect(parseIpPrefix("10.1.2.3/8")).toEqual({ v6: false, bits: 10n << 24n, length: 8 });
    expect(parseIpPrefix("2001:7f8:54::1:31")?.length).toBe(128);
    expect(parseIpPrefix("::ffff:10.0.0.1")?.bits).toBe((0xffffn << 32n) | (10n << 24n) | 1n);
    for (const bad of ["10.0.0", "10.0.0.256", "1:2:3:4:5:6:7:8:9", "10.0.0.0/33", "::1::", "x"]) expect(parseIpPrefix(bad)).toBeUndefined();
  });

  test("the longest containing prefix wins, for addresses and for prefixes", () => {
    const t = new PrefixTable<string>();
    t.add("37.49.236.0/22", "wide");
    t.add("37.49.236.0/24", "narrow");
    t.add("2001:7f8:54::/48", "v6");
    expect(t.lookup("37.49.236.123")).toBe("narrow");
    expect(t.lookup("37.49.237.31")).toBe("wide");
    expect(t.lookup("37.49.236.0/23")).toBe("wide");
    expect(t.lookup("2001:7f8:54::1:31")).toBe("v6");
    expect(t.lookup("192.0.2.1")).toBeUndefined();
  });
});

function record(fields: Record<string, string | number | boolean>, extra: Partial<CaptureRecord> = {}): CaptureRecord {
  return { ts: 0, signal: "bgp", name: "bgp.withdraw", fields: objectFields(fields), defaultAttrs: ["peer", "prefix"], ...extra };
}

function mapping(text: string) {
  return validateYaml(parseYaml(text, "map.yaml"), mappingSchema);
}

describe("mapping", () => {
  const m = compileMapping(
    mapping(`
apiVersion: replay-gate/v1
kind: CaptureMapping
scope:
  service: { value: ix-routing }
  pop:
    - { field: pop }
    - { field: peer_asn, table: { "60427": POP-A } }
    - { field: peer, prefixes: { 37.49.236.0/22: POP-B, "2001:7f8:54::/48": POP-C } }
    - { field: instance, globs: [{ glob: "edge-*.pop12.*", value: POP-12 }] }
  host: { field: instance, signals: [metric] }
attrs: { add: [as_path], drop: [prefix] }
`),
  );

  test("tries scope rules in order: a label, a table of ASNs, a prefix table, a host-name glob", () => {
    expect(m(record({ pop: "POP-X", peer_asn: 60427 })).scope).toEqual({ service: "ix-routing", pop: "POP-X" });
    expect(m(record({ peer_asn: 60427, peer: "37.49.236.1" })).scope.pop).toBe("POP-A");
    expect(m(record({ peer_asn: 1, peer: "37.49.236.1" })).scope.pop).toBe("POP-B");
    expect(m(record({ peer: "2001:7f8:54::1:31" })).scope.pop).toBe("POP-C");
    expect(m(record({ instance: "edge-3.pop12.example.net" })).scope.pop).toBe("POP-12");
    expect(m(record({ instance: "core-1.example.net" })).scope.pop).toBeUndefined();
  });

  test("signal-restricted rules apply only to their signals", () => {
    expect(m(record({ instance: "h1" })).scope.host).toBeUndefined();
    expect(m(record({ instance: "h1" }, { signal: "metric" })).scope.host).toBe("h1");
  });

  test("attrs: defaults, plus add, minus drop; unset fields are left out", () => {
    expect(m(record({ peer: "10.0.0.1", prefix: "10.1.0.0/16", as_path: "1 2 3", next_hop: "x" })).attrs).toEqual({ peer: "10.0.0.1", as_path: "1 2 3" });
    const keepAll = compileMapping(mapping("apiVersion: replay-gate/v1\nkind: CaptureMapping\nattrs: { keep: ['*'] }\n"));
    expect(keepAll(record({ a: 1, b: "x" })).attrs).toEqual({ a: 1, b: "x" });
    expect(keepAll(record({})).attrs).toBeUndefined();
  });

  test("a reserved field name never becomes an attr key", () => {
    const keepAll = compileMapping(mapping("apiVersion: replay-gate/v1\nkind: CaptureMapping\nattrs: { keep: ['*'] }\n"));
    const fields = JSON.parse('{"__proto__":"x","constructor":"y","ok":1}') as Record<string, string | number>;
    expect(keepAll(record(fields)).attrs).toEqual({ ok: 1 });
  });

  test("schema errors name the line and the path", () => {
    const bad = "apiVersion: replay-gate/v1\nkind: CaptureMapping\nscope:\n  pop: { field: peer, prefixes: { nonsense: P }, table: { a: b } }\n  colour: { value: red }\n";
    try {
      mapping(bad);
      expect.unreachable();
    } catch (err) {
      const problems = (err as InputError).problems;
      expect(problems.map((p) => [p.line, p.path])).toEqual([
        [4, "scope.pop"],
        [4, "scope.pop.prefixes.nonsense"],
        [5, "scope.colour"],
      ]);
    }
  });

  test("the --scope filter matches exactly or by glob and requires the dimension", () => {
    const f = compileScopeFilter({ pop: "POP-*", service: "dns" });
    expect(f({ pop: "POP-1", service: "dns" })).toBe(true);
    expect(f({ pop: "POP-1" })).toBe(false);
    expect(f({ pop: "X", service: "dns" })).toBe(false);
  });
});

describe("serialization", () => {
  test("fixed key order, sorted attrs, ms always written; the line is a valid event", () => {
    const line = serializeEvent({
      ts: 1470931200000,
      signal: "bgp",
      name: "bgp.withdraw",
      scope: { pop: "P", service: "S" },
      value: 1.5,
      severity: "major",
      source: "rrc21",
      attrs: { z: 1, "10": "n", a: true },
    });
    expect(line).toBe(
      '{"ts":"2016-08-11T16:00:00.000Z","signal":"bgp","name":"bgp.withdraw","scope":{"service":"S","pop":"P"},"source":"rrc21","value":1.5,"severity":"major","attrs":{"10":"n","a":true,"z":1}}',
    );
    const back = normalizeEvent(JSON.parse(line));
    expect(isEventIssue(back)).toBe(false);
  });
});
