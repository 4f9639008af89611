/**
 * Attaches `timeline` to each window of a report that lacks it, by replaying the window under
 * the base and head policy versions the report names (files, or `ref:path` read with git) — the
 * report pins them by spec hash and the window by events hash, so the replay is the one the
 * report describes. Windows whose inputs cannot be found or no longer match are left without a
 * timeline, with a warning; the HTML then draws incidents only.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Engine } from "../../core/engine/engine.js";
import { timelineData, TimelineBinner } from "../../core/evidence/timeline.js";
import type { HtmlReport, HtmlWindow } from "../../core/html/report-html.js";
import { sha256Hex } from "../../core/hash.js";
import { loadPolicyText, type LoadedPolicy } from "../../core/policy/load.js";
import type { Report } from "../../core/report/report-schema.js";
import { showFile } from "../git.js";
import { replayPass } from "../replay-pass.js";
import { readWindowManifest } from "../window.js";

type Source = Report["inputs"]["base"];

/** Loads every policy a side names; returns them by spec hash (those that cannot be read are skipped). */
async function loadSide(source: Source, cwd: string, warn: (m: string) => void): Promise<Map<string, LoadedPolicy>> {
  const out = new Map<string, LoadedPolicy>();
  for (const p of source.policies) {
    try {
      let text: string;
      if (source.git !== null && p.file.startsWith(`${source.git.ref}:`)) {
        text = await showFile(source.git.commit, source.git.ref, p.file.slice(source.git.ref.length + 1), cwd);
      } else text = await readFile(p.file.startsWith("/") ? p.file : join(cwd, p.file), "utf8");
      if (`sha256:${sha256Hex(text)}` !== p.spec_hash) {
        warn(`${p.file}: changed since the report was made (spec hash differs); no timeline for its windows`);
        continue;
      }
      out.set(p.spec_hash, loadPolicyText(text, p.file));
    } catch (err) {
      warn(`${p.file}: cannot read it (${(err as Error).message.split("\n")[0]}); no timeline for its windows`);
    }
  }
  return out;
}

async function timelineFor(w: HtmlWindow, report: Report, policies: Map<string, LoadedPolicy>, cwd: string, warn: (m: string) => void): Promise<HtmlWindow["timeline"]> {
  const base = w.base ? policies.get(w.base.policy.spec_hash) : null;
  const head = w.head ? policies.get(w.head.policy.spec_hash) : null;
  if (base === undefined || head === undefined) return null;
  const pinned = report.inputs.windows.find((x) => x.id === w.id);
  let src;
  try {
    src = await readWindowManifest(w.dir.startsWith("/") ? w.dir : join(cwd, w.dir));
  } catch {
    warn(`${w.dir}: window not found; no timeline for it`);
    return null;
  }
  if (pinned !== undefined && pinned.events.sha256 !== src.manifest.events.sha256) {
    warn(`${w.dir}: the window's events changed since the report was made; no timeline for it`);
    return null;
  }
  const compiled = [base, head].filter((p): p is LoadedPolicy => p !== null).map((p) => p.compiled);
  const binner = new TimelineBinner(src.startMs, src.endMs, compiled);
  const engines = compiled.map((c) => new Engine(c));
  await replayPass(src, { engines, observers: [binner] });
  const results = engines.map((e) => e.finish());
  const baseResult = base === null ? null : results[0]!;
  const headResult = head === null ? null : results[base === null ? 0 : 1]!;
  return timelineData(binner.finish(), baseResult, headResult);
}

/** The report with `timeline` on every window that lacked one and could be replayed. */
export async function attachTimelines(report: HtmlReport, cwd: string, warn: (m: string) => void): Promise<HtmlReport> {
  if (report.windows.every((w) => w.timeline != null)) return report;
  const policies = new Map([...(await loadSide(report.inputs.base, cwd, warn)), ...(await loadSide(report.inputs.head, cwd, warn))]);
  const windows: HtmlWindow[] = [];
  for (const w of report.windows) {
    windows.push(w.timeline != null ? w : { ...w, timeline: await timelineFor(w, report as Report, policies, cwd, warn) });
  }
  return { ...report, windows };
}
