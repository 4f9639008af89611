/**
 * Windows replayed on all cores: a pool of `worker_threads`, each replaying one window at a
 * time in one pass (replay-worker.ts), with results handed back in the windows' order so that
 * every output is byte-identical to the one-worker (in-process) run.
 *
 * Fail closed, exactly like the in-process loop: when a window fails, no later window is
 * started, the windows before it finish, and the error of the first failing window (in window
 * order) is thrown — an {@link InputError} with the same problems (exit 2), or an internal
 * error (exit 3) for a thrown bug, a worker that crashed, or one that exited mid-window. No
 * partial result is ever returned.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { InputError, type Problem } from "../core/errors.js";

/** How many workers `--jobs` / the Action's `jobs` may ask for at most (beyond the cores it cannot be faster). */
export const MAX_JOBS = 64;

/**
 * Without `--jobs` (the Action without `jobs`), a worker is started for every this many pinned
 * events to replay, up to the cores: a worker's start (loading and compiling the bundle) costs
 * about as much CPU as replaying some tens of thousands of events, so a small library is replayed
 * faster in this thread.
 */
export const AUTO_EVENTS_PER_WORKER = 100_000;

/** Workers: a number (`--jobs`), or `auto`: one per core as the library's size pays for them. */
export type Jobs = number | "auto";

/**
 * The number of workers to run for `requested` (`--jobs`, the Action's `jobs`) over `events`
 * pinned events: never more than the cores, since replay is CPU-bound and more workers would only
 * add memory (each holds one window's engine state); `auto` also starts no more than one worker
 * per {@link AUTO_EVENTS_PER_WORKER} events.
 */
export function resolveJobs(requested: Jobs, events = Infinity): number {
  const cores = Math.max(1, availableParallelism());
  if (requested === "auto") return Math.max(1, Math.min(cores, Math.floor(events / AUTO_EVENTS_PER_WORKER)));
  return Math.max(1, Math.min(requested, cores));
}

/** Where a worker's code is and how to start it. */
export interface WorkerEntry {
  readonly url: URL;
  readonly execArgv: readonly string[];
}

/**
 * The replay worker's entry next to this module: `replay-worker.js` beside the bundle in dist/
 * (scripts/build.mjs builds it); from the TypeScript sources (vitest, the bench), the `.ts`
 * entry, loaded through scripts/ts-worker-hooks.mjs (esbuild's transform), since a worker does
 * not inherit the test runner's TypeScript loader.
 */
export function defaultWorkerEntry(): WorkerEntry {
  const here = import.meta.url;
  if (here.endsWith(".ts")) return { url: new URL("./replay-worker.ts", here), execArgv: ["--import", new URL("../../scripts/ts-worker-hooks.mjs", here).href] };
  return { url: new URL("./replay-worker.js", here), execArgv: [] };
}

/** What a worker posts back. */
export type WorkerReply =
  | { readonly type: "progress"; readonly index: number; readonly events: number; readonly done: boolean }
  | { readonly type: "done"; readonly index: number; readonly result: unknown }
  | { readonly type: "failed"; readonly index: number; readonly error: SerializedError };

/** An error as it crosses the thread boundary: an input error's problems, or a bug's message and stack. */
export type SerializedError = { readonly input: readonly Problem[] } | { readonly message: string; readonly stack: string };

/** What the pool posts to a worker: one task at a time. */
export interface WorkerTask<T> {
  readonly index: number;
  readonly task: T;
}

/** Turns a thrown value into what crosses the thread boundary. */
export function serializeError(err: unknown): SerializedError {
  if (err instanceof InputError) return { input: err.problems.map((p) => ({ ...p })) };
  const e = err instanceof Error ? err : new Error(String(err));
  return { message: e.message, stack: e.stack ?? e.message };
}

/** The error to throw in the main thread for a worker's failure. */
function deserializeError(error: SerializedError): Error {
  if ("input" in error) return new InputError(error.input);
  const e = new Error(error.message);
  e.stack = error.stack;
  return e;
}

