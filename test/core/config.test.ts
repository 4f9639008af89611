import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG, parseConfigText } from "../../src/core/config.js";
import { InputError } from "../../src/core/errors.js";

describe(".github/replay-gate.yml", () => {
  it("reads the DESIGN §7 example, filling defaults", () => {
    const c = parseConfigText(
      `policies: policies/*.yaml
windows: policies/windows/*
thresholds:
  min_parity: 0.9
approvals:
  - paths: policies/prod/**
    required: 2
    from: [team:noc-reviewers, user:alice]
  - when: promotion
    required: 1
    from: [team:neteng-leads]
environments:
  prod: { posture: governed }
`,
      "replay-gate.yml",
    );
    expect(c.policies).toEqual(["policies/*.yaml"]);
    expect(c.thresholds).toEqual({ min_parity: 0.9, max_added_incidents: 0, max_removed_incidents: 0, expectations: "required", determinism: true, min_windows_per_changed_policy: 1 });
    expect(c.approvals[0]).toEqual({ paths: ["policies/prod/**"], required: 2, from: ["team:noc-reviewers", "user:alice"] });
    expect(c.environments.prod).toEqual({ posture: "governed" });
  });

  it("treats an empty file as the defaults", () => {
    expect(parseConfigText("", "replay-gate.yml")).toEqual(DEFAULT_CONFIG);
  });

  it("refuses unknown keys with the line and path", () => {
    try {
      parseConfigText("thresholds:\n  min_parity: 0.9\n  max_parity: 1\n", "replay-gate.yml");
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).problems[0]).toMatchObject({ file: "replay-gate.yml", line: 3, path: "thresholds.max_parity" });
    }
  });
});
