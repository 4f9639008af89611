/**
 * Label matchers as Alertmanager 0.25 parses and applies them (`pkg/labels/parse.go`,
 * `matcher.go`): `name="value"`, `!=`, `=~`, `!~`, quoted or not, several per string
 * separated by commas, optionally in braces. Regular expressions are RE2, anchored as
 * `^(?:re)$`, and run by re2js (linear time, no backtracking on untrusted patterns).
 * A missing label matches as the empty string.
 */
import { RE2JS } from "re2js";

export type MatchType = "=" | "!=" | "=~" | "!~";

export interface Matcher {
  readonly type: MatchType;
  readonly name: string;
  readonly value: string;
  /** Present for `=~` and `!~`. */
  readonly re?: RE2JS;
}

/** Compiles an RE2 pattern anchored as Alertmanager anchors it; returns the error text on failure. */
export function compileAnchored(pattern: string): RE2JS | string {
  try {
    return RE2JS.compile(`^(?:${pattern})$`);
  } catch (e) {
    return `error parsing regexp: ${(e as Error).message.replace(/^error parsing regexp: /, "")}`;
  }
}

/** A matcher; a regexp RE2 rejects is returned as its error text. */
export function newMatcher(type: MatchType, name: string, value: string): Matcher | string {
  if (type === "=~" || type === "!~") {
    const re = compileAnchored(value);
    if (typeof re === "string") return re;
    return { type, name, value, re };
  }
  return { type, name, value };
}

export function matchesValue(m: Matcher, s: string): boolean {
  switch (m.type) {
    case "=":
      return s === m.value;
    case "!=":
      return s !== m.value;
    case "=~":
      return m.re!.matches(s);
    case "!~":
      return !m.re!.matches(s);
  }
}

/** True when every matcher holds for the label set (a missing label is ""). */
export function matchesAll(ms: readonly Matcher[], labels: Readonly<Record<string, string>>): boolean {
  for (const m of ms) if (!matchesValue(m, Object.hasOwn(labels, m.name) ? labels[m.name]! : "")) return false;
  return true;
}

const GO_SPACE = new Set([" ", "\t", "\n", "\r", "\f", "\v"]);
function isNameStart(c: string): boolean {
  return (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "_" || c === ":";
}
function isNameChar(c: string): boolean {
  return isNameStart(c) || (c >= "0" && c <= "9");
}

/** `labels.ParseMatchers`: one string, possibly several matchers. */
export function parseMatchers(input: string): Matcher[] | string {
  let s = input.startsWith("{") ? input.slice(1) : input;
  if (s.endsWith("}")) s = s.slice(0, -1);
  const tokens: string[] = [];
  let inside = false;
  let escaped = false;
  let token = "";
  for (const r of s) {
    if (r === "," && !inside) {
      tokens.push(token);
      token = "";
      continue;
    }
    if (r === '"') {
      if (!escaped) inside = !inside;
      else escaped = false;
    } else if (r === "\\") escaped = !escaped;
    else escaped = false;
    token += r;
  }
  const last = trimGo(token);
  if (last !== "") tokens.push(last);
  const out: Matcher[] = [];
  for (const t of tokens) {
    const m = parseMatcher(t);
    if (typeof m === "string") return m;
    out.push(m);
  }
  return out;
}

function trimGo(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && GO_SPACE.has(s[a]!)) a++;
  while (b > a && GO_SPACE.has(s[b - 1]!)) b--;
  return s.slice(a, b);
}

/** `labels.ParseMatcher`, by hand instead of its regular expression (same accepted language). */
export function parseMatcher(s: string): Matcher | string {
  let i = 0;
  while (i < s.length && " \t\n\r\f\v".includes(s[i]!)) i++;
  const nameStart = i;
  if (i >= s.length || !isNameStart(s[i]!)) return `bad matcher format: ${s}`;
  while (i < s.length && isNameChar(s[i]!)) i++;
  const name = s.slice(nameStart, i);
  while (i < s.length && " \t\n\r\f\v".includes(s[i]!)) i++;
  let op: MatchType;
  if (s.startsWith("=~", i)) op = "=~";
  else if (s.startsWith("=", i)) op = "=";
  else if (s.startsWith("!=", i)) op = "!=";
  else if (s.startsWith("!~", i)) op = "!~";
  else return `bad matcher format: ${s}`;
  i += op.length;
  const rawFull = trimGo(s.slice(i));
  let raw = rawFull;
  let expectTrailingQuote = false;
  if (raw.startsWith('"')) {
    raw = raw.slice(1);
    expectTrailingQuote = true;
  }
  let value = "";
  let escaped = false;
  const chars = [...raw];
  for (let k = 0; k < chars.length; k++) {
    const r = chars[k]!;
    if (escaped) {
      escaped = false;
      if (r === "n") value += "\n";
      else if (r === '"' || r === "\\") value += r;
      else value += `\\${r}`;
      continue;
    }
    if (r === "\\") {
      if (k < chars.length - 1) {
        escaped = true;
        continue;
      }
      value += "\\";
    } else if (r === '"') {
      if (!expectTrailingQuote || k < chars.length - 1) return `matcher value contains unescaped double quote: ${rawFull}`;
      expectTrailingQuote = false;
    } else value += r;
  }
  if (expectTrailingQuote) return `matcher value contains unescaped double quote: ${rawFull}`;
  return newMatcher(op, name, value);
}

const TYPE_ORDER: Readonly<Record<MatchType, number>> = { "=": 0, "!=": 1, "=~": 2, "!~": 3 };

/** `labels.Matchers` sort order: name, then value, then type. */
export function compareMatchers(a: Matcher, b: Matcher): number {
  return compareGoStrings(a.name, b.name) || compareGoStrings(a.value, b.value) || TYPE_ORDER[a.type] - TYPE_ORDER[b.type];
}

/** Go's string order (UTF-8 bytes), which differs from UTF-16 code units above U+FFFF. */
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/** `Matcher.String()`: `name="value"` with OpenMetrics escaping, as in route keys. */
export function formatMatcher(m: Matcher): string {
  const v = m.value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
  return `${m.name}${m.type}"${v}"`;
}

/** `Matchers.String()`: `{a="1",b=~"x"}`. */
export function formatMatchers(ms: readonly Matcher[]): string {
  return `{${ms.map(formatMatcher).join(",")}}`;
}
