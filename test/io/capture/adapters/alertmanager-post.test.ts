import { describe, expect, it } from "vitest";
import { detectAdapters } from "../../../../src/io/capture/adapters/index.js";
import { runAdapter } from "../helpers.js";

const line = (alerts: unknown[], at = "2026-11-24T14:00:05.250Z") => JSON.stringify({ received_at: at, alerts });

describe("the alertmanager-post capture adapter", () => {
  it("turns each POSTed alert into an alert event at received_at with its labels, annotations, startsAt and endsAt", () => {
    const run = runAdapter(
      "alertmanager-post",
      line([
        { labels: { alertname: "Down", instance: "a", empty: "" }, annotations: { summary: "s" }, startsAt: "2026-11-24T13:59:00Z", endsAt: "2026-11-24T14:04:00Z", generatorURL: "http://p/g" },
        { labels: { alertname: "Down", instance: "b" }, startsAt: "0001-01-01T00:00:00Z" },
      ]),
    );
    expect(run.rejects).toEqual([]);
    expect(run.raw.map((r) => ({ ts: r.ts, name: r.name, labels: r.labels, annotations: r.annotations, starts_at: r.starts_at, ends_at: r.ends_at }))).toEqual([
      {
        ts: Date.parse("2026-11-24T14:00:05.250Z"),
        name: "Down",
        labels: { alertname: "Down", instance: "a" },
        annotations: { summary: "s" },
        starts_at: Date.parse("2026-11-24T13:59:00Z"),
        ends_at: Date.parse("2026-11-24T14:04:00Z"),
      },
      { ts: Date.parse("2026-11-24T14:00:05.250Z"), name: "Down", labels: { alertname: "Down", instance: "b" }, annotations: undefined, starts_at: undefined, ends_at: undefined },
    ]);
    expect(run.records[0]!.fields.generator_url).toBe("http://p/g");
  });

  it("rejects, with line and index, a line that is not JSON, an alert without labels, an invalid label name and endsAt before startsAt", () => {
    const run = runAdapter(
      "alertmanager-post",
      [
        "not json",
        line([{ labels: {} }]),
        line([{ labels: { "bad-name": "x" } }]),
        line([{ labels: { a: "1" }, startsAt: "2026-11-24T14:00:00Z", endsAt: "2026-11-24T13:00:00Z" }]),
        JSON.stringify({ alerts: [] }),
      ].join("\n"),
    );
    expect(run.rejects.map((r) => r.line)).toEqual([1, 2, 3, 4, 5]);
    expect(run.rejects[1]!.message).toBe("alerts[0].labels: at least one label pair required");
    expect(run.rejects[2]!.message).toContain("invalid label name");
    expect(run.rejects[3]!.message).toContain("start time must be before end time");
    expect(run.rejects[4]!.message).toContain("received_at");
  });

  it("is detected from the first line of a tap and not from a webhook payload", () => {
    expect(detectAdapters(line([{ labels: { a: "1" } }])).map((a) => a.name)).toEqual(["alertmanager-post"]);
    expect(detectAdapters('{"receiver":"r","groupKey":"k","alerts":[]}').map((a) => a.name)).toEqual(["alertmanager"]);
  });
});

describe("the prometheus-alerts capture adapter (ALERTS series)", () => {
  const matrix = (values: number[], state = "firing") =>
    JSON.stringify({
      status: "success",
      data: { resultType: "matrix", result: [{ metric: { __name__: "ALERTS", alertname: "Down", alertstate: state, instance: "a" }, values: values.map((t) => [t, "1"]) }] },
    });

  it("sends a firing run at its first sample and once a minute, then resolved once a minute for 15 minutes", () => {
    const base = 1_700_000_000;
    const run = runAdapter("prometheus-alerts", matrix([0, 30, 60, 90, 120].map((s) => base + s)));
    expect(run.rejects).toEqual([]);
    const sent = run.raw.map((r) => [r.ts / 1000 - base, r.starts_at! / 1000 - base, r.ends_at! / 1000 - base]);
    expect(sent.slice(0, 3)).toEqual([
      [0, 0, 240],
      [60, 0, 300],
      [120, 0, 360],
    ]);
    expect(sent.slice(3)).toEqual(Array.from({ length: 16 }, (_, k) => [150 + 60 * k, 0, 150]));
    expect(run.raw[0]!.labels).toEqual({ alertname: "Down", instance: "a" });
  });

  it("ignores pending series and rejects series that are not ALERTS", () => {
    expect(runAdapter("prometheus-alerts", matrix([1, 2], "pending")).raw).toEqual([]);
    const other = JSON.stringify({ data: { resultType: "matrix", result: [{ metric: { __name__: "up" }, values: [[1, "1"]] }] } });
    expect(runAdapter("prometheus-alerts", other).rejects[0]!.message).toContain("expected ALERTS");
  });
});
