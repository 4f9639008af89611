/** Where the cross-version tests find Node 24, and when its absence fails rather than skips. */
import { describe, expect, it } from "vitest";
import { node24, node24OrSkip } from "./cli.js";

const on20 = { version: "v20.19.0", execPath: "/opt/node20/bin/node" };
const on24 = { version: "v24.3.0", execPath: "/opt/node24/bin/node" };
const skipper = () => ({
  skip: (note?: string): never => {
    throw new Error(`skipped: ${note ?? ""}`);
  },
});

describe("node24", () => {
  it("prefers REPLAY_GATE_NODE24 when it names an existing file", () => {
    expect(node24({ REPLAY_GATE_NODE24: process.execPath }, on20)).toBe(process.execPath);
  });

  it("ignores a REPLAY_GATE_NODE24 that does not exist, and uses the running Node when it is 24", () => {
    expect(node24({ REPLAY_GATE_NODE24: "/no/such/node" }, on24)).toBe(on24.execPath);
    expect(node24({}, on24)).toBe(on24.execPath);
  });

  it("finds none on Node 20 without REPLAY_GATE_NODE24", () => {
    expect(node24({}, on20)).toBeUndefined();
  });
});

describe("node24OrSkip", () => {
  it("runs on GitHub's Node 24 job, where CI is set and REPLAY_GATE_NODE24 is not", () => {
    expect(node24OrSkip(skipper(), { CI: "true" }, on24)).toBe(on24.execPath);
  });

  it("fails in CI when no Node 24 is reachable", () => {
    expect(() => node24OrSkip(skipper(), { CI: "true" }, on20)).toThrow(/no Node 24 in CI/);
  });

  it("skips outside CI when no Node 24 is reachable", () => {
    expect(() => node24OrSkip(skipper(), {}, on20)).toThrow(/skipped: no Node 24 here/);
  });
});
