/**
 * `report.json`'s schema (`replay-gate/report@1`) is declared in the model: core/model/report.ts
 * (the report), report-window.ts (one window) and gate.ts (the gate). Re-exported here for the
 * modules that import it from its earlier place.
 */
export * from "../model/report.js";
export * from "../model/report-window.js";
export { gateSchema, type GateRecord } from "../model/gate.js";
export { reportJsonSchema } from "../model/json-schema.js";
