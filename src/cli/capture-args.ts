/** `replay-gate capture` arguments: parsed and checked before any file is read. */
import { parseArgs } from "node:util";
import { InputError } from "../core/errors.js";
import { SCOPE_KEYS, type ScopeKey } from "../core/event.js";
import { parseTimestamp } from "../core/time.js";
import { adapterNames, findAdapter, ADAPTERS } from "../io/capture/adapters/index.js";
import { CAPTURE_DEFAULTS, type CaptureArgs, type SourceArg } from "../io/capture/options.js";

export const CAPTURE_SYNOPSIS = "replay-gate capture --from [adapter:]<file>... --out <dir> [--mapping <file>] [--start <time>] [--end <time>] [--scope key=value]...";

/** The subcommand's help text. */
export const CAPTURE_USAGE = `${CAPTURE_SYNOPSIS}

Pins an incident window from telemetry exports: reads each source (plain or gzip, streamed),
normalizes its records to events, keeps those inside [--start, --end] and --scope, merges them
into one time-ordered stream (ties keep --from order, then line order), drops exact duplicates,
and writes <dir>/events.ndjson.gz (deterministic bytes) and <dir>/window.yaml.

sources:
  --from [adapter:]<file>   repeatable; the adapter is detected from the file when omitted
${ADAPTERS.map((a) => `      ${[a.name, ...a.aliases].join(", ").padEnd(22)} ${a.description}`).join("\n")}
  --mapping <file>          YAML mapping source fields to scope, source and attrs (docs/capture.md)

window:
  --out <dir>               the window directory to create; its name is the window id
  --start <time>, --end <time>   RFC 3339; default: the first and last event kept
  --scope key=value         keep only events whose scope matches (service, region, pop, host; * globs)
  --id <id>                 window id (default: the --out directory name)
  --title <text>            window title (default: derived from the sources)
  --tag <tag>               repeatable
  --captured-at <time>      pin captured_at (default: now), for byte-identical re-captures
  --force                   replace an existing window in --out

limits and safety:
  --workspace <dir>         sources, mapping and --out must lie inside it (default: the working directory)
  --library <dir>           windows to check for an identical events hash (default: the parent of --out)
  --max-bytes <n>           largest source, stored and unzipped (default 2GiB; suffixes KiB MiB GiB)
  --max-reject-fraction <x> unreadable records tolerated per source, 0..1 (default 0.01)
  --sort-buffer <n>         memory for sorting before spilling to temporary files (default 64MiB)
  --format text|json        the report on stdout
  --progress                show progress on stderr even when it is not a terminal`;

function usage(message: string): InputError {
  return new InputError([{ file: "replay-gate capture", message, hint: `usage: ${CAPTURE_SYNOPSIS} (see replay-gate capture --help)` }]);
}

const SIZE_UNITS: ReadonlyMap<string, number> = new Map([
  ["", 1],
  ["B", 1],
  ["KiB", 1024],
  ["MiB", 1024 ** 2],
  ["GiB", 1024 ** 3],
  ["TiB", 1024 ** 4],
]);

/** `2GiB`, `500MiB`, `1048576` → bytes. */
export function parseSize(text: string): number | undefined {
  let i = 0;
  while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
  if (i === 0 || i > 15) return undefined;
  const unit = SIZE_UNITS.get(text.slice(i));
  return unit === undefined ? undefined : Number(text.slice(0, i)) * unit;
}

function parseSource(spec: string): SourceArg {
  const colon = spec.indexOf(":");
  // A one-letter prefix is a Windows drive (C:\…), not an adapter.
  if (colon > 1) {
    const name = spec.slice(0, colon);
    if (/^[a-z][a-z0-9-]*$/.test(name)) {
      if (findAdapter(name) === undefined) throw usage(`--from ${spec}: unknown adapter "${name}"; known: ${adapterNames().join(", ")}`);
      const path = spec.slice(colon + 1);
      if (path.length === 0) throw usage(`--from ${spec}: give a file after the adapter`);
      return { adapter: name, path };
    }
  }
  return { adapter: undefined, path: spec };
}

