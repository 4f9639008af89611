/**
 * Time-ordering a capture with bounded memory. Events arrive in source order (Zeek's are not
 * time-ordered). They are buffered up to a byte budget, sorted (stable: ties keep arrival order),
 * and spilled to a temporary run file when the budget is reached; the runs are then merged.
 * Runs are written in arrival order, so on equal timestamps the lower run comes first and the
 * whole result is ordered by (ts, arrival): by source in `--from` order, then by line.
 * Exact duplicates (identical lines, hence identical `ts`) are dropped during the merge.
 */
import { closeSync, mkdtempSync, openSync, writeSync } from "node:fs";
import { rm } from "node:fs/promises";
import { createReadStream } from "node:fs";
import { join } from "node:path";
import { StringDecoder } from "node:string_decoder";

/** Estimated heap cost of a buffered event beyond its text. */
const ENTRY_OVERHEAD = 64;
const SPILL_WRITE_CHUNK = 1 << 20;

interface Run {
  /** Moves to the next entry: synchronously while buffered, so the merge awaits once per chunk, not per event. */
  next(): boolean | Promise<boolean>;
  ts: number;
  line: string;
}

/** Reads a run file written by {@link ExternalSorter}: `<ts>\t<line>\n` per event. */
class FileRun implements Run {
  ts = 0;
  line = "";
  private readonly iter: AsyncIterator<Buffer>;
  private readonly decoder = new StringDecoder("utf8");
  private lines: string[] = [];
  private pos = 0;
  private carry = "";
  private done = false;

  constructor(path: string) {
    this.iter = createReadStream(path, { highWaterMark: 1 << 20 })[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }

  next(): boolean | Promise<boolean> {
    if (this.pos >= this.lines.length) return this.refill();
    this.take();
    return true;
  }

  private take(): void {
    const entry = this.lines[this.pos++]!;
    const tab = entry.indexOf("\t");
    this.ts = Number(entry.slice(0, tab));
    this.line = entry.slice(tab + 1);
  }

  private async refill(): Promise<boolean> {
    while (this.pos >= this.lines.length) {
      if (this.done) return false;
      const r = await this.iter.next();
      if (r.done) {
        this.done = true;
        this.lines = this.carry.length > 0 ? [this.carry] : [];
        this.carry = "";
      } else {
        const text = this.carry + this.decoder.write(r.value);
        const parts = text.split("\n");
        this.carry = parts.pop()!;
        this.lines = parts;
      }
      this.pos = 0;
    }
    this.take();
    return true;
  }
}

/** The in-memory remainder, already sorted. */
class MemoryRun implements Run {
  ts = 0;
  line = "";
  private i = 0;
  constructor(
    private readonly order: readonly number[],
    private readonly tss: readonly number[],
    private readonly lines: readonly string[],
  ) {}
  next(): boolean {
    if (this.i >= this.order.length) return false;
    const k = this.order[this.i++]!;
    this.ts = this.tss[k]!;
    this.line = this.lines[k]!;
    return true;
  }
}

/** Sorts events by time with spill-to-disk; see the module comment. */
export class ExternalSorter {
  private tss: number[] = [];
  private lines: string[] = [];
  private bytes = 0;
  private readonly runPaths: string[] = [];
  private dir: string | undefined;
  /** Exact duplicates dropped by the merge. */
  duplicates = 0;
  /** Run files written (0 when everything fit in memory). */
  get spills(): number {
    return this.runPaths.length;
  }

  constructor(
    private readonly budgetBytes: number,
    private readonly tmpRoot: string,
  ) {}

  /** The buffered entries in (ts, arrival) order: a stable sort of indices by ts. */
  private sortedOrder(): number[] {
    const tss = this.tss;
    const order = Array.from({ length: tss.length }, (_, i) => i);
    // Array.prototype.sort is stable, so equal ts keep arrival order.
    order.sort((a, b) => tss[a]! - tss[b]!);
    return order;
  }

  /** Adds one event. Called from line callbacks, so it never waits: check {@link full} between chunks. */
  push(ts: number, line: string): void {
    this.tss.push(ts);
    this.lines.push(line);
    this.bytes += line.length + ENTRY_OVERHEAD;
    if (this.bytes >= this.budgetBytes) this.spill();
  }

  /**
   * Writes the buffer as one sorted run file. Synchronous: it runs inside a line callback, and a
   * spill is one large sequential write, so blocking is cheaper than buffering past the budget.
   */
  private spill(): void {
    if (this.tss.length === 0) return;
    this.dir ??= mkdtempSync(join(this.tmpRoot, "replay-gate-capture-"));
    const path = join(this.dir, `run-${String(this.runPaths.length).padStart(5, "0")}.txt`);
    const fd = openSync(path, "w");
    try {
      let buf = "";
      for (const k of this.sortedOrder()) {
        buf += `${this.tss[k]}\t${this.lines[k]}\n`;
        if (buf.length >= SPILL_WRITE_CHUNK) {
          writeSync(fd, buf);
          buf = "";
        }
      }
      if (buf.length > 0) writeSync(fd, buf);
    } finally {
      closeSync(fd);
    }
    this.runPaths.push(path);
    this.tss = [];
    this.lines = [];
    this.bytes = 0;
  }

  /** Merges everything into one ordered, de-duplicated stream of lines, in batches. Call once. */
  async *merged(batchSize = 4096): AsyncGenerator<string[]> {
    const runs: Run[] = this.runPaths.map((p) => new FileRun(p));
    runs.push(new MemoryRun(this.sortedOrder(), this.tss, this.lines));
    // A binary heap of run indices by (ts, run index): run index is arrival order.
    const heap: number[] = [];
    const less = (a: number, b: number) => runs[a]!.ts < runs[b]!.ts || (runs[a]!.ts === runs[b]!.ts && a < b);
    const up = (i: number) => {
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!less(heap[i]!, heap[p]!)) break;
        [heap[i], heap[p]] = [heap[p]!, heap[i]!];
        i = p;
      }
    };
    const down = (i: number) => {
      for (;;) {
        const l = 2 * i + 1,
          r = l + 1;
        let m = i;
        if (l < heap.length && less(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && less(heap[r]!, heap[m]!)) m = r;
        if (m === i) return;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    };
    for (let i = 0; i < runs.length; i++) {
      const more = runs[i]!.next();
      if (more === true || (more !== false && (await more))) {
        heap.push(i);
        up(heap.length - 1);
      }
    }
    let currentTs = Number.NaN;
    let seen = new Set<string>();
    let batch: string[] = [];
    while (heap.length > 0) {
      const top = heap[0]!;
      const run = runs[top]!;
      const { ts, line } = run;
      if (ts !== currentTs) {
        currentTs = ts;
        if (seen.size > 0) seen = new Set();
      }
      if (seen.has(line)) this.duplicates++;
      else {
        seen.add(line);
        batch.push(line);
        if (batch.length >= batchSize) {
          yield batch;
          batch = [];
        }
      }
      let more = run.next();
      if (more !== true && more !== false) more = await more;
      if (more) down(0);
      else {
        const last = heap.pop()!;
        if (heap.length > 0) {
          heap[0] = last;
          down(0);
        }
      }
    }
    if (batch.length > 0) yield batch;
    this.tss = [];
    this.lines = [];
  }

  /** Removes the temporary run files. */
  async cleanup(): Promise<void> {
    if (this.dir !== undefined) await rm(this.dir, { recursive: true, force: true });
  }
}
