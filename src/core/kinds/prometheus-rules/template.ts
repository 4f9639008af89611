/**
 * The Go-template subset alert labels and annotations use in practice: `{{ $labels.x }}`,
 * `{{ $value }}`, `{{ $externalLabels.x }}`, `.Labels.x`/`.Value`, pipelines into `humanize`,
 * `humanizePercentage`, `humanizeDuration`, `printf`, `toUpper`, `toLower`, and `{{- -}}` trimming.
 * Anything else (`if`, `range`, `query`, variables…) is refused at compile time by name.
 */
import { compareStrings } from "../../compare.js";
import { formatGoExp, formatGoFixed, formatGoG } from "../../promql/format.js";

/** The data a template is rendered with. */
export interface TemplateData {
  readonly labels: Readonly<Record<string, string>>;
  readonly externalLabels: Readonly<Record<string, string>>;
  readonly value: number;
}

type Arg =
  | { readonly kind: "value" }
  | { readonly kind: "label"; readonly map: "labels" | "externalLabels"; readonly name: string }
  | { readonly kind: "map"; readonly map: "labels" | "externalLabels" }
  | { readonly kind: "string"; readonly s: string }
  | { readonly kind: "number"; readonly n: number };
interface Command {
  readonly fn: string | undefined;
  readonly args: readonly Arg[];
}
type Node = { readonly kind: "text"; readonly s: string } | { readonly kind: "action"; readonly pipeline: readonly Command[] };

/** A parsed template; `render` never fails. */
export interface Template {
  readonly source: string;
  render(data: TemplateData): string;
}

/** A template problem: offset into the source and what is wrong. */
export class TemplateError extends Error {
  constructor(
    readonly pos: number,
    message: string,
  ) {
    super(message);
    this.name = "TemplateError";
  }
}

const FUNCTIONS: ReadonlySet<string> = new Set(["humanize", "humanizePercentage", "humanizeDuration", "printf", "toUpper", "toLower"]);

/** Parses a template; throws {@link TemplateError} naming the unsupported construct. */
export function parseTemplate(source: string): Template {
  const nodes: Node[] = [];
  let i = 0;
  let trimNext = false;
  while (i < source.length) {
    const open = source.indexOf("{{", i);
    let text = source.slice(i, open < 0 ? source.length : open);
    if (trimNext) text = text.replace(/^\s+/, "");
    trimNext = false;
    if (open < 0) {
      if (text) nodes.push({ kind: "text", s: text });
      break;
    }
    let start = open + 2;
    if (source.startsWith("- ", start) || source.startsWith("-\t", start) || source.startsWith("-\n", start)) {
      text = text.replace(/\s+$/, "");
      start += 1;
    }
    if (text) nodes.push({ kind: "text", s: text });
    const close = findClose(source, start);
    if (close < 0) throw new TemplateError(open, "unclosed action: missing }}");
    let end = close;
    if (/\s-$/.test(source.slice(start, close))) {
      end = close - 1;
      trimNext = true;
    }
    const body = source.slice(start, end);
    if (!body.trim().startsWith("/*")) nodes.push({ kind: "action", pipeline: parsePipeline(body, start) });
    i = close + 2;
  }
  return { source, render: (data) => nodes.map((n) => (n.kind === "text" ? n.s : renderPipeline(n.pipeline, data))).join("") };
}

function findClose(s: string, from: number): number {
  let q: string | undefined;
  for (let i = from; i < s.length - 1; i++) {
    const c = s[i]!;
    if (q !== undefined) {
      if (c === "\\" && q === '"') i++;
      else if (c === q) q = undefined;
    } else if (c === '"' || c === "`") q = c;
    else if (c === "}" && s[i + 1] === "}") return i;
  }
  return -1;
}

interface Token {
  readonly s: string;
  readonly pos: number;
}

function tokenize(body: string, base: number): Token[] {
  const out: Token[] = [];
  const re = /\s*("(?:[^"\\]|\\.)*"|`[^`]*`|\||[^\s|]+)/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(body)) !== null) {
    if (m[1] === undefined) break;
    out.push({ s: m[1], pos: base + m.index + m[0].length - m[1].length });
  }
  return out;
}

