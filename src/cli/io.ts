import { forTerminal } from "../core/neutralize.js";
import type { ReadProgress, WindowSource } from "../io/window.js";

/** Prints `warning: <message>` on stderr, the message neutralised (it names directories and keys from files). */
export function warner(io: CliIo): (message: string) => void {
  return (message) => io.stderr(`warning: ${forTerminal(message)}\n`);
}

/** What the CLI needs from its process, passed in so tests can run `main` in-process. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** True when stderr is a terminal: progress is shown only then. */
  readonly stderrIsTTY: boolean;
  /** True when stdout is a terminal: colour is used only then (and without NO_COLOR). */
  readonly stdoutIsTTY: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** The real process. */
export function processIo(): CliIo {
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    stderrIsTTY: process.stderr.isTTY === true,
    stdoutIsTTY: process.stdout.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
  };
}

/** Colour on a TTY unless NO_COLOR is set (https://no-color.org) or FORCE_COLOR asks for it. */
export function useColor(io: CliIo): boolean {
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== "") return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== "0") return true;
  return io.stdoutIsTTY;
}

/** A progress line on stderr, and a meter of window reads that drives it. */
export interface ProgressBar {
  update(text: string): void;
  done(): void;
  /** Counts windows done / total, events/s and an ETA from the reads; undefined when nothing is shown. */
  readonly meter: ReadProgress | undefined;
}

/**
 * A progress printer: on a terminal it overwrites one line of stderr; with `force` (`--progress`)
 * and no terminal it prints whole lines, at most one per `every` ms; otherwise it prints nothing.
 * `now` is a monotonic clock in ms (injected by tests).
 */
export function progress(io: CliIo, options: { force?: boolean | undefined; now?: () => number; every?: number } = {}): ProgressBar {
  const tty = io.stderrIsTTY;
  if (!tty && options.force !== true) return { update: () => {}, done: () => {}, meter: undefined };
  const now = options.now ?? (() => performance.now());
  const every = options.every ?? 1000;
  let shown = false;
  let lastLine = -Infinity;
  const update = (text: string) => {
    if (tty) {
      shown = true;
      io.stderr(`\r\u001b[2K${forTerminal(text)}`);
      return;
    }
    const t = now();
    if (t - lastLine < every) return;
    lastLine = t;
    io.stderr(`${forTerminal(text)}\n`);
  };
  const done = () => {
    if (tty && shown) io.stderr("\r\u001b[2K");
    shown = false;
  };
  return { update, done, meter: readMeter(update, now) };
}

/** Groups digits in threes with commas, independent of locale. */
function grouped(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** `m:ss`, or `h:mm:ss` from an hour. */
function clockTime(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

/**
 * The meter: windows done of those planned, events read of the pinned total, the rate since the
 * first read, and the time left at that rate. A window read twice (time travel) counts once, at
 * its furthest read.
 */
export function readMeter(update: (text: string) => void, now: () => number): ReadProgress {
  let total = 0;
  let windows = 0;
  let started: number | undefined;
  const read = new Map<WindowSource, number>();
  const finished = new Set<WindowSource>();
  let events = 0;
  return {
    plan(sources) {
      windows = sources.length;
      total = sources.reduce((n, s) => n + s.manifest.events.count, 0);
    },
    read(src, n, done) {
      started ??= now();
      const before = read.get(src) ?? 0;
      if (n > before) {
        events += n - before;
        read.set(src, n);
      }
      if (done) finished.add(src);
      const seconds = (now() - started) / 1000;
      const rate = seconds > 0 ? events / seconds : 0;
      const eta = rate > 0 && total >= events ? ` · ETA ${clockTime((total - events) / rate)}` : "";
      const at = Math.min(windows, finished.size + (done ? 0 : 1));
      update(`${src.manifest.id}: window ${at}/${windows} · ${grouped(events)}/${grouped(total)} events · ${grouped(rate)} events/s${eta}`);
    },
  };
}
