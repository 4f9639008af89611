/**
 * `replay --format json` of the policy kinds other than CorrelationPolicy prints documents whose
 * shapes the model declares: an Alertmanager configuration's output parses with
 * `amReplayReportSchema` and validates against `schema/alertmanager-replay.schema.json`, a rule
 * file's with `rulesReportSchema` and `schema/rules-replay.schema.json` (both files as committed),
 * and a document with an unknown key or a wrong type fails both.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { amReplayReportSchema } from "../../src/core/model/alertmanager-replay.js";
import { rulesReportSchema } from "../../src/core/model/rules-replay.js";
import { ROOT, runCliInProcess } from "../support/cli.js";

/** A validator of the committed JSON Schema `schema/<file>`. */
function committedSchema(file: string): (doc: unknown) => boolean {
  const schema = JSON.parse(readFileSync(join(ROOT, "schema", file), "utf8")) as Record<string, unknown>;
  return new Ajv2020({ strict: true, allErrors: true }).compile(schema);
}

/** Each replay's printed JSON, run once for both tests of its kind. */
const printed = new Map<string, Promise<Awaited<ReturnType<typeof runCliInProcess>>>>();
function replay(args: readonly string[]): ReturnType<typeof runCliInProcess> {
  const key = args.join("\u0000");
  if (!printed.has(key)) printed.set(key, runCliInProcess(args));
  return printed.get(key)!;
}

const CASES = [
  {
    kind: "an Alertmanager configuration",
    args: ["replay", "--policy", "examples/alertmanager/alertmanager.head.yml", "--window", "examples/alertmanager/windows/*", "--format", "json"],
    zod: amReplayReportSchema,
    file: "alertmanager-replay.schema.json",
    /** A copy of the document with one field of a window's count of the wrong type. */
    broken: (doc: { windows: { counts: Record<string, unknown> }[] }) => ({ ...doc, windows: [{ ...doc.windows[0]!, counts: { ...doc.windows[0]!.counts, notifications: "10" } }] }),
  },
  {
    kind: "a Prometheus rule file",
    args: ["replay", "--policy", "policies/prometheus/edge-rules.yaml", "--window", "policies/prometheus/windows/*", "--format", "json"],
    zod: rulesReportSchema,
    file: "rules-replay.schema.json",
    broken: (doc: { windows: { rules: Record<string, unknown>[] }[] }) => ({ ...doc, windows: [{ ...doc.windows[0]!, rules: [{ ...doc.windows[0]!.rules[0]!, kind: "alerting" }] }] }),
  },
] as const;

describe("replay --format json of the other policy kinds", () => {
  it.each(CASES)("prints for $kind a document that parses with its zod schema and validates against $file", async ({ args, zod, file }) => {
    const r = await replay(args);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { windows: unknown[] };
    expect(doc.windows.length).toBeGreaterThan(1);
    expect(zod.safeParse(doc).error).toBeUndefined();
    const validate = committedSchema(file);
    expect(validate(doc), JSON.stringify((validate as unknown as { errors: unknown }).errors)).toBe(true);
    // Parsing keeps every key in the printed order: the schema's field order is the output's.
    expect(`${JSON.stringify(zod.parse(doc), null, 2)}\n`).toBe(r.stdout);
  });

  it.each(CASES)("refuses for $kind an unknown key and a wrong type, in zod and in $file alike", async ({ args, zod, file, broken }) => {
    const doc = JSON.parse((await replay(args)).stdout) as Parameters<typeof broken>[0] & Record<string, unknown>;
    const validate = committedSchema(file);
    for (const bad of [{ ...doc, extra: 1 }, broken(doc as never)]) {
      expect(zod.safeParse(bad).success).toBe(false);
      expect(validate(bad)).toBe(false);
    }
  });
});
