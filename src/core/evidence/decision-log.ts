/**
 * The decision log, `decision-log.jsonl` (schema `replay-gate/decision@1`, docs/evidence.md#decision-log): one JSON
 * record per line, append-only, hash-chained. A record's `hash` is the sha256 of its RFC 8785
 * canonical JSON without the `hash` member; `prev` is the previous record's `hash` (null for the
 * first). Changing, removing, reordering or inserting a record breaks the chain at that record;
 * dropping records from the end is caught against an anchor (the last hash or count published
 * elsewhere: the PR comment, the job summary, the Action's outputs).
 */
import { z } from "zod";
import { canonicalJson, sha256Hex } from "../hash.js";
import { fitLine } from "../fit.js";

export const DECISION_LOG_SCHEMA = "replay-gate/decision@1";

const nat = z.number().int().nonnegative();
const sha = z.string().regex(/^sha256:[0-9a-f]{64}$/, { message: "expected sha256:<64 lowercase hex digits>" });
const nullableSha = sha.nullable();

export const decisionRecordSchema = z.strictObject({
  schema: z.literal(DECISION_LOG_SCHEMA),
  /** 0-based position in the chain. */
  seq: nat,
  /** `hash` of the previous record; null for the first. */
  prev: nullableSha,
  /** When the decision was recorded (RFC 3339, UTC), from the shell's clock. */
  at: z.string(),
  /** Who and what started the run (`alice`, `pull_request`). */
  triggered_by: z.strictObject({ actor: z.string(), event: z.string() }),
  /** `owner/name`, when known. */
  repository: z.string().nullable(),
  pull_request: nat.nullable(),
  commits: z.strictObject({ base: z.string().nullable(), head: z.string().nullable() }),
  /** What was evaluated, by hash. */
  inputs: z.strictObject({
    evidence_digest: nullableSha,
    report_sha256: nullableSha,
    config_sha256: nullableSha,
    policies: z.array(z.strictObject({ name: z.string(), version: z.string(), spec_hash: sha })),
    windows: z.array(z.strictObject({ id: z.string(), events_sha256: z.string(), manifest_sha256: nullableSha })),
  }),
  approvals: z.strictObject({
    /** Approvals that counted toward a rule. */
    counted: z.array(z.strictObject({ reviewer: z.string(), commit: z.string().nullable(), via: z.string() })),
    /** Approvals that did not count, and why (stale commit, author, bot, not in a listed team…). */
    refused: z.array(z.strictObject({ reviewer: z.string(), commit: z.string().nullable(), reason: z.string() })),
  }),
  /** Each gate and its result (thresholds, expectations, determinism, approvals, posture). */
  gates: z.array(z.strictObject({ name: z.string(), result: z.enum(["pass", "fail", "pending", "skipped"]), detail: z.string() })),
  verdict: z.enum(["pass", "fail", "pending", "refused"]),
  /** The run record's id (`rx-…`), when one was written. */
  run_id: z.string().nullable(),
  /** sha256 of this record's canonical JSON without `hash`. */
  hash: sha,
});
export type DecisionRecord = z.infer<typeof decisionRecordSchema>;

/** What the caller supplies; the chain fields are filled in by {@link chainRecord}. */
export type DecisionDraft = Omit<DecisionRecord, "schema" | "seq" | "prev" | "hash">;

/** The hash a record must carry: sha256 of its canonical JSON without `hash`. */
export function recordHashOf(record: Omit<DecisionRecord, "hash"> | DecisionRecord): string {
  const { hash: _ignored, ...rest } = record as DecisionRecord;
  return `sha256:${sha256Hex(canonicalJson(rest))}`;
}

