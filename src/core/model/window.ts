/**
 * The pinned window manifest, `window.yaml` (docs/formats.md#pinned-window): the documented definition, the source
 * of `schema/window.schema.json`, and what every reader of a window validates against.
 */
import { z } from "zod";
import { parseTimestamp } from "../time.js";
import { scopeSchema } from "./event.js";
import { DECISIONS, SIGNALS } from "./vocabulary.js";

const timestamp = z.string().refine((s) => parseTimestamp(s) !== undefined, { message: "expected an RFC 3339 time like 2026-02-26T10:12:00Z" });
// YAML turns unquoted timestamps into strings under the 1.2 core schema, which is what we parse with.
const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, { message: "expected an id of letters, digits, '.', '_' and '-' (at most 128)" });
const sha256Hex = z.string({ message: "expected 64 lowercase hex digits in quotes (an unquoted hash can read as a number)" }).regex(/^[0-9a-f]{64}$/, { message: "expected 64 lowercase hex digits" });

/** The scope a window's events share (or a capture selected them with). */
export const scopeFilterSchema = scopeSchema;

/** Regression expectations, checked on every replay. */
export const expectSchema = z.strictObject({
  /** Exact number of incidents. */
  incidents: z.number().int().nonnegative().optional(),
  /** Groups of rule ids that must share one incident. */
  together: z.array(z.array(z.string()).min(2)).optional(),
  /** Groups of rule ids that must not share any incident. */
  apart: z.array(z.array(z.string()).min(2)).optional(),
  /**
   * Final decision per action id; `none` means the action must not be decided at all; `fires` is
   * mode-independent: decided and not `blocked` (`would-run` in dry-run, `gated` or `run` in
   * enforce), so promoting a policy to enforce is not an expectations regression.
   */
  actions: z.record(z.string(), z.enum([...DECISIONS, "none", "fires"])).optional(),
});
export type Expectations = z.infer<typeof expectSchema>;

/** What `replay-gate capture` records about how a window was made. */
export const captureInfoSchema = z.strictObject({
  /** Tool and version that wrote the window. */
  tool: z.string(),
  sources: z.array(
    z.strictObject({
      adapter: z.string(),
      path: z.string(),
      sha256: sha256Hex,
      bytes: z.number().int().nonnegative(),
      records: z.number().int().nonnegative(),
      rejected: z.number().int().nonnegative(),
    }),
  ),
  mapping: z.strictObject({ path: z.string(), sha256: sha256Hex }).optional(),
  /** The `--scope` filter the events were selected with (the window's `scope` is what they all share). */
  scope_filter: scopeFilterSchema.optional(),
  /** The `--max-reject-fraction` every source was held to. */
  max_reject_fraction: z.number().min(0).max(1).optional(),
  /** Exact duplicates dropped (identical normalized events, and re-sent alerts). */
  duplicates_dropped: z.number().int().nonnegative(),
  /** Events outside [start, end]. */
  out_of_range_dropped: z.number().int().nonnegative(),
  /** Events outside `scope_filter`. */
  out_of_scope_dropped: z.number().int().nonnegative().optional(),
});

export const manifestSchema = z
  .strictObject({
    id,
    title: z.string().min(1),
    captured_at: timestamp,
    start: timestamp,
    end: timestamp,
    scope: scopeFilterSchema,
    signals: z.array(z.enum(SIGNALS)),
    source: z.record(z.string(), z.string()).optional(),
    /** Policy in effect when captured: `sha256:` + hex of the policy file. */
    policy_spec_hash: z
      .string()
      .regex(/^sha256:[0-9a-f]{64}$/, { message: "expected sha256:<64 lowercase hex digits>" })
      .optional(),
    events: z.strictObject({
      /** Relative to the window directory; `events.ndjson.gz` or `events.ndjson`. */
      path: z
        .string()
        .regex(/^[A-Za-z0-9._-]+$/, { message: "expected a file name inside the window directory" })
        .refine((p) => p !== "." && p !== "..", { message: "expected a file name inside the window directory, not a directory" }),
      /** sha256 of the file as stored (compressed bytes when gzipped). */
      sha256: sha256Hex,
      count: z.number().int().nonnegative(),
      bytes: z.number().int().nonnegative(),
      /**
       * Size of the events once decompressed (equal to `bytes` for a plain file). Written by
       * `capture`; when present, reading stops as soon as the stream passes it.
       */
      uncompressed_bytes: z.number().int().nonnegative().optional(),
    }),
    tags: z.array(z.string()).optional(),
    expect: expectSchema.optional(),
    capture: captureInfoSchema.optional(),
  })
  .superRefine((m, ctx) => {
    const start = parseTimestamp(m.start),
      end = parseTimestamp(m.end);
    if (start !== undefined && end !== undefined && end < start) ctx.addIssue({ code: "custom", path: ["end"], message: "end is before start" });
  });
export type WindowManifest = z.infer<typeof manifestSchema>;
