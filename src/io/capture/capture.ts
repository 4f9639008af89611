/**
 * `replay-gate capture`: pin an incident window from telemetry exports (issue 6).
 *
 * Order of work: check every argument and source (nothing read yet) → stream each source
 * through its adapter and the mapping → filter by time and scope → sort with bounded memory →
 * drop exact duplicates → write `events.ndjson.gz` to a staging directory → if the library
 * already holds a window with these events, report it and write nothing → else move the
 * window into place. A failure at any point leaves no partial window behind.
 */
import { mkdir, mkdtemp, readdir, readFile, realpath, rename, rm, stat, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative, resolve } from "node:path";
import { compileMapping, compileScopeFilter, DEFAULT_MAPPING, mappingSchema, type CaptureMapping } from "../../core/capture/mapping.js";
import { renderManifest } from "../../core/capture/manifest-text.js";
import type { CaptureRecord } from "../../core/capture/record.js";
import { serializeEvent } from "../../core/capture/serialize.js";
import { fail, InputError, type Problem } from "../../core/errors.js";
import { SCOPE_KEYS, SIGNALS, type NormalizedEvent, type Scope, type ScopeKey, type Signal } from "../../core/event.js";
import { sha256Hex } from "../../core/hash.js";
import { formatTimestamp } from "../../core/time.js";
import { TOOL } from "../../core/version.js";
import { manifestSchema, type WindowManifest } from "../../core/window/manifest.js";
import { parseYaml, validateYaml } from "../../core/yaml.js";
import { forEachLine } from "../lines.js";
import type { AdapterContext } from "./adapters/types.js";
import type { CaptureArgs } from "./options.js";
import { findWindowWithHash } from "./library.js";
import { inspectSource, newSourceHash, readSource, resolveInWorkspace, type InspectedSource } from "./source.js";
import { ExternalSorter } from "./sort.js";
import { writeEventsGz, type WrittenEvents } from "./write.js";
import { appendAll } from "../../core/arrays.js";
import { forTerminal } from "../../core/neutralize.js";

export { CAPTURE_DEFAULTS, type CaptureArgs, type SourceArg } from "./options.js";

/** What capture needs from its process (a CLI `CliIo` fits). */
export interface CaptureIo {
  /** Base of relative paths and the default workspace. */
  readonly cwd: string;
  /** Progress lines and warnings. */
  readonly stderr: (text: string) => void;
  /** Progress is shown only on a terminal (or with `--progress`). */
  readonly stderrIsTTY: boolean;
  /** Clock, ms UTC, for `captured_at` and progress pacing. Default: Date.now. */
  readonly now?: (() => number) | undefined;
  /** Directory for sort spill files. Default: the OS temporary directory. */
  readonly tmpdir?: string | undefined;
}

/** Per source, what was read. */
export interface SourceReport {
  readonly adapter: string;
  /** As the user named it. */
  readonly path: string;
  /** sha256 of the file as stored. */
  readonly sha256: string;
  /** Size as stored. */
  readonly bytes: number;
  /** Records the adapter produced (before time and scope filters). */
  readonly records: number;
  /** Records it could not read. */
  readonly rejected: number;
  /** Valid records that carry no event (keepalives, RIB entries). */
  readonly ignored: number;
  /** Re-sent copies the adapter recognized (Alertmanager). */
  readonly resent: number;
}

