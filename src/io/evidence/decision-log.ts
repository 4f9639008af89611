/**
 * The decision log on disk: `decision-log.jsonl`, appended one canonical-JSON line per decision.
 * Appending verifies the chain first and refuses to extend a broken one (a broken log carried
 * from a previous run must be looked at, not papered over).
 */
import { appendFile, mkdir, readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { fail } from "../../core/errors.js";
import { chainRecord, serializeRecord, verifyChain, type ChainAnchor, type ChainVerification, type DecisionDraft, type DecisionRecord } from "../../core/evidence/decision-log.js";

export const DECISION_LOG_FILE = "decision-log.jsonl";

async function readLog(path: string): Promise<string | null> {
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
}

/** Checks the log at `path` (a missing file is an input error). */
export async function verifyDecisionLog(path: string, anchor: ChainAnchor = {}): Promise<ChainVerification> {
  const text = await readLog(path);
  if (text === null) fail({ file: path, message: "no such decision log" });
  return verifyChain(text, anchor);
}

/**
 * Appends the next record to the log at `path` (created when missing, e.g. the first run of a PR
 * or when no earlier artifact could be downloaded). Returns the record written.
 */
export async function appendDecisionRecord(path: string, draft: DecisionDraft): Promise<DecisionRecord> {
  const text = (await readLog(path)) ?? "";
  const check = verifyChain(text);
  if (!check.ok) {
    fail({
      file: `${path}:${check.line}`,
      message: `the decision log's chain is broken (${check.reason}): ${check.message}`,
      hint: "keep the broken log as evidence and start a new one under another name",
    });
  }
  const record = chainRecord(check.last, draft);
  await mkdir(dirname(path), { recursive: true });
  await appendFile(path, serializeRecord(record));
  return record;
}
