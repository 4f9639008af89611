/**
 * `diff` when base and head are Alertmanager configurations (single files): every window is
 * replayed under both, compared per receiver, and gated on `thresholds.alertmanager`. Thin on
 * purpose: the generic report and comment take this over with the one-pass replay refactor.
 */
import { parseDuration } from "../../core/time.js";
import type { Thresholds } from "../../core/config.js";
import type { AlertmanagerExtras } from "../../core/kinds/alertmanager/index.js";
import { DEFAULT_AM_THRESHOLDS, diffAlertmanager, evaluateAmThresholds, type AmThresholds } from "../../core/kinds/alertmanager/diff.js";
import { AM_DIFF_SCHEMA, renderAmDiffMarkdown, renderAmDiffText, type AmDiffReport } from "../../core/kinds/alertmanager/diff-render.js";
import type { LoadedKindPolicy } from "../../core/kinds/registry.js";
import { stableJson } from "../../core/report/json.js";
import { expandWindowArgs, loadWindowSources } from "../../io/windows.js";
import { streamEvents } from "../../io/window.js";
import type { Format } from "../args.js";
import { progress, type CliIo } from "../io.js";

/** `thresholds.alertmanager` of the gate config, with its defaults. */
export function amThresholds(t: Thresholds | undefined): AmThresholds {
  const a = t?.alertmanager;
  if (!a) return DEFAULT_AM_THRESHOLDS;
  return { max_lost_pages: a.max_lost_pages, max_added_notifications: a.max_added_notifications, max_added_delay_ms: a.max_added_delay === undefined ? undefined : parseDuration(a.max_added_delay) };
}

export async function diffAlertmanagerCommand(base: LoadedKindPolicy, head: LoadedKindPolicy, windowArgs: readonly string[], thresholds: AmThresholds, format: Format, io: CliIo): Promise<number> {
  const sources = await loadWindowSources(await expandWindowArgs(windowArgs), (m) => io.stderr(`warning: ${m}\n`));
  const bar = progress(io);
  const windows: AmDiffReport["windows"][number][] = [];
  for (const src of sources) {
    const frame = { id: src.manifest.id, start: src.startMs, end: src.endMs, scope: src.manifest.scope };
    const runs = [base, head].map((p) => p.kind.start(p.compiled, frame));
    await streamEvents(src, (e, id) => {
      for (const r of runs) r.push(e, id);
    }, { onProgress: (n) => bar.update(`replaying ${src.manifest.id}: ${n} events`) });
    bar.done();
    const [b, h] = runs.map((r) => r.finish().extras as AlertmanagerExtras);
    const diff = diffAlertmanager(b!, h!);
    windows.push({ id: src.manifest.id, reasons: evaluateAmThresholds(diff, thresholds), diff });
  }
  const report: AmDiffReport = {
    schema: AM_DIFF_SCHEMA,
    verdict: windows.some((w) => w.reasons.length > 0) ? "fail" : "pass",
    policy: { base: { file: base.file, version: base.version }, head: { file: head.file, version: head.version } },
    thresholds: { max_lost_pages: thresholds.max_lost_pages, max_added_notifications: thresholds.max_added_notifications ?? null, max_added_delay_ms: thresholds.max_added_delay_ms ?? null },
    windows,
  };
  io.stdout(format === "json" ? stableJson(report) : format === "markdown" ? renderAmDiffMarkdown(report) : renderAmDiffText(report));
  return report.verdict === "pass" ? 0 : 1;
}