function parsePipeline(body: string, base: number): Command[] {
  const tokens = tokenize(body, base);
  if (tokens.length === 0) throw new TemplateError(base, "empty action {{ }}");
  const cmds: Command[] = [];
  let cur: Token[] = [];
  const flush = () => {
    if (cur.length === 0) throw new TemplateError(base, "missing command in pipeline");
    cmds.push(parseCommand(cur, cmds.length > 0));
    cur = [];
  };
  for (const t of tokens) {
    if (t.s === "|") flush();
    else cur.push(t);
  }
  flush();
  return cmds;
}

function parseCommand(tokens: Token[], piped: boolean): Command {
  const head = tokens[0]!;
  if (/^[A-Za-z_]\w*$/.test(head.s)) {
    if (!FUNCTIONS.has(head.s)) throw new TemplateError(head.pos, `template function or keyword "${head.s}" is not supported`);
    const args = tokens.slice(1).map(parseArg);
    const arity = args.length + (piped ? 1 : 0);
    if (head.s === "printf" ? arity < 1 : arity !== 1) throw new TemplateError(head.pos, `wrong number of arguments for ${head.s}`);
    return { fn: head.s, args };
  }
  if (tokens.length > 1 || piped) throw new TemplateError(tokens[1]?.pos ?? head.pos, `unexpected ${JSON.stringify((tokens[1] ?? head).s)} in action`);
  return { fn: undefined, args: [parseArg(head)] };
}

function parseArg(t: Token): Arg {
  const s = t.s;
  if (s === "$value" || s === ".Value") return { kind: "value" };
  if (s === "$labels" || s === ".Labels") return { kind: "map", map: "labels" };
  if (s === "$externalLabels" || s === ".ExternalLabels") return { kind: "map", map: "externalLabels" };
  const lm = /^(\$labels|\.Labels|\$externalLabels|\.ExternalLabels)\.([A-Za-z_]\w*)$/.exec(s);
  if (lm !== null) return { kind: "label", map: lm[1]!.toLowerCase().includes("external") ? "externalLabels" : "labels", name: lm[2]! };
  if (s.startsWith('"')) {
    try {
      return { kind: "string", s: JSON.parse(s) as string };
    } catch {
      throw new TemplateError(t.pos, `invalid string ${s}`);
    }
  }
  if (s.startsWith("`")) return { kind: "string", s: s.slice(1, -1) };
  if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(s)) return { kind: "number", n: Number(s) };
  throw new TemplateError(t.pos, `template term ${JSON.stringify(s)} is not supported`);
}

type Val =
  | { readonly t: "float"; readonly v: number }
  | { readonly t: "int"; readonly v: number }
  | { readonly t: "string"; readonly v: string }
  | { readonly t: "map"; readonly v: Readonly<Record<string, string>> }
  | { readonly t: "none" };

function argValue(a: Arg, data: TemplateData): Val {
  switch (a.kind) {
    case "value":
      return { t: "float", v: data.value };
    case "label": {
      const m = a.map === "labels" ? data.labels : data.externalLabels;
      const v = Object.hasOwn(m, a.name) ? m[a.name] : undefined;
      // Prometheus renders templates with missingkey=zero: a missing label is "".
      return { t: "string", v: v ?? "" };
    }
    case "map":
      return { t: "map", v: a.map === "labels" ? data.labels : data.externalLabels };
    case "string":
      return { t: "string", v: a.s };
    case "number":
      return Number.isInteger(a.n) ? { t: "int", v: a.n } : { t: "float", v: a.n };
  }
}

function print(v: Val): string {
  switch (v.t) {
    case "float":
      return formatGoG(v.v);
    case "int":
      return String(v.v);
    case "string":
      return v.v;
    case "none":
      return "<no value>";
    case "map":
      return `map[${Object.keys(v.v)
        .sort(compareStrings)
        .map((k) => `${k}:${v.v[k]}`)
        .join(" ")}]`;
  }
}

function toFloat(v: Val): number {
  if (v.t === "float" || v.t === "int") return v.v;
  if (v.t === "string") return Number(v.v);
  return NaN;
}

function renderPipeline(cmds: readonly Command[], data: TemplateData): string {
  let prev: Val | undefined;
  for (const c of cmds) {
    const args = c.args.map((a) => argValue(a, data));
    if (prev !== undefined) args.push(prev);
    if (c.fn === undefined) {
      prev = args[0]!;
      continue;
    }
    prev = { t: "string", v: callFn(c.fn, args) };
  }
  return prev === undefined ? "" : print(prev);
}