/** The next record of a chain whose last record is `prev` (null: a new chain). */
export function chainRecord(prev: DecisionRecord | null, draft: DecisionDraft): DecisionRecord {
  const body = {
    schema: DECISION_LOG_SCHEMA,
    seq: prev === null ? 0 : prev.seq + 1,
    prev: prev === null ? null : prev.hash,
    at: draft.at,
    triggered_by: draft.triggered_by,
    repository: draft.repository,
    pull_request: draft.pull_request,
    commits: draft.commits,
    inputs: draft.inputs,
    approvals: draft.approvals,
    gates: draft.gates,
    verdict: draft.verdict,
    run_id: draft.run_id,
  } as const;
  const parsed = decisionRecordSchema.omit({ hash: true }).parse(body);
  return { ...parsed, hash: recordHashOf(parsed) };
}

/** One line of the log (RFC 8785 canonical JSON, so the bytes are fixed too) with its newline. */
export function serializeRecord(record: DecisionRecord): string {
  return `${canonicalJson(record)}\n`;
}

export const CHAIN_BREAKS = ["empty", "truncated", "not-json", "schema", "seq", "prev", "hash", "anchor"] as const;
export type ChainBreak = (typeof CHAIN_BREAKS)[number];

/** What a published anchor says the log must end with. */
export interface ChainAnchor {
  /**
   * The last record's `hash`, whole (`sha256:<64 hex>`) or as a prefix of at least
   * {@link MIN_ANCHOR_HEX} hex digits (`sha256:<hex>`), as a commit status shows it.
   */
  readonly head?: string | undefined;
  /** The number of records. */
  readonly records?: number | undefined;
}

export type ChainVerification =
  | { readonly ok: true; readonly records: number; readonly head: string | null; readonly last: DecisionRecord | null }
  | {
      readonly ok: false;
      /** Records before the break, all valid. */
      readonly valid: number;
      /** 1-based line of the first broken record (for `anchor`: the last line). */
      readonly line: number;
      /** That record's `seq` when it could be read. */
      readonly seq: number | null;
      readonly reason: ChainBreak;
      readonly message: string;
    };

/**
 * Checks a whole log: every line a record of the schema, `seq` counting from 0, `prev` equal to
 * the previous `hash`, `hash` recomputed; a final line without its newline is a truncated write.
 * Names the first broken record.
 */
export function verifyChain(text: string, anchor: ChainAnchor = {}): ChainVerification {
  const broken = (valid: number, line: number, seq: number | null, reason: ChainBreak, message: string): ChainVerification => ({ ok: false, valid, line, seq, reason, message });
  // A short or malformed head would match (almost) any log by prefix: it anchors nothing.
  if (anchor.head !== undefined && !/^sha256:[0-9a-f]{16,64}$/.test(anchor.head))
    return broken(0, 1, null, "anchor", `the anchor ${JSON.stringify(anchor.head.slice(0, 80))} is not sha256:<at least ${MIN_ANCHOR_HEX} hex digits>`);
  if (text.length === 0) {
    if (anchor.records !== undefined && anchor.records > 0) return broken(0, 1, null, "empty", `the log is empty, the anchor expects ${anchor.records} records`);
    if (anchor.head !== undefined) return broken(0, 1, null, "empty", `the log is empty, the anchor expects head ${anchor.head}`);
    return { ok: true, records: 0, head: null, last: null };
  }
  const lines = text.split("\n");
  const complete = text.endsWith("\n");
  if (complete) lines.pop();
  let prev: DecisionRecord | null = null;
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = lines[i]!;
    if (!complete && i === lines.length - 1) return broken(i, lineNo, null, "truncated", "the last line has no newline: the log was cut mid-write");
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (err) {
      return broken(i, lineNo, null, "not-json", `not valid JSON: ${(err as Error).message}`);
    }
    const seqRaw = typeof raw === "object" && raw !== null && typeof (raw as { seq?: unknown }).seq === "number" ? (raw as { seq: number }).seq : null;
    const parsed = decisionRecordSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return broken(i, lineNo, seqRaw, "schema", `${issue.path.join(".") || "(record)"}: ${issue.message}`);
    }
    const rec = parsed.data;
    if (rec.seq !== i) return broken(i, lineNo, rec.seq, "seq", `seq is ${rec.seq}, expected ${i}: records were removed, inserted or reordered`);
    const expectedPrev = prev === null ? null : prev.hash;
    if (rec.prev !== expectedPrev) return broken(i, lineNo, rec.seq, "prev", `prev is ${rec.prev ?? "null"}, the previous record's hash is ${expectedPrev ?? "null (first record)"}`);
    const actual = recordHashOf(rec);
    if (rec.hash !== actual) return broken(i, lineNo, rec.seq, "hash", `the record hashes to ${actual}, it says ${rec.hash}: it was changed after it was written`);
    prev = rec;
  }
  const n = lines.length;
  if (anchor.records !== undefined && anchor.records !== n) {
    return broken(n, n, prev?.seq ?? null, "anchor", `the log has ${n} records, the anchor expects ${anchor.records}${n < anchor.records ? ": records were dropped from the end" : ""}`);
  }
  if (anchor.head !== undefined && !prev!.hash.startsWith(anchor.head)) {
    return broken(n, n, prev?.seq ?? null, "anchor", `the last record's hash is ${prev!.hash}, the anchor expects ${anchor.head}: the log was truncated or replaced`);
  }
  return { ok: true, records: n, head: prev!.hash, last: prev };
}

