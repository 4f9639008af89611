/**
 * The run record (schema `replay-gate/run-record@1`): one per replay execution, like a row of a
 * control plane's run history. Its id derives from the inputs alone (`rx-` + short hash of
 * command, mode, environment, policy and window hashes, engine version), so two runs of the same
 * inputs share an id; times and durations come in from the shell's clock.
 */
import { z } from "zod";
import { compareStrings } from "../compare.js";
import { canonicalJson, shortId } from "../hash.js";
import { ENGINE_VERSION } from "../version.js";
import { RUN_MODES } from "./audit-record.js";
import { forTerminal } from "../neutralize.js";
import { maxOf } from "../arrays.js";

export const RUN_SCHEMA = "replay-gate/run-record@1";

const nat = z.number().int().nonnegative();

/** The stages a run reports, in order. */
export const STAGES = ["ingest & normalize", "correlation", "incident aggregation", "parity report"] as const;
export type StageName = (typeof STAGES)[number];

export const stageSchema = z.strictObject({
  name: z.enum(STAGES),
  /** `skipped`: the stage did not apply (parity of a single-version replay) or the run stopped before it. */
  status: z.enum(["ok", "failed", "skipped"]),
  /** Wall-clock milliseconds spent, as measured by the shell. */
  duration_ms: nat,
});
export type Stage = z.infer<typeof stageSchema>;

export const RUN_OUTCOMES = ["pass", "fail", "refused", "error"] as const;
export type RunOutcome = (typeof RUN_OUTCOMES)[number];

export const runRecordSchema = z.strictObject({
  schema: z.literal(RUN_SCHEMA),
  /** `rx-` + 12 hex digits, derived from the inputs only. */
  id: z.string(),
  command: z.enum(["replay", "diff"]),
  mode: z.enum(RUN_MODES),
  environment: z.string().nullable(),
  policies: z.array(z.strictObject({ name: z.string(), version: z.string(), spec_hash: z.string(), file: z.string() })),
  windows: z.array(z.strictObject({ id: z.string(), dir: z.string(), events_sha256: z.string() })),
  /** Incidents found, summed over windows (head side for a diff). */
  incidents: nat,
  stages: z.array(stageSchema),
  triggered_by: z.strictObject({ actor: z.string(), event: z.string() }),
  started_at: z.string(),
  finished_at: z.string(),
  duration_ms: nat,
  /** `pass`/`fail`: expectations (or the gate) held or not; `refused`: enforce refused before running; `error`: bad input or a bug. */
  outcome: z.enum(RUN_OUTCOMES),
  /** Why, for anything but `pass`. */
  reasons: z.array(z.string()),
});
export type RunRecord = z.infer<typeof runRecordSchema>;

/** What identifies a run: its inputs. */
export interface RunInputs {
  readonly command: RunRecord["command"];
  readonly mode: RunRecord["mode"];
  readonly environment: string | null;
  readonly policies: RunRecord["policies"];
  readonly windows: RunRecord["windows"];
}

/** `rx-` + 12 hex of the canonical JSON of the inputs (policy spec hashes and window event hashes, not paths). */
export function runId(inputs: RunInputs): string {
  const key = {
    command: inputs.command,
    mode: inputs.mode,
    environment: inputs.environment,
    engine_version: ENGINE_VERSION,
    policies: inputs.policies.map((p) => p.spec_hash).sort(compareStrings),
    windows: inputs.windows.map((w) => w.events_sha256).sort(compareStrings),
  };
  return shortId("rx", canonicalJson(key));
}

/** Builds a run record; parsing through the schema fixes the key order. */
export function buildRunRecord(inputs: RunInputs, rest: Omit<RunRecord, "schema" | "id" | keyof RunInputs>): RunRecord {
  return runRecordSchema.parse({
    schema: RUN_SCHEMA,
    id: runId(inputs),
    command: inputs.command,
    mode: inputs.mode,
    environment: inputs.environment,
    policies: inputs.policies,
    windows: inputs.windows,
    ...rest,
  });
}

/** Newest first, then by id: the order `replay-gate runs` lists them in. */
export function compareRunsNewestFirst(a: RunRecord, b: RunRecord): number {
  return compareStrings(b.started_at, a.started_at) || compareStrings(a.id, b.id);
}

function formatMs(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const m = Math.floor(ms / 60_000);
  return `${m}m${String(Math.round((ms - m * 60_000) / 1000)).padStart(2, "0")}s`;
}

/** The `runs` table: started, id, incident (window), mode, status, duration, triggered by, policy. */
export function renderRunsTable(runs: readonly RunRecord[]): string {
  // The column holds window ids and the run's outcome, and says so (not "incident" / "status").
  const header = ["STARTED", "ID", "WINDOW", "MODE", "OUTCOME", "DURATION", "TRIGGERED BY", "POLICY"];
  const rows = runs.map((r) => {
    const first = r.windows[0]?.id ?? "-";
    const p = r.policies[0];
    return [
      r.started_at.replace(/\.\d+Z$/, "Z"),
      r.id,
      r.windows.length > 1 ? `${first} +${r.windows.length - 1}` : first,
      r.mode,
      r.outcome,
      formatMs(r.duration_ms),
      `${r.triggered_by.actor} (${r.triggered_by.event})`,
      p === undefined ? "-" : `${p.name}@${p.version}${r.policies.length > 1 ? ` +${r.policies.length - 1}` : ""}`,
    ].map(forTerminal);
  });
  const widths = header.map((h, i) => maxOf([h.length, ...rows.map((r) => r[i]!.length)], 0));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join("  ");
  return [line(header), ...rows.map(line)].join("\n") + "\n";
}
