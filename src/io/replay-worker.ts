/**
 * A replay worker (worker-pool.ts): started with a {@link ReplayWorkerInit}, it replays the
 * windows the pool sends, one at a time, each in one pass, and posts back the result, progress
 * while it reads, or the error (an input error's problems, or a bug's message and stack).
 */
import { parentPort, workerData } from "node:worker_threads";
import { loadPolicyText } from "../core/policy/load.js";
import { diffPlanFromTexts, replayDiffWindow, type DiffPlan } from "./diff-window.js";
import type { ReplayWorkerInit, ReplayWorkerTask } from "./parallel-replay.js";
import type { WindowSource } from "./window.js";
import { replayWindow } from "./windows.js";
import { serializeError, type WorkerReply, type WorkerTask } from "./worker-pool.js";

const init = workerData as ReplayWorkerInit;
const port = parentPort!;
let diffPlan: DiffPlan | undefined;
let replayPolicy: ReturnType<typeof loadPolicyText> | undefined;

/** The window's result, as the in-process path computes it. */
async function replay(src: WindowSource, dir: string): Promise<unknown> {
  if (init.kind === "diff") {
    diffPlan ??= diffPlanFromTexts(init.plan);
    return replayDiffWindow(diffPlan, src, dir);
  }
  replayPolicy ??= loadPolicyText(init.policy.text, init.policy.file);
  const [result] = await replayWindow(src, [replayPolicy.compiled], { trace: init.trace });
  return result;
}

port.on("message", (message: WorkerTask<ReplayWorkerTask>) => {
  const { index, task } = message;
  const post = (reply: WorkerReply) => port.postMessage(reply);
  const src: WindowSource = { ...task.src, progress: { plan: () => {}, read: (_src, events, done) => post({ type: "progress", index, events, done }) } };
  void replay(src, task.dir)
    .then((result) => post({ type: "done", index, result }))
    // A result that cannot cross the thread boundary fails the window too (DataCloneError).
    .catch((err: unknown) => post({ type: "failed", index, error: serializeError(err) }));
});
