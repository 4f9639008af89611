/** What `runCapture` takes: the checked capture arguments (parsed from argv by src/cli/capture-args.ts) and their defaults. */
import type { ScopeKey } from "../../core/event.js";

/** Defaults, named so the docs, the help and the code agree. */
export const CAPTURE_DEFAULTS = {
  /** Largest source accepted, as stored and as read after gunzip: 2 GiB. */
  maxBytes: 2 * 1024 ** 3,
  /** Largest share of a source's records that may be unreadable before capture refuses: 1 %. */
  maxRejectFraction: 0.01,
  /** Events held in memory before a sorted run is spilled to a temporary file: 64 MiB. */
  sortBufferBytes: 64 * 1024 ** 2,
} as const;

/** One `--from`. */
export interface SourceArg {
  /** Adapter name as given (or undefined: detect). */
  readonly adapter: string | undefined;
  /** Path as the user named it. */
  readonly path: string;
}

/** Everything `runCapture` needs, checked. */
export interface CaptureArgs {
  readonly sources: readonly SourceArg[];
  readonly out: string;
  readonly mapping: string | undefined;
  /** Inclusive range, ms UTC; undefined: from the events. */
  readonly startMs: number | undefined;
  readonly endMs: number | undefined;
  readonly scope: Readonly<Partial<Record<ScopeKey, string>>>;
  readonly id: string | undefined;
  readonly title: string | undefined;
  readonly tags: readonly string[];
  readonly capturedAtMs: number | undefined;
  readonly force: boolean;
  readonly workspace: string | undefined;
  readonly library: string | undefined;
  readonly maxBytes: number;
  readonly maxRejectFraction: number;
  readonly sortBufferBytes: number;
  readonly format: "text" | "json";
  readonly progress: boolean;
}