function callFn(fn: string, args: Val[]): string {
  switch (fn) {
    case "humanize":
      return humanize(toFloat(args[0]!));
    case "humanizePercentage":
      return `${formatGoG(toFloat(args[0]!) * 100, 4)}%`;
    case "humanizeDuration":
      return humanizeDuration(toFloat(args[0]!));
    case "toUpper":
      return print(args[0]!).toUpperCase();
    case "toLower":
      return print(args[0]!).toLowerCase();
    case "printf":
      return sprintf(print(args[0]!), args.slice(1));
    default:
      return "";
  }
}

/** Prometheus' `humanize`: SI prefixes, four significant digits. */
export function humanize(v: number): string {
  if (v === 0 || !Number.isFinite(v)) return formatGoG(v, 4);
  if (Math.abs(v) >= 1) {
    let prefix = "";
    for (const p of ["k", "M", "G", "T", "P", "E", "Z", "Y"]) {
      if (Math.abs(v) < 1000) break;
      prefix = p;
      v /= 1000;
    }
    return formatGoG(v, 4) + prefix;
  }
  let prefix = "";
  for (const p of ["m", "u", "n", "p", "f", "a", "z", "y"]) {
    if (Math.abs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return formatGoG(v, 4) + prefix;
}

/** Prometheus' `humanizeDuration` (seconds in). */
export function humanizeDuration(v: number): string {
  if (!Number.isFinite(v)) return formatGoG(v, 4);
  if (v === 0) return `${formatGoG(v, 4)}s`;
  if (Math.abs(v) >= 1) {
    const sign = v < 0 ? "-" : "";
    v = Math.abs(v);
    const d = Math.trunc(v);
    const seconds = d % 60,
      minutes = Math.trunc(d / 60) % 60,
      hours = Math.trunc(d / 3600) % 24,
      days = Math.trunc(d / 86400);
    if (days !== 0) return `${sign}${days}d ${hours}h ${minutes}m ${seconds}s`;
    if (hours !== 0) return `${sign}${hours}h ${minutes}m ${seconds}s`;
    if (minutes !== 0) return `${sign}${minutes}m ${seconds}s`;
    return `${sign}${formatGoG(v, 4)}s`;
  }
  let prefix = "";
  for (const p of ["m", "u", "n", "p", "f", "a", "z", "y"]) {
    if (Math.abs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return `${formatGoG(v, 4)}${prefix}s`;
}

/** Go's fmt.Sprintf for the verbs templates use: %s %v %d %f %g %e %q %%, with precision. */
function sprintf(format: string, args: readonly Val[]): string {
  let ai = 0;
  return format.replace(/%(-?\d*)(?:\.(\d+))?([svdfgeq%])/g, (_m, width: string, precStr: string | undefined, verb: string) => {
    if (verb === "%") return "%";
    const a = args[ai++];
    if (a === undefined) return `%!${verb}(MISSING)`;
    const prec = precStr === undefined ? undefined : Number(precStr);
    let s: string;
    switch (verb) {
      case "s":
      case "v":
        s = a.t === "float" && prec !== undefined ? formatGoG(a.v, prec) : print(a);
        break;
      case "q":
        s = JSON.stringify(print(a));
        break;
      case "d":
        s = a.t === "int" ? String(a.v) : `%!d(${goType(a)}=${print(a)})`;
        break;
      case "f":
        s = a.t === "float" || a.t === "int" ? formatGoFixed(a.v, prec ?? 6) : `%!f(${goType(a)}=${print(a)})`;
        break;
      case "e":
        s = a.t === "float" || a.t === "int" ? formatGoExp(a.v, prec ?? 6) : `%!e(${goType(a)}=${print(a)})`;
        break;
      default:
        s = a.t === "float" || a.t === "int" ? formatGoG(a.v, prec) : `%!g(${goType(a)}=${print(a)})`;
    }
    const w = width === "" ? 0 : Number(width);
    if (Math.abs(w) > s.length) s = w < 0 ? s.padEnd(-w) : s.padStart(w);
    return s;
  });
}

function goType(v: Val): string {
  return v.t === "float" ? "float64" : v.t === "int" ? "int" : v.t === "string" ? "string" : v.t === "map" ? "map[string]string" : "<nil>";
}
