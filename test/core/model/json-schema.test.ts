/**
 * The JSON Schemas in schema/ are generated from the model's zod schemas: the committed files
 * are exactly what the model gives (`npm run schema` writes them, `npm run ci` checks them), and
 * report.json's schema documents the gate field by field.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { alertmanagerReplayJsonSchema, eventJsonSchema, replayJsonSchema, reportJsonSchema, rulesReplayJsonSchema, windowJsonSchema } from "../../../src/core/model/json-schema.js";

const ROOT = join(import.meta.dirname, "..", "..", "..");
const committed = (file: string) => readFileSync(join(ROOT, "schema", file), "utf8");

interface JsonSchemaNode {
  readonly properties?: Record<string, JsonSchemaNode>;
  readonly items?: JsonSchemaNode;
  readonly additionalProperties?: unknown;
  readonly required?: readonly string[];
}

describe("schema/", () => {
  it.each([
    ["report.schema.json", reportJsonSchema],
    ["replay.schema.json", replayJsonSchema],
    ["alertmanager-replay.schema.json", alertmanagerReplayJsonSchema],
    ["rules-replay.schema.json", rulesReplayJsonSchema],
    ["event.schema.json", eventJsonSchema],
    ["window.schema.json", windowJsonSchema],
  ] as const)("%s is what the model generates, byte for byte", (file, generate) => {
    expect(committed(file)).toBe(`${JSON.stringify(generate(), null, 2)}\n`);
  });

  it("documents the gate's approvals in report.schema.json, strictly", () => {
    const gate = (reportJsonSchema() as JsonSchemaNode).properties!["gate"]!;
    expect(gate.additionalProperties).toBe(false);
    expect(gate.required).toEqual(["verdict", "summary", "reasons", "thresholds", "breaches", "config", "evidence", "posture", "requirements"]);
    const requirement = gate.properties!["requirements"]!.items!;
    expect(requirement.additionalProperties).toBe(false);
    expect(Object.keys(requirement.properties!)).toEqual(["id", "kind", "because", "required", "from", "counted", "refused", "missing", "can_still_approve", "satisfied", "waived"]);
    expect(Object.keys(requirement.properties!["counted"]!.items!.properties!)).toEqual(["login", "via", "commit", "carried_over"]);
    expect(Object.keys(gate.properties!["breaches"]!.properties!)).toEqual(["accepted", "remaining"]);
  });
});