function parseTime(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseTimestamp(text);
  if (ms === undefined) throw usage(`--${flag} ${text}: expected an RFC 3339 time like 2016-08-11T16:00:00Z`);
  return ms;
}

/** Parses `capture` argv (after the subcommand). Throws {@link InputError} on bad usage. */
export function parseCaptureArgv(argv: string[]): CaptureArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        from: { type: "string", multiple: true },
        out: { type: "string" },
        mapping: { type: "string" },
        start: { type: "string" },
        end: { type: "string" },
        scope: { type: "string", multiple: true },
        id: { type: "string" },
        title: { type: "string" },
        tag: { type: "string", multiple: true },
        "captured-at": { type: "string" },
        force: { type: "boolean" },
        workspace: { type: "string" },
        library: { type: "string" },
        "max-bytes": { type: "string" },
        "max-reject-fraction": { type: "string" },
        "sort-buffer": { type: "string" },
        format: { type: "string" },
        progress: { type: "boolean" },
      },
    });
  } catch (err) {
    throw usage((err as Error).message);
  }
  const v = parsed.values;
  if (!v.from || v.from.length === 0) throw usage("give at least one --from [adapter:]<file>");
  if (!v.out) throw usage("--out <dir> is required");
  const scope: Partial<Record<ScopeKey, string>> = {};
  for (const s of v.scope ?? []) {
    const eq = s.indexOf("=");
    const key = s.slice(0, eq) as ScopeKey;
    if (eq < 1 || !(SCOPE_KEYS as readonly string[]).includes(key) || eq === s.length - 1) {
      throw usage(`--scope ${s}: expected key=value with key one of ${SCOPE_KEYS.join(", ")}`);
    }
    if (scope[key] !== undefined) throw usage(`--scope ${key} is given twice`);
    scope[key] = s.slice(eq + 1);
  }
  const startMs = parseTime("start", v.start);
  const endMs = parseTime("end", v.end);
  if (startMs !== undefined && endMs !== undefined && endMs < startMs) throw usage("--end is before --start");
  const size = (flag: string, text: string | undefined, dflt: number) => {
    if (text === undefined) return dflt;
    const n = parseSize(text);
    if (n === undefined || n <= 0) throw usage(`--${flag} ${text}: expected a size like 2GiB, 500MiB or 1048576`);
    return n;
  };
  let maxRejectFraction: number = CAPTURE_DEFAULTS.maxRejectFraction;
  if (v["max-reject-fraction"] !== undefined) {
    const text = v["max-reject-fraction"];
    maxRejectFraction = Number(text);
    if (text.trim() === "" || !Number.isFinite(maxRejectFraction) || maxRejectFraction < 0 || maxRejectFraction > 1) {
      throw usage(`--max-reject-fraction ${text}: expected a number from 0 to 1`);
    }
  }
  const format = v.format ?? "text";
  if (format !== "text" && format !== "json") throw usage(`--format must be text or json, not "${format}"`);
  return {
    sources: v.from.map(parseSource),
    out: v.out,
    mapping: v.mapping,
    startMs,
    endMs,
    scope,
    id: v.id,
    title: v.title,
    tags: v.tag ?? [],
    capturedAtMs: parseTime("captured-at", v["captured-at"]),
    force: v.force ?? false,
    workspace: v.workspace,
    library: v.library,
    maxBytes: size("max-bytes", v["max-bytes"], CAPTURE_DEFAULTS.maxBytes),
    maxRejectFraction,
    sortBufferBytes: size("sort-buffer", v["sort-buffer"], CAPTURE_DEFAULTS.sortBufferBytes),
    format,
    progress: v.progress ?? false,
  };
}
