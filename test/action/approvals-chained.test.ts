/**
 * Approvals on a repository whose Prometheus rule files are chained into an Alertmanager
 * configuration (`prometheus_rules.alertmanager`), in-process against the API emulator: an approval
 * of an older commit carries over a commit that changes no evidence, and stops counting once the
 * chained Alertmanager configuration alone changes — it changes who gets paged, so the evidence
 * digest covers it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHAINED_AM_PATH, openChainedPull, type ChainedPull } from "../support/chained-pull.js";
import { ALERTMANAGER } from "../support/rules-chain.js";

const PR = 4;

let pull: ChainedPull;

beforeAll(async () => {
  pull = await openChainedPull({ owner: "acme", repo: "dns-approvals", token: "ghs_chained_approvals", number: PR });
});

afterAll(async () => {
  await pull?.close();
});

describe("approvals with rule files chained into an Alertmanager configuration", () => {
  it("passes on the approver's approval of the head commit", async () => {
    pull.emu.addReview(PR, { user: "carol", state: "APPROVED", commitId: pull.heads[0]! });
    const result = await pull.runOn(pull.heads[0]!, "opened");
    expect(result.outputs["verdict"]).toBe("pass");
    expect(pull.comment()).toContain("counted: carol (user:carol)");
  });

  it("counts the approval of an older commit when a later commit changes no evidence", async () => {
    pull.heads.push(await pull.repo.commit({ "README.md": "notes that are not evidence\n" }));
    const result = await pull.runOn(pull.heads[1]!, "synchronize");
    expect(result.outputs["verdict"]).toBe("pass");
    expect(pull.comment()).toContain(`counted: carol (user:carol, approved \`${pull.heads[0]!.slice(0, 7)}\` with unchanged evidence)`);
  });

  it("does not count the approval of an older commit after only the chained Alertmanager configuration changed", async () => {
    pull.heads.push(await pull.repo.commit({ [CHAINED_AM_PATH]: `${ALERTMANAGER("dns-pager")}# routes reviewed\n` }));
    const result = await pull.runOn(pull.heads[2]!, "synchronize");
    expect(result.outputs["verdict"]).toBe("pending");
    expect(pull.comment()).toMatch(new RegExp(`not counted: carol — approved ${pull.heads[0]!.slice(0, 7)}; the evidence changed since`));
    expect(pull.emu.statuses(pull.heads[2]!).filter((s) => s.context === "replay-gate").at(-1)?.state).toBe("pending");
  });
});
