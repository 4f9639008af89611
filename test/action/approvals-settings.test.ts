/**
 * Approvals and the gate settings that change what pages, in-process against the API emulator: an
 * approval of an older commit carries over a commit that changes no evidence, and over a base whose
 * config changed only thresholds, and stops counting once the base branch's gate config emulates
 * another Alertmanager release — the reviewer saw the replay under the release before, though the
 * policies and the chained configuration are the same — until it is given again on head.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHAINED_APPROVALS_CONFIG, openChainedPull, type ChainedPull } from "../support/chained-pull.js";

const PR = 5;
const CONFIG_PATH = ".github/replay-gate.yml";

let pull: ChainedPull;

beforeAll(async () => {
  pull = await openChainedPull({ owner: "acme", repo: "dns-settings", token: "ghs_settings_approvals", number: PR });
  pull.emu.addReview(PR, { user: "carol", state: "APPROVED", commitId: pull.heads[0]! });
  pull.heads.push(await pull.repo.commit({ "README.md": "notes that are not evidence\n" }));
});

afterAll(async () => {
  await pull?.close();
});

describe("approvals when the base branch's gate config changes what pages", () => {
  it("counts the approval of an older commit while the base's config changes only thresholds", async () => {
    await pull.moveBase({ [CONFIG_PATH]: CHAINED_APPROVALS_CONFIG.replace("min_parity: 0", "min_parity: 0.1") }, "base: another parity bar");
    const result = await pull.runOn(pull.heads[1]!, "synchronize");
    expect(result.outputs["verdict"]).toBe("pass");
    expect(pull.comment()).toContain(`counted: carol (user:carol, approved \`${pull.heads[0]!.slice(0, 7)}\` with unchanged evidence)`);
  });

  it("does not count it once the base's config emulates Alertmanager 0.30, the policies unchanged", async () => {
    await pull.moveBase({ [CONFIG_PATH]: `${CHAINED_APPROVALS_CONFIG}alertmanager:\n  emulate: "0.30"\n` }, "base: emulate Alertmanager 0.30");
    const result = await pull.runOn(pull.heads[1]!, "edited");
    expect(result.outputs["verdict"]).toBe("pending");
    expect(pull.comment()).toMatch(new RegExp(`not counted: carol — approved ${pull.heads[0]!.slice(0, 7)}; the evidence changed since`));
  });

  it("counts the approval given again on head", async () => {
    pull.emu.addReview(PR, { user: "carol", state: "APPROVED", commitId: pull.heads[1]! });
    const result = await pull.runOn(pull.heads[1]!, "edited");
    expect(result.outputs["verdict"]).toBe("pass");
    expect(pull.comment()).toContain("counted: carol (user:carol)");
  });
});