/** Options of {@link runInWorkers}. */
export interface PoolOptions<I, R = unknown> {
  /** Workers to start (at most one per task). */
  readonly size: number;
  /** Given to every worker once, as its `workerData` (policies, switches). */
  readonly init: I;
  /** Progress a worker reports for task `index`. */
  readonly onProgress?: ((index: number, events: number, done: boolean) => void) | undefined;
  /** Defaults to {@link defaultWorkerEntry}. */
  readonly entry?: WorkerEntry | undefined;
  /**
   * Runs task `index` in this thread. When given, this thread is one of the `size` lanes: it
   * takes tasks from the same queue as the workers, so one worker fewer is started (and its
   * start-up, which costs as much as replaying tens of thousands of events, is saved).
   */
  readonly here?: ((index: number) => Promise<R>) | undefined;
}

/**
 * Runs `tasks` on a pool of workers and returns their results in the tasks' order. Tasks are
 * started in order; see the module comment for how failures end the run.
 */
export async function runInWorkers<I, T, R>(tasks: readonly T[], options: PoolOptions<I, R>): Promise<R[]> {
  if (tasks.length === 0) return [];
  const entry = options.entry ?? defaultWorkerEntry();
  const size = Math.max(1, Math.min(options.size, tasks.length));
  const results: R[] = new Array<R>(tasks.length);
  const failures = new Map<number, Error>();
  let next = 0;
  const firstFailure = () => Math.min(...failures.keys());
  const workers: Worker[] = [];
  const run = (worker: Worker) =>
    new Promise<void>((resolve) => {
      let current = -1;
      let settled = false;
      const finish = () => {
        if (settled) return;
        settled = true;
        worker.removeAllListeners();
        resolve();
      };
      const dispatch = () => {
        // No window after a failed one is started: the in-process loop would never have reached it.
        if (next >= tasks.length || (failures.size > 0 && next > firstFailure())) {
          current = -1;
          finish();
          return;
        }
        current = next++;
        worker.postMessage({ index: current, task: tasks[current]! } satisfies WorkerTask<T>);
      };
      const lost = (why: string) => {
        if (current >= 0 && !failures.has(current)) failures.set(current, new Error(`a replay worker ${why} while replaying window ${current + 1} of ${tasks.length}`));
        current = -1;
        finish();
      };
      worker.on("message", (reply: WorkerReply) => {
        if (reply.index !== current) return;
        if (reply.type === "progress") options.onProgress?.(reply.index, reply.events, reply.done);
        else {
          if (reply.type === "done") results[reply.index] = reply.result as R;
          else failures.set(reply.index, deserializeError(reply.error));
          dispatch();
        }
      });
      worker.on("error", (err) => lost(`failed (${err.message})`));
      worker.on("messageerror", (err) => lost(`sent a result that could not be read (${err.message})`));
      worker.on("exit", (code) => lost(`exited with code ${code}`));
      worker.once("online", dispatch);
    });
  // This thread's lane: the same queue and the same rule for failures as a worker's.
  const here = options.here;
  const runHere = async (): Promise<void> => {
    while (here !== undefined && next < tasks.length && !(failures.size > 0 && next > firstFailure())) {
      const index = next++;
      try {
        results[index] = await here(index);
      } catch (err) {
        failures.set(index, err instanceof Error ? err : new Error(String(err)));
      }
    }
  };
  try {
    const started = here === undefined ? size : size - 1;
    for (let i = 0; i < started; i++) workers.push(new Worker(entry.url, { workerData: options.init, execArgv: [...entry.execArgv] }));
    await Promise.all([...workers.map(run), runHere()]);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  if (failures.size > 0) throw failures.get(firstFailure())!;
  if (next < tasks.length) throw new Error(`the replay workers stopped after ${next} of ${tasks.length} windows`);
  return results;
}
