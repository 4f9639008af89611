/**
 * The sticky PR comment's envelope (docs/action.md#reporting): a hidden marker per config, hidden run metadata
 * for stale-run protection, the link to the run's artifact and a collapsed history of earlier
 * verdicts around the rendered content (content.ts); never over GitHub's limit.
 */
import { z } from "zod";
import { sha256Hex } from "../hash.js";
import { MAX_COMMENT_CHARS } from "../limits.js";

/** Earlier verdicts kept in the history. */
export const MAX_HISTORY = 30;

const META_PREFIX = "<!-- replay-gate:meta ";
const HISTORY_PREFIX = "<!-- replay-gate:history ";

/** The hidden marker of the sticky comment for one config (hashed, so a path cannot shape it). */
export function commentMarker(configPath: string): string {
  return `<!-- replay-gate:sticky ${sha256Hex(configPath).slice(0, 16)} -->`;
}

/** Which run wrote a comment, for stale-run protection. */
export const commentMetaSchema = z.strictObject({
  sha: z.string().regex(/^[0-9a-f]{40,64}$/),
  /** When the run started, RFC 3339. */
  started: z.string().max(40),
  run: z.string().max(300),
});
export type CommentMeta = z.infer<typeof commentMetaSchema>;

export const historyEntrySchema = z.strictObject({
  sha: z.string().regex(/^[0-9a-f]{40,64}$/),
  verdict: z.enum(["pass", "fail", "pending"]),
  at: z.string().max(40),
  run: z.string().max(300),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

const encode = (v: unknown) => Buffer.from(JSON.stringify(v), "utf8").toString("base64");

function decode<T>(body: string, prefix: string, schema: z.ZodType<T>): T | undefined {
  const start = body.indexOf(prefix);
  if (start === -1) return undefined;
  const end = body.indexOf(" -->", start);
  if (end === -1) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(body.slice(start + prefix.length, end), "base64").toString("utf8")));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Reads the metadata and history back from a comment we wrote; anything malformed is ignored. */
export function parseCommentState(body: string): { meta: CommentMeta | undefined; history: HistoryEntry[] } {
  return {
    meta: decode(body, META_PREFIX, commentMetaSchema),
    history: decode(body, HISTORY_PREFIX, z.array(historyEntrySchema).max(1000)) ?? [],
  };
}

/** True when the body starts with the marker: a person quoting the marker further down does not make the comment ours. */
export function isStickyBody(body: string, marker: string): boolean {
  return body.startsWith(`${marker}\n`) || body === marker;
}

/**
 * The body without the run metadata line and with the run's own links made generic, to tell
 * whether a rewrite would change what a person sees: a new run with the same result keeps the
 * comment (and its link to the earlier run, whose artifact holds the same report).
 */
export function visibleBody(body: string, runUrl?: string): string {
  const lines = body
    .split("\n")
    .filter((line) => !line.startsWith(META_PREFIX))
    .join("\n");
  const generic = runUrl === undefined ? lines : lines.split(runUrl).join("<run>");
  return generic.replace(/replay-gate-\d+-\d+/g, "replay-gate-<run>");
}

/**
 * Should a run (this `meta`) overwrite the comment `existing` wrote? Not when the existing one
 * evaluated the pull request's current head and we did not, and not when it evaluated the same
 * commit in a run that started later.
 */
export function isStale(mine: CommentMeta, existing: CommentMeta | undefined, currentHead: string | undefined): boolean {
  if (existing === undefined) return false;
  if (currentHead !== undefined && existing.sha === currentHead && mine.sha !== currentHead) return true;
  return existing.sha === mine.sha && existing.started > mine.started;
}

/** The history after this run: the previous comment's verdict is appended when it differs from ours. */
export function nextHistory(previous: readonly HistoryEntry[], previousMeta: CommentMeta | undefined, previousVerdict: HistoryEntry["verdict"] | undefined, mine: HistoryEntry): HistoryEntry[] {
  const out = [...previous];
  if (previousMeta !== undefined && previousVerdict !== undefined && (previousMeta.sha !== mine.sha || previousVerdict !== mine.verdict)) {
    out.push({ sha: previousMeta.sha, verdict: previousVerdict, at: previousMeta.started, run: previousMeta.run });
  }
  return out.slice(-MAX_HISTORY);
}

/** The verdict a body of ours shows (from its title line). */
export function verdictOfBody(body: string): HistoryEntry["verdict"] | undefined {
  const m = /^## replay-gate: \S+ (pass|fail|pending)\b/m.exec(body);
  return m?.[1] as HistoryEntry["verdict"] | undefined;
}

const ICON = { pass: "✅", fail: "❌", pending: "⏳" } as const;

/** Ends the rendered content; the run's link and the history follow it. */
const CONTENT_END = "<!-- replay-gate:end -->";

/** What only the Action adds around the rendered content. */
export interface CommentEnvelope {
  readonly marker: string;
  readonly meta: CommentMeta;
  /** Where this run's artifact is: one Markdown line built by the caller (not escaped). */
  readonly runLink: string;
  readonly history: readonly HistoryEntry[];
}

function renderHistory(history: readonly HistoryEntry[]): string {
  if (history.length === 0) return "";
  const rows = [...history].reverse().map((h) => `| \`${h.sha.slice(0, 7)}\` | ${ICON[h.verdict]} ${h.verdict} | ${h.at} | [run](${h.run}) |`);
  return ["<details><summary>Run history (" + history.length + " earlier)</summary>", "", "| commit | verdict | at | run |", "|---|---|---|---|", ...rows, "", "</details>"].join("\n");
}

/**
 * The comment body: the marker and the run's metadata (hidden), the rendered content exactly as
 * `check --format markdown` prints it, the link to this run's artifact, and the run history —
 * shortened to the last five entries, then left out, when the body would exceed GitHub's limit.
 * The content has its own budget (limits.ts), so it is never what gets cut here.
 */
export function wrapComment(content: string, envelope: CommentEnvelope, limit: number = MAX_COMMENT_CHARS): string {
  const compose = (history: readonly HistoryEntry[]) =>
    `${envelope.marker}\n${META_PREFIX}${encode(envelope.meta)} -->\n${content}${CONTENT_END}\n\n${envelope.runLink}\n\n${renderHistory(history)}\n${HISTORY_PREFIX}${encode(history)} -->\n`;
  let body = compose(envelope.history);
  for (const shorter of [envelope.history.slice(-5), []]) {
    if (body.length <= limit) break;
    body = compose(shorter);
  }
  return body;
}

/** The rendered content of a body {@link wrapComment} wrote (what `check --format markdown` prints), or undefined. */
export function commentContent(body: string): string | undefined {
  const lines = body.split("\n");
  if (lines.length < 3 || !lines[1]!.startsWith(META_PREFIX)) return undefined;
  const rest = lines.slice(2).join("\n");
  const end = rest.lastIndexOf(`${CONTENT_END}\n`);
  return end === -1 ? undefined : rest.slice(0, end);
}
