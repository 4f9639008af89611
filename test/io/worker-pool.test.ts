/**
 * The worker pool fails closed like the in-process loop: results in task order, the first
 * failing task (in task order) decides the error, an input error stays an input error, and a
 * bug, a crash or an exit in a worker is an internal error — never a partial result.
 */
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/core/errors.js";
import { AUTO_EVENTS_PER_WORKER, resolveJobs, runInWorkers, type WorkerEntry } from "../../src/io/worker-pool.js";
import { availableParallelism } from "node:os";

const ENTRY: WorkerEntry = { url: new URL("../fixtures/workers/failing-worker.mjs", import.meta.url), execArgv: [] };
const run = (plan: string[], size = 3) =>
  runInWorkers<{ plan: string[] }, number, number>(
    plan.map((_, i) => i),
    { size, init: { plan }, entry: ENTRY },
  );

describe("runInWorkers", () => {
  it("returns every result in task order whatever the number of workers", async () => {
    for (const size of [1, 2, 5]) expect(await run(["ok", "ok", "ok", "ok", "ok"], size)).toEqual([0, 10, 20, 30, 40]);
  });

  it("rethrows a worker's input error as an InputError with the same problems", async () => {
    const err = await run(["ok", "input", "ok"]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).problems).toEqual([{ file: "window-1", message: "bad window 1" }]);
  });

  it("reports the first failing task in task order when several fail", async () => {
    const err = await run(["ok", "input", "input", "input"], 4).catch((e: unknown) => e);
    expect((err as InputError).problems[0]!.file).toBe("window-1");
  });

  it("turns an error thrown in a worker into an internal error, not an input error", async () => {
    const err = await run(["ok", "throw", "ok"]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/replay worker failed \(bug in window 1\) while replaying window 2 of 3/);
  });

  it("turns a worker that exits mid-window into an internal error", async () => {
    const err = await run(["ok", "ok", "exit", "ok"], 2).catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/exited with code 7 while replaying window 3 of 4/);
  });

  it("fails on a result that cannot cross the thread boundary", async () => {
    await expect(run(["clone"], 1)).rejects.toThrow();
  });

  it("with a lane in this thread, shares the queue with one worker fewer, keeps task order and fails closed on this thread's failure too", async () => {
    const ran: number[] = [];
    const here = (plan: string[]) => async (index: number) => {
      ran.push(index);
      await new Promise((r) => setTimeout(r, 5));
      if (plan[index] === "input") throw new InputError([{ file: `here-${index}`, message: "bad here" }]);
      return index * 10;
    };
    for (const size of [1, 2, 3]) {
      ran.length = 0;
      const plan = ["ok", "ok", "ok", "ok", "ok", "ok"];
      expect(
        await runInWorkers<{ plan: string[] }, number, number>(
          plan.map((_, i) => i),
          { size, init: { plan }, entry: ENTRY, here: here(plan) },
        ),
      ).toEqual([0, 10, 20, 30, 40, 50]);
      // One lane alone (size 1) is this thread: every task ran here.
      if (size === 1) expect(ran).toEqual([0, 1, 2, 3, 4, 5]);
      else expect(ran.length).toBeGreaterThan(0);
    }
    const plan = ["input", "ok", "ok", "ok"];
    const err = await runInWorkers<{ plan: string[] }, number, number>(
      plan.map((_, i) => i),
      { size: 1, init: { plan }, entry: ENTRY, here: here(plan) },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).problems).toEqual([{ file: "here-0", message: "bad here" }]);
  });

  it("starts no worker for no task", async () => {
    expect(await run([])).toEqual([]);
  });
});

describe("resolveJobs", () => {
  it("never runs more workers than the cores", () => {
    const cores = availableParallelism();
    expect(resolveJobs(1)).toBe(1);
    expect(resolveJobs(cores + 10)).toBe(cores);
  });

  it("starts one worker per 100,000 events in auto, up to the cores, and none for a small library", () => {
    const cores = availableParallelism();
    expect(resolveJobs("auto", AUTO_EVENTS_PER_WORKER - 1)).toBe(1);
    expect(resolveJobs("auto", 2 * AUTO_EVENTS_PER_WORKER)).toBe(Math.min(2, cores));
    expect(resolveJobs("auto", 1e9)).toBe(cores);
  });
});
