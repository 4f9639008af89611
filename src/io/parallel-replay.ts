/**
 * Replaying a list of windows with `jobs` workers: in this thread one after another when
 * `jobs` is 1 (or there is one window), else on a worker pool (worker-pool.ts) whose workers
 * run replay-worker.ts. Either way the results come back in the windows' order.
 */
import type { DiffPlanTexts, PolicyText } from "./diff-window.js";
import type { ReadProgress, WindowSource } from "./window.js";
import { resolveJobs, runInWorkers, type Jobs, type WorkerEntry } from "./worker-pool.js";

/** What a replay worker is started with. */
export type ReplayWorkerInit = { readonly kind: "diff"; readonly plan: DiffPlanTexts } | { readonly kind: "replay"; readonly policy: PolicyText; readonly trace: boolean };

/** One window handed to a worker: its source (without the progress meter, a function) and its report dir. */
export interface ReplayWorkerTask {
  readonly src: WindowSource;
  readonly dir: string;
}

/** A window to replay. */
export interface WindowJob {
  readonly src: WindowSource;
  readonly dir: string;
}

/** How to replay a window here, and what a worker needs to do the same. */
export interface ReplayHow<W extends WindowJob, R> {
  readonly inProcess: (job: W) => Promise<R>;
  readonly worker: ReplayWorkerInit;
  /** Tests start workers of their own. */
  readonly entry?: WorkerEntry | undefined;
}

/** Replays windows on as many workers as `requested` resolves to (see the module comment); results in the order of `windows`. */
export async function replayWindows<W extends WindowJob, R>(windows: readonly W[], requested: Jobs, meter: ReadProgress | undefined, how: ReplayHow<W, R>): Promise<R[]> {
  const jobs = resolveJobs(
    requested,
    windows.reduce((n, w) => n + w.src.manifest.events.count, 0),
  );
  if (jobs <= 1 || windows.length <= 1) {
    const out: R[] = [];
    for (const w of windows) out.push(await how.inProcess(w));
    return out;
  }
  const tasks: ReplayWorkerTask[] = windows.map((w) => ({ src: { ...w.src, progress: undefined }, dir: w.dir }));
  return runInWorkers<ReplayWorkerInit, ReplayWorkerTask, R>(tasks, {
    size: jobs,
    init: how.worker,
    entry: how.entry,
    onProgress: meter ? (index, events, done) => meter.read(windows[index]!.src, events, done) : undefined,
    // This thread replays windows too: `jobs` lanes are this thread and jobs − 1 workers.
    here: (index) => how.inProcess(windows[index]!),
  });
}
