/**
 * The pull request, review and merge-queue gate: load (src/action/gate-load.ts) → decide (the
 * pure src/core/approvals/outcome.ts) → render and publish (src/action/gate-publish.ts, over the
 * pure renderers in src/core/comment and src/core/surfaces).
 */
import { log } from "./log.js";
import { decideGateOutcome } from "../core/approvals/outcome.js";
import { configErrorSummary, renderConfigErrorMarkdown } from "../core/comment/config-error.js";
import { formatProblem } from "../core/errors.js";
import { forMarkdown } from "../core/neutralize.js";
import type { RunContext, RunResult } from "./context.js";
import { loadGate, startGate, type GatePlan } from "./gate-load.js";
import { publishGate, publishNoChange, publishRefusal, publishShardLoad } from "./gate-publish.js";

/** Runs the gate for a pull request, a review or a merge group (or one shard of it). */
export async function runGate(ctx: RunContext, plan: GatePlan): Promise<RunResult> {
  const start = await startGate(ctx, plan);
  const load = await loadGate(ctx, plan, start);
  switch (load.kind) {
    case "config-unreadable":
      // `failure`, not `error`: a pull request cannot fix the base's config, and a status stuck in `error` tells nobody what to do.
      for (const p of load.problems) log.error(formatProblem(p), { title: "replay-gate: gate config unreadable" });
      return publishRefusal(ctx, start, configErrorSummary(load.where, load.problems), renderConfigErrorMarkdown(load.where, load.problems));
    case "shards-incomplete":
      log.error(load.message, { title: "replay-gate: sharded replay incomplete" });
      return publishRefusal(
        ctx,
        start,
        `sharded replay incomplete: ${load.message}`,
        `### Gate\n\n- **shards-incomplete**: ${forMarkdown(load.message)}. The gate does not pass on part of the library: it fails closed until every shard has replayed.\n`,
      );
    case "no-change":
      return publishNoChange(ctx, start, load);
    case "shard":
      return publishShardLoad(ctx, plan, start, load);
    case "replayed":
      return publishGate(ctx, plan, start, load, decideGateOutcome(load.report, load.facts, start.baseSha));
    default: {
      const never: never = load;
      throw new Error(`unknown gate load ${String(never)}`);
    }
  }
}
