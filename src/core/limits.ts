/**
 * GitHub's size limits on what replay-gate writes, in one place. Every renderer fits its output
 * with {@link ./fit.ts} under one of these; each says where the limit comes from and how it is
 * measured, because a surface over its limit is refused (a comment, a summary) or silently cut
 * (a status), and both lose the verdict's explanation.
 */

/**
 * A pull request or issue comment body: GitHub answers 422 "Body is too long (maximum is 65536
 * characters)". Measured in UTF-16 code units, which is never less than GitHub's count of
 * characters, so a body that fits here fits there.
 */
export const MAX_COMMENT_CHARS = 65_536;

/**
 * Room kept in a comment for what only the Action adds around the rendered content: the hidden
 * marker and run metadata (≈ 600), the link to the run's artifact (≈ 450 with a 300-character run
 * URL) and the run history (5 entries at most once it is shortened, each ≈ 1 KiB rendered and
 * encoded). The content itself gets the rest, so `check --format markdown` and the comment are
 * the same text whatever the history holds.
 */
export const COMMENT_ENVELOPE_CHARS = 8_000;

/** The rendered comment content (what `check --format markdown` prints). */
export const MAX_COMMENT_CONTENT_CHARS = MAX_COMMENT_CHARS - COMMENT_ENVELOPE_CHARS;

/**
 * An issue body (the scheduled regression issue): the same 65,536-character limit as a comment;
 * the failure list is kept well below it, since the body is rewritten on every failing run.
 */
export const MAX_ISSUE_BODY_CHARS = 50_000;

/**
 * A job summary: the runner refuses to upload a step summary over 1 MiB ("$GITHUB_STEP_SUMMARY
 * upload aborted, supports content up to a size of 1024k"). Measured in UTF-8 bytes; 4 KiB are
 * kept for the lines other steps or a second write may add.
 */
export const MAX_SUMMARY_BYTES = 1024 * 1024 - 4 * 1024;

/**
 * A commit status description: GitHub keeps 140 characters (the REST API refuses longer ones
 * with 422). Measured in UTF-16 code units, cut without splitting a surrogate pair.
 */
export const MAX_STATUS_CHARS = 140;

/**
 * Annotations of one kind (notice, warning, error) per step: the runner shows 10 and drops the
 * rest without a word, so the tenth says how many more there are.
 */
export const MAX_ANNOTATIONS = 10;

/*
 * Budgets inside those limits: how much of a surface one part of it may take. Choices, not
 * GitHub's numbers, kept here so that every size a renderer works to is in one file.
 */

/**
 * Characters of parity report in the job summary: about 60 % of {@link MAX_SUMMARY_BYTES} even
 * when every character takes the 1 byte of ASCII, leaving the rest of the page (headline, gate
 * section, HTML report pointer) room, and a margin for multi-byte text.
 */
export const SUMMARY_REPORT_CHARS = 600_000;

/**
 * Characters of Mermaid gantt (base vs head incidents) per changed window in the comment and
 * the Markdown report: a few dozen incident bars, enough to see a split or a merge; dropped with
 * the incident detail when the content does not fit.
 */
export const MAX_GANTT_CHARS = 2_500;

/** Characters of gantt per window printed by `report --mermaid`, which has a terminal, not a comment, to fill. */
export const CLI_GANTT_CHARS = 4_000;
