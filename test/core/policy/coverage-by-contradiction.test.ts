/** Issue 9 item 1: a policy covers a window unless the manifest's scope contradicts it. */
import { describe, expect, it } from "vitest";
import { DEFAULT_THRESHOLDS } from "../../../src/core/config.js";
import { scopeContradictions, scopeCovers } from "../../../src/core/policy/scope.js";
import { runDiff } from "../../../src/io/diff-run.js";
import { dnsLibrary, dnsPolicy, writeDnsWindow } from "../../support/dns-library.js";

const diff = (cwd: string) => runDiff({ base: ["base/core-dns.yaml"], head: ["head/core-dns.yaml"], windows: ["windows/*"], thresholds: DEFAULT_THRESHOLDS, config: null, cwd, warn: () => {} });

describe("coverage by contradiction, not by presence", () => {
  it("covers a window whose manifest is silent on a key the policy scopes on", () => {
    expect(scopeCovers({ service: "core-dns" }, { region: "eu-west-1" })).toBe(true);
    expect(scopeCovers({ service: "core-dns" }, {})).toBe(true);
  });

  it("does not cover a window whose manifest names another value for the same key", () => {
    expect(scopeCovers({ service: "core-dns" }, { service: "mail", region: "eu-west-1" })).toBe(false);
    expect(scopeContradictions({ service: "core-*", pop: "POP-1" }, { service: "core-dns", pop: "POP-2" })).toEqual(["pop"]);
  });

  it("replays a window captured with scope {region} under a policy scoped on {service} and fails when the change alters its incidents", async () => {
    const root = dnsLibrary(dnsPolicy(2), dnsPolicy(100));
    writeDnsWindow(root, "2026-05-01-dns-eu", "{ region: eu-west-1 }");
    const report = await diff(root);
    expect(report.uncovered_windows).toEqual([]);
    expect(report.windows.map((w) => [w.id, w.policy, w.status])).toEqual([["2026-05-01-dns-eu", "core-dns", "changed"]]);
    expect(report.windows[0]!.parity).not.toBeNull();
    expect(report.windows[0]!.matching.removed).toBeGreaterThan(0);
    expect(report.verdict).toBe("fail");
  });

  it("keeps 'not covered' for a window whose scope contradicts every policy", async () => {
    const root = dnsLibrary(dnsPolicy(2), dnsPolicy(100));
    writeDnsWindow(root, "2026-05-01-dns-eu", "{ region: eu-west-1 }");
    writeDnsWindow(root, "2026-05-01-mail", "{ service: mail }", 4);
    const report = await diff(root);
    expect(report.uncovered_windows.map((w) => w.id)).toEqual(["2026-05-01-mail"]);
  });
});
