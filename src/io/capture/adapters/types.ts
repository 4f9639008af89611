/**
 * The ingest adapter interface. An adapter turns the lines of one export format into
 * {@link CaptureRecord}s. Lines are pushed, not pulled: a capture of a few hundred MB is millions
 * of lines, and a callback per line costs a fraction of an `await` per line.
 */
import type { CaptureRecord } from "../../../core/capture/record.js";

/** What a parser reports to capture while it reads one source. */
export interface AdapterContext {
  /** The source's path as the user named it (for messages). */
  readonly file: string;
  /** Emits one record. A line may emit none, one or many. */
  emit(record: CaptureRecord): void;
  /** Reports a record the adapter cannot read: counted, located, and fatal above `--max-reject-fraction`. */
  reject(lineNo: number, message: string): void;
  /** Counts a record the format repeats on purpose (a re-sent alert): dropped as a duplicate. */
  duplicate(): void;
  /** Counts a record that is valid but carries no event (keepalives, OPEN messages, RIB entries). */
  ignore(): void;
  /** State shared by every source read with this adapter in one capture (e.g. alerts already seen). */
  readonly shared: Map<string, unknown>;
}

/** Parses one source. `line` is called in order with 1-based line numbers; `end` once after the last. */
export interface LineParser {
  line(text: string, lineNo: number): void;
  end(): void;
}

/** One export format. */
export interface Adapter {
  /** The name used in `--from <name>:<path>`. */
  readonly name: string;
  /** Other accepted names (`prom` for `prometheus`). */
  readonly aliases: readonly string[];
  /** One line for `--help` and docs. */
  readonly description: string;
  /** True when the first bytes of a file (decoded, at most 64 KiB) look like this format. */
  detect(head: string): boolean;
  createParser(ctx: AdapterContext): LineParser;
}
