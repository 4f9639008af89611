/**
 * `replay` for policy kinds other than our CorrelationPolicy: the file's kind is recognised by
 * its content, each window's events stream through the kind, and the kind's own report is
 * printed. Today that is the Alertmanager kind; the generic report lands with the one-pass
 * replay refactor.
 */
import { basename } from "node:path";
import { InputError } from "../../core/errors.js";
import type { AlertmanagerExtras } from "../../core/kinds/alertmanager/index.js";
import { withKindSettings } from "../../core/kinds/settings.js";
import type { ReplayGateConfig } from "../../core/config.js";
import { buildAmWindowReport, renderAmReplayText } from "../../core/kinds/alertmanager/render.js";
import { AM_REPLAY_SCHEMA, type AmReplayReport } from "../../core/model/alertmanager-replay.js";
import { loadKindPolicy, type LoadedKindPolicy } from "../../core/kinds/registry.js";
import { stableJson } from "../../core/report/json.js";
import { readInputText } from "../../io/read-input.js";
import { streamEvents, type WindowSource } from "../../io/window.js";
import { progress, type CliIo } from "../io.js";

/** The policy file as a kind other than `correlation`, or undefined for a CorrelationPolicy. */
export async function readOtherKindPolicy(path: string): Promise<LoadedKindPolicy | undefined> {
  const text = await readInputText(path, "no such policy file");
  let loaded: LoadedKindPolicy;
  try {
    loaded = loadKindPolicy(text, path);
  } catch (e) {
    // Not a kind we know: let the CorrelationPolicy reader give its own, more precise, errors.
    if (e instanceof InputError && e.problems.length === 1 && e.problems[0]!.message === "not a policy replay-gate knows") return undefined;
    throw e;
  }
  return loaded.kind.id === "correlation" ? undefined : loaded;
}

/** The kind's compiled policy with the gate config's behaviour switches applied. */
export function withKindOptions(policy: LoadedKindPolicy, config: ReplayGateConfig | undefined): LoadedKindPolicy {
  return withKindSettings(policy, config);
}

export async function replayOtherKind(policyIn: LoadedKindPolicy, sources: readonly WindowSource[], format: string, io: CliIo, config?: ReplayGateConfig): Promise<number> {
  if (policyIn.kind.id !== "alertmanager") throw new InputError([{ file: policyIn.file, message: `replay of ${policyIn.kind.label} is not available yet` }]);
  const policy = withKindOptions(policyIn, config);
  const bar = progress(io);
  const windows = [];
  for (const src of sources) {
    const run = policy.kind.start(policy.compiled, { id: src.manifest.id, start: src.startMs, end: src.endMs, scope: src.manifest.scope });
    await streamEvents(src, (e, id) => run.push(e, id), { onProgress: (n) => bar.update(`replaying ${src.manifest.id}: ${n} events`) });
    bar.done();
    const r = run.finish();
    windows.push(buildAmWindowReport({ id: src.manifest.id, dir: src.dir, start: src.startMs, end: src.endMs }, r.counts, r.extras as AlertmanagerExtras, r.incidents, r.trace_signature));
  }
  const report: AmReplayReport = { schema: AM_REPLAY_SCHEMA, policy: { kind: "alertmanager", name: policy.name || basename(policy.file), version: policy.version, file: policy.file }, windows };
  io.stdout(format === "json" ? stableJson(report) : renderAmReplayText(report));
  return 0;
}