/** One unreadable record, located. */
export interface RejectSample {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/** Events left out, by reason. */
export interface DroppedCounts {
  readonly duplicates: number;
  readonly out_of_range: number;
  readonly out_of_scope: number;
}

interface OutcomeCommon {
  /** The window directory as the user named it. */
  readonly dir: string;
  readonly sources: readonly SourceReport[];
  /** At most {@link MAX_REJECT_SAMPLES} per source. */
  readonly rejects: readonly RejectSample[];
  readonly dropped: DroppedCounts;
  /** Sorted runs spilled to temporary files (0 when the capture fit in memory). */
  readonly spills: number;
}

/** The result of a capture: a window written, or an identical one found. */
export type CaptureOutcome =
  | (OutcomeCommon & { readonly kind: "written"; readonly manifest: WindowManifest })
  | (OutcomeCommon & { readonly kind: "duplicate"; readonly existing: string; readonly sha256: string; readonly count: number });

/** Rejected records listed per source; the rest are counted. */
export const MAX_REJECT_SAMPLES = 10;
const EVENTS_FILE = "events.ndjson.gz";
const PROGRESS_EVERY_MS = 500;
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

async function loadMapping(path: string | undefined, workspace: string, cwd: string): Promise<{ mapping: CaptureMapping; info?: { path: string; sha256: string } }> {
  if (path === undefined) return { mapping: DEFAULT_MAPPING };
  const abs = await resolveInWorkspace(workspace, cwd, path, "the mapping file");
  let bytes: Buffer;
  try {
    bytes = await readFile(abs);
  } catch {
    fail({ file: path, message: "cannot read the mapping file", hint: "check the path after --mapping" });
  }
  const mapping = validateYaml(parseYaml(bytes.toString("utf8"), path), mappingSchema);
  return { mapping, info: { path: path.replace(/\\/g, "/"), sha256: sha256Hex(bytes) } };
}

async function checkOut(outAbs: string, out: string, force: boolean): Promise<boolean> {
  let info;
  try {
    info = await stat(outAbs);
  } catch {
    return false;
  }
  if (!info.isDirectory()) fail({ file: out, message: "--out exists and is not a directory", hint: "choose a new directory for the window" });
  const names = await readdir(outAbs);
  if (names.length === 0) return true;
  if (!names.includes("window.yaml")) fail({ file: out, message: "--out is a non-empty directory that is not a window", hint: "choose a new directory for the window" });
  if (!force) fail({ file: out, message: "a window already exists here", hint: "pass --force to replace it, or choose another --out" });
  return true;
}

function commonScope(common: Map<ScopeKey, string | null>): Scope {
  const scope: { -readonly [K in ScopeKey]?: string } = {};
  for (const k of SCOPE_KEYS) {
    const v = common.get(k);
    if (typeof v === "string") scope[k] = v;
  }
  return scope;
}

/** Runs a capture. Throws {@link InputError} for anything the user must fix (exit 2). */
export async function runCapture(args: CaptureArgs, io: CaptureIo): Promise<CaptureOutcome> {
  const now = io.now ?? Date.now;
  const cwd = io.cwd;
  let workspace: string;
  try {
    workspace = await realpath(resolve(cwd, args.workspace ?? "."));
  } catch {
    fail({ file: args.workspace ?? cwd, message: "the workspace directory does not exist", hint: "--workspace names an existing directory" });
  }
  const outAbs = await resolveInWorkspace(workspace, cwd, args.out, "--out");
  const id = args.id ?? basename(outAbs);
  if (!ID_PATTERN.test(id)) {
    fail({ file: "replay-gate capture", message: `window id "${id}" must be letters, digits, '.', '_' and '-' (at most 128)`, hint: "rename the --out directory or pass --id" });
  }
  const outExists = await checkOut(outAbs, args.out, args.force);
  const { mapping, info: mappingInfo } = await loadMapping(args.mapping, workspace, cwd);
  const sources: InspectedSource[] = [];
  for (const [i, arg] of args.sources.entries()) sources.push(await inspectSource(arg, i, { workspace, cwd, maxBytes: args.maxBytes }));

  const mapRecord = compileMapping(mapping);
  const inScope = compileScopeFilter(args.scope);
  const sorter = new ExternalSorter(args.sortBufferBytes, io.tmpdir ?? tmpdir());
  const showProgress = args.progress || io.stderrIsTTY;
  let lastProgress = 0;
  let kept = 0;
  let outOfRange = 0,
    outOfScope = 0,
    adapterDuplicates = 0;
  let minTs = Number.POSITIVE_INFINITY,
    maxTs = Number.NEGATIVE_INFINITY;
  const signals = new Set<Signal>();
  const agreed = new Map<ScopeKey, string | null>();
  const reports: SourceReport[] = [];
  const rejects: RejectSample[] = [];
  const shared = new Map<string, Map<string, unknown>>();
  const { startMs, endMs } = args;

  // Progress: sources done / total, records/s since the start and, when every source is plain
  // text (its read bytes are its stored bytes), the time left at the byte rate so far.
  const startedAt = now();
  const totalBytes = sources.reduce((n, s) => n + s.bytes, 0);
  const plainOnly = sources.every((s) => !s.gzip);
  let bytesBefore = 0,
    recordsBefore = 0;
  try {
    for (const src of sources) {
      let records = 0,
        rejected = 0,
        ignored = 0,
        resent = 0,
        lineNo = 0;
      const samples: RejectSample[] = [];
      const reject = (line: number, message: string) => {
        rejected++;
        if (samples.length < MAX_REJECT_SAMPLES) samples.push({ file: src.display, line, message });
      };
      let adapterState = shared.get(src.adapter.name);
      if (adapterState === undefined) shared.set(src.adapter.name, (adapterState = new Map()));
      const ctx: AdapterContext = {
        file: src.display,
        shared: adapterState,
        reject,
        duplicate: () => void resent++,
        ignore: () => void ignored++,
        emit(r: CaptureRecord) {
          if (r.name.length === 0) {
            reject(lineNo, "the record has an empty name");
            return;
          }
          records++;
          if ((startMs !== undefined && r.ts < startMs) || (endMs !== undefined && r.ts > endMs)) {
            outOfRange++;
            return;
          }
          const parts = mapRecord(r);
          if (!inScope(parts.scope)) {
            outOfScope++;
            return;
          }
          const event: NormalizedEvent = {
            ts: r.ts,
            signal: r.signal,
            name: r.name,
            scope: parts.scope,
            ...(parts.source !== undefined ? { source: parts.source } : {}),
            ...(r.value !== undefined && Number.isFinite(r.value) ? { value: r.value } : {}),
            ...(r.severity !== undefined ? { severity: r.severity } : {}),
            ...(parts.attrs !== undefined ? { attrs: parts.attrs } : {}),
            ...(r.labels !== undefined ? { labels: r.labels } : {}),
            ...(r.annotations !== undefined ? { annotations: r.annotations } : {}),
            ...(r.starts_at !== undefined ? { starts_at: r.starts_at } : {}),
            ...(r.ends_at !== undefined ? { ends_at: r.ends_at } : {}),
          };
          sorter.push(r.ts, serializeEvent(event));
          kept++;
          if (r.ts < minTs) minTs = r.ts;
          if (r.ts > maxTs) maxTs = r.ts;
          signals.add(r.signal);
          if (kept === 1) for (const k of SCOPE_KEYS) agreed.set(k, parts.scope[k] ?? null);
          else for (const k of SCOPE_KEYS) if (agreed.get(k) !== null && agreed.get(k) !== parts.scope[k]) agreed.set(k, null);
        },
      };
      const parser = src.adapter.createParser(ctx);
      const hash = newSourceHash();
      let readBytes = 0;
      const chunks = async function* () {
        for await (const chunk of readSource(src, hash, args.maxBytes, (n) => (readBytes = n))) {
          yield chunk;
          if (showProgress && now() - lastProgress >= PROGRESS_EVERY_MS) {
            lastProgress = now();
            const seconds = (now() - startedAt) / 1000;
            const rate = seconds > 0 ? (recordsBefore + records + rejected) / seconds : 0;
            const byteRate = seconds > 0 ? (bytesBefore + readBytes) / seconds : 0;
            const eta = plainOnly && byteRate > 0 ? ` · ETA ${Math.max(0, Math.round((totalBytes - bytesBefore - readBytes) / byteRate))} s` : "";
            io.stderr(
              `\r\u001b[2Kcapture: ${forTerminal(src.display)}: source ${src.index + 1}/${sources.length} · ${(readBytes / 1048576).toFixed(1)} MiB read · ${kept} events kept · ${Math.round(rate)} records/s${eta}`,
            );
          }
        }
      };
      await forEachLine(
        chunks(),
        (text, n) => {
          lineNo = n;
          parser.line(text, n);
        },
        { strictUtf8: false },
      );
      parser.end();
      adapterDuplicates += resent;
      bytesBefore += src.bytes;
      recordsBefore += records + rejected;
      reports.push({ adapter: src.adapter.name, path: src.display, sha256: hash.digest("hex"), bytes: src.bytes, records, rejected, ignored, resent });
      appendAll(rejects, samples);
      const fraction = rejected / Math.max(1, records + rejected);
      if (rejected > 0 && fraction > args.maxRejectFraction) {
        const problems: Problem[] = samples.map((s) => ({ file: s.file, line: s.line, message: s.message }));
        problems.push({
          file: src.display,
          message: `${rejected} of ${records + rejected} records could not be read (${(fraction * 100).toFixed(2)}%), over --max-reject-fraction ${args.maxRejectFraction}`,
          hint: "check the adapter and the file; if the losses are acceptable, raise --max-reject-fraction",
        });
        throw new InputError(problems);
      }
    }
    if (showProgress) io.stderr("\r\u001b[2K");
    if (kept === 0) {
      fail({
        file: "replay-gate capture",
        message: `no events left to pin: ${outOfRange} outside --start/--end, ${outOfScope} outside --scope, of ${reports.reduce((n, r) => n + r.records, 0)} records`,
        hint: "widen --start/--end or --scope, or check the mapping's scope rules",
      });
    }
    await mkdir(dirname(outAbs), { recursive: true });
    const staging = await mkdtemp(join(dirname(outAbs), `.${id}.capture-`));
    try {
      const written = await writeEventsGz(sorter.merged(), join(staging, EVENTS_FILE));
      const dropped: DroppedCounts = { duplicates: sorter.duplicates + adapterDuplicates, out_of_range: outOfRange, out_of_scope: outOfScope };
      const base = { dir: args.out, sources: reports, rejects, dropped, spills: sorter.spills };
      const library = resolve(cwd, args.library ?? dirname(args.out));
      const existing = await findWindowWithHash(library, written.sha256, [outAbs, staging]);
      if (existing !== undefined) {
        return { kind: "duplicate", ...base, existing: relative(cwd, existing).replace(/\\/g, "/") || ".", sha256: written.sha256, count: written.count };
      }
      const manifest = buildManifest(args, {
        id,
        capturedAtMs: args.capturedAtMs ?? now(),
        startMs: startMs ?? minTs,
        endMs: endMs ?? maxTs,
        scope: commonScope(agreed),
        signals,
        written,
        reports,
        mappingInfo,
        dropped,
      });
      await writeFile(join(staging, "window.yaml"), renderManifest(manifest), { flag: "wx" });
      await moveIntoPlace(staging, outAbs, outExists);
      return { kind: "written", ...base, manifest };
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  } finally {
    await sorter.cleanup();
  }
}

interface ManifestParts {
  readonly id: string;
  readonly capturedAtMs: number;
  readonly startMs: number;
  readonly endMs: number;
  readonly scope: Scope;
  readonly signals: ReadonlySet<Signal>;
  readonly written: WrittenEvents;
  readonly reports: readonly SourceReport[];
  readonly mappingInfo: { path: string; sha256: string } | undefined;
  readonly dropped: DroppedCounts;
}

function defaultTitle(reports: readonly SourceReport[]): string {
  const names = [...new Set(reports.map((r) => r.path.slice(r.path.lastIndexOf("/") + 1)))];
  const title = `captured from ${names.join(", ")}`;
  return title.length > 200 ? `${title.slice(0, 197)}...` : title;
}

function buildManifest(args: CaptureArgs, p: ManifestParts): WindowManifest {
  const manifest: WindowManifest = {
    id: p.id,
    title: args.title ?? defaultTitle(p.reports),
    captured_at: formatTimestamp(Math.floor(p.capturedAtMs / 1000) * 1000),
    start: formatTimestamp(p.startMs),
    end: formatTimestamp(p.endMs),
    scope: { ...p.scope },
    signals: SIGNALS.filter((s) => p.signals.has(s)),
    events: { path: EVENTS_FILE, sha256: p.written.sha256, count: p.written.count, bytes: p.written.bytes, uncompressed_bytes: p.written.uncompressedBytes },
    ...(args.tags.length > 0 ? { tags: [...args.tags] } : {}),
    capture: {
      tool: `${TOOL.name} ${TOOL.version}`,
      sources: p.reports.map((r) => ({ adapter: r.adapter, path: r.path, sha256: r.sha256, bytes: r.bytes, records: r.records, rejected: r.rejected })),
      ...(p.mappingInfo ? { mapping: p.mappingInfo } : {}),
      ...(Object.keys(args.scope).length > 0 ? { scope_filter: { ...args.scope } } : {}),
      max_reject_fraction: args.maxRejectFraction,
      duplicates_dropped: p.dropped.duplicates,
      out_of_range_dropped: p.dropped.out_of_range,
      out_of_scope_dropped: p.dropped.out_of_scope,
    },
  };
  const checked = manifestSchema.safeParse(manifest);
  if (!checked.success) throw new Error(`capture built an invalid manifest: ${checked.error.message}`);
  return manifest;
}

/** Moves the staged window to `out`: one rename when `out` is new, file by file when replacing. */
async function moveIntoPlace(staging: string, outAbs: string, outExists: boolean): Promise<void> {
  if (!outExists) {
    await rename(staging, outAbs);
    return;
  }
  // Replace only what a window holds; anything else in the directory was refused earlier.
  await unlink(join(outAbs, "events.ndjson")).catch(() => undefined);
  await rename(join(staging, EVENTS_FILE), join(outAbs, EVENTS_FILE));
  await rename(join(staging, "window.yaml"), join(outAbs, "window.yaml"));
}

function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** The outcome for people (`text`) or scripts (`json`). */
export function renderCaptureOutcome(outcome: CaptureOutcome, format: "text" | "json"): string {
  if (format === "json") return JSON.stringify(outcome, null, 2) + "\n";
  const lines: string[] = [];
  switch (outcome.kind) {
    case "written": {
      const m = outcome.manifest;
      const scope =
        SCOPE_KEYS.filter((k) => m.scope[k] !== undefined)
          .map((k) => `${k}=${forTerminal(String(m.scope[k]))}`)
          .join(" ") || "(none)";
      lines.push(`captured window ${forTerminal(m.id)} in ${forTerminal(outcome.dir)}: ${formatCount(m.events.count)} events, ${formatCount(m.events.bytes)} bytes, sha256 ${m.events.sha256}`);
      lines.push(`  ${forTerminal(m.start)} .. ${forTerminal(m.end)} · scope ${scope} · signals ${m.signals.map(forTerminal).join(", ")}`);
      break;
    }
    case "duplicate":
      lines.push(`not written: ${forTerminal(outcome.existing)} already pins these ${formatCount(outcome.count)} events (sha256 ${outcome.sha256})`);
      break;
    default: {
      const never: never = outcome;
      throw new Error(`unknown outcome ${String(never)}`);
    }
  }
  for (const s of outcome.sources) {
    const extra = [s.ignored > 0 ? `${formatCount(s.ignored)} ignored` : "", s.resent > 0 ? `${formatCount(s.resent)} re-sent` : ""].filter(Boolean).join(", ");
    lines.push(`  source ${s.adapter}:${forTerminal(s.path)}: ${formatCount(s.records)} records, ${formatCount(s.rejected)} rejected${extra ? `, ${extra}` : ""}`);
  }
  const d = outcome.dropped;
  lines.push(`  dropped: ${formatCount(d.duplicates)} duplicates, ${formatCount(d.out_of_range)} outside the time range, ${formatCount(d.out_of_scope)} outside the scope`);
  if (outcome.rejects.length > 0) {
    lines.push("  unreadable records:");
    for (const r of outcome.rejects) lines.push(`    ${forTerminal(r.file)}:${r.line}: ${forTerminal(r.message)}`);
  }
  return lines.join("\n") + "\n";
}

/** Exit code for an outcome: both a new window and an existing identical one are success. */
export function captureExitCode(_outcome: CaptureOutcome): number {
  return 0;
}
