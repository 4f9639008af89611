/** What a replay produces (docs/engine.md): declared once, as zod schemas, in core/model/results.ts. */
export { TRACE_LABELS, type TraceLabel } from "../model/vocabulary.js";
export type { ActionDecision, AlertGroup, EngineResult, Incident, ReplayCounts, ScopeValues, Snapshot, TraceEntry } from "../model/results.js";
export type { StepFields, TraceStep } from "./trace.js";
