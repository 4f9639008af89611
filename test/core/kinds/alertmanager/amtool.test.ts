/**
 * amtool 0.25 as a second oracle: `amtool config routes test` for routing over many label sets,
 * and `amtool check-config` for which configurations are valid. Skipped, saying so, when amtool
 * is not installed.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { InputError } from "../../../../src/core/errors.js";
import { loadAlertmanagerConfig, matchRoutes } from "../../../../src/core/kinds/alertmanager/config.js";
import { matchesAll } from "../../../../src/core/kinds/alertmanager/matchers.js";
import { AMTOOL_BIN, amtoolAvailable } from "../../../support/alertmanager-harness.js";
import { CHECK_CONFIG_CORPUS, ROUTING_CONFIG } from "./corpus.js";

const run = promisify(execFile);
const AVAILABLE = amtoolAvailable();
const dir = mkdtempSync(join(tmpdir(), "rg-amtool-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `fn` over items, `limit` at a time (the machine is shared). */
async function pool<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

function labelSets(): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const team of ["db", "dbx", "net", "web", ""]) {
    for (const severity of ["critical", "crit", "warning", "page", ""]) {
      for (const instance of ["i1", "db1"]) {
        const l: Record<string, string> = { alertname: "A", instance };
        if (team) l.team = team;
        if (severity) l.severity = severity;
        if (team === "web") l.service = instance === "i1" ? "api" : "apiserver";
        out.push(l);
      }
    }
  }
  return out;
}

describe.skipIf(!AVAILABLE)("amtool 0.25 agrees", () => {
  it("on the receivers of 50 label sets (amtool config routes test)", async () => {
    const file = join(dir, "routes.yml");
    writeFileSync(file, ROUTING_CONFIG);
    const config = loadAlertmanagerConfig(ROUTING_CONFIG, file);
    const sets = labelSets();
    const got = await pool(sets, 4, async (l) => {
      const args = ["config", "routes", "test", `--config.file=${file}`, ...Object.entries(l).map(([k, v]) => `${k}=${v}`)];
      const r = await run(AMTOOL_BIN, args, { encoding: "utf8" });
      return r.stdout.trim();
    });
    const ours = sets.map((l) =>
      matchRoutes(config.route, l, matchesAll)
        .map((r) => r.receiver)
        .join(","),
    );
    expect(ours).toEqual(got);
    expect(new Set(got).size).toBeGreaterThan(4);
  }, 120_000);

  it(`on which of ${CHECK_CONFIG_CORPUS.length} configurations are valid (amtool check-config)`, async () => {
    const verdicts = await pool(CHECK_CONFIG_CORPUS, 4, async (c) => {
      const file = join(dir, `${c.name.replace(/[^a-z0-9]+/gi, "-")}.yml`);
      writeFileSync(file, c.text);
      let amtool: boolean;
      try {
        await run(AMTOOL_BIN, ["check-config", file], { encoding: "utf8" });
        amtool = true;
      } catch {
        amtool = false;
      }
      let ours: boolean;
      try {
        loadAlertmanagerConfig(c.text, file);
        ours = true;
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        ours = false;
      }
      return { name: c.name, amtool, ours, expected: c.valid };
    });
    expect(verdicts.filter((v) => v.amtool !== v.ours)).toEqual([]);
    expect(verdicts.filter((v) => v.amtool !== v.expected)).toEqual([]);
  }, 120_000);
});

describe.skipIf(AVAILABLE)("amtool oracles", () => {
  it("are skipped: /usr/bin/amtool 0.25 is not installed (apt-get install prometheus-alertmanager)", () => {
    expect(AVAILABLE).toBe(false);
  });
});