/** The fewest hex digits of a head hash an anchor may carry (64 bits: no forged log matches by chance or by search). */
export const MIN_ANCHOR_HEX = 16;
/** Hex digits of the head hash in a commit status description (which has 140 characters for everything). */
export const STATUS_ANCHOR_HEX = 16;

/** An anchor of a verified or just-written log: its head hash and record count. */
export interface LogAnchor {
  readonly head: string;
  readonly records: number;
}

/**
 * Parses an anchor as a user gives it to `verify --log --anchor`: a head hash, whole or a prefix of
 * at least {@link MIN_ANCHOR_HEX} hex digits, with or without `sha256:`, optionally followed by
 * `/<records>` (the form a commit status shows: `log 1a2b…/6`). Null when it is not one.
 */
export function parseAnchor(text: string): ChainAnchor | null {
  const m = /^(?:sha256:)?([0-9a-f]{16,64})(?:\/(\d{1,9}))?$/.exec(text.trim());
  if (m === null || m[1]!.length < MIN_ANCHOR_HEX) return null;
  return { head: `sha256:${m[1]}`, records: m[2] === undefined ? undefined : Number(m[2]) };
}

/** The anchor suffix of a commit status description: ` · log <16 hex>/<records>`. */
export function statusAnchor(anchor: LogAnchor): string {
  return ` · log ${anchor.head.slice("sha256:".length, "sha256:".length + STATUS_ANCHOR_HEX)}/${anchor.records}`;
}

/** The anchor a commit status description carries at its end, or null. */
export function anchorFromStatus(description: string | null | undefined): ChainAnchor | null {
  const m = / · log ([0-9a-f]{16})\/(\d{1,9})$/.exec(description ?? "");
  return m === null ? null : { head: `sha256:${m[1]}`, records: Number(m[2]) };
}

/**
 * A status description that ends with the log's anchor: `description` (already neutralised for
 * GitHub) is cut to leave room, so the anchor is never the part that is cut.
 */
export function anchoredDescription(description: string, anchor: LogAnchor, max: number): string {
  const suffix = statusAnchor(anchor);
  const room = max - suffix.length;
  return `${fitLine(description, room)}${suffix}`;
}

/** The JSON Schema (draft 2020-12) of one decision-log line, as committed in `schema/decision-log.schema.json`. */
export function decisionLogJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(decisionRecordSchema, { target: "draft-2020-12", io: "output" }),
    $id: "https://replay-gate.dev/schema/decision@1.json",
    title: "replay-gate decision-log record (replay-gate/decision@1)",
  };
}
