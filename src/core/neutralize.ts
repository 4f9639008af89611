/**
 * The one neutraliser for untrusted text: every string that came from a window, a policy, a
 * config, a directory name, an argument or a (possibly forged) report passes through one of the
 * functions below before it reaches a terminal, a log line, a commit status, Markdown or HTML.
 * report.json itself keeps the original bytes.
 *
 * One core ({@link isUnsafeCodePoint}) decides which code points never reach any output raw:
 * C0 controls (ESC starts ANSI and OSC sequences, CR rewrites a line, LF starts a new one), DEL,
 * C1 controls, the line and paragraph separators, the bidi controls of "Trojan Source"
 * (U+202A–U+202E, U+2066–U+2069, U+200E/U+200F, U+061C) and lone surrogates. They become U+FFFD,
 * visibly. Each context adds what has a meaning there:
 *
 * - {@link forTerminal}: a terminal or CI log line; also `::` at the start of the text, which the
 *   GitHub runner reads as a workflow command (`::error::`, `::add-mask::`, `::stop-commands::`).
 * - {@link forGitHubText} / {@link forStatus}: plain text GitHub shows (a commit status
 *   description, an annotation): also mentions, issue autolinks and angle brackets.
 * - {@link forMarkdown} / {@link forMarkdownCode}: a comment or job summary.
 * - {@link forHtml}: the HTML report, text and quoted attribute values alike.
 *
 * Every function is linear in the length of its input.
 */
import { fitLine } from "./fit.js";
import { MAX_STATUS_CHARS } from "./limits.js";

/** What an unsafe code point becomes. */
export const REPLACEMENT = "\uFFFD";
/** Zero-width joiner: splits `@alice`, `#12`, `GH-12`, `::` and `://` so nothing links, notifies or commands. */
const ZWJ = "\u200D";

/** True for a code unit that must never reach any output raw (see the module comment). */
export function isUnsafeCodePoint(c: number): boolean {
  return c < 0x20 || (c >= 0x7f && c < 0xa0) || c === 0x2028 || c === 0x2029 || c === 0x200e || c === 0x200f || c === 0x061c || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

/**
 * The shared core: walks `text` by code unit, replaces unsafe code points and lone surrogates
 * with U+FFFD (or `keep` them: newline and tab inside a code block), and lets `map` rewrite the
 * remaining characters. `map` returns undefined to keep a character as it is.
 */
function scan(text: string, keep: (c: number) => boolean, map?: (ch: string, i: number) => string | undefined): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += text[i]! + text[i + 1]!;
        i++;
      } else out += REPLACEMENT;
      continue;
    }
    if (c >= 0xdc00 && c <= 0xdfff) {
      out += REPLACEMENT;
      continue;
    }
    if (isUnsafeCodePoint(c) && !keep(c)) {
      out += REPLACEMENT;
      continue;
    }
    const ch = text[i]!;
    out += map?.(ch, i) ?? ch;
  }
  return out;
}

const keepNothing = (): boolean => false;

/**
 * Where the leading white space ends: the runner trims it (.NET `TrimStart`, every Unicode space)
 * before it looks for `::`.
 */
function leadingSpaces(text: string): number {
  let i = 0;
  while (i < text.length && /\s/.test(text[i]!)) i++;
  return i;
}

/**
 * One line for a terminal or a CI log: no control character, no escape sequence, no bidi
 * control, and no `::` at its start (wherever the caller puts it on a line, it cannot begin a
 * workflow command).
 */
export function forTerminal(text: string): string {
  const command = text.startsWith("::", leadingSpaces(text)) ? leadingSpaces(text) : -1;
  return scan(text, keepNothing, (ch, i) => (i === command ? `:${ZWJ}` : undefined));
}

/** Is `text[i]` the `H` of a `GH-<digit>` autolink (`gh-12` too)? */
function ghAutolink(text: string, i: number): boolean {
  return (text[i] === "H" || text[i] === "h") && (text[i - 1] === "G" || text[i - 1] === "g") && text[i + 1] === "-" && /[0-9]/.test(text[i + 2] ?? "");
}

/**
 * Plain text GitHub shows outside Markdown (an annotation, a status description): a terminal line
 * that also mentions nobody, links no issue and carries no angle bracket (no HTML, no `<!--`
 * marker of ours).
 */
export function forGitHubText(text: string): string {
  const command = text.startsWith("::", leadingSpaces(text)) ? leadingSpaces(text) : -1;
  return scan(text, keepNothing, (ch, i) => {
    if (i === command) return `:${ZWJ}`;
    // Idempotent: text neutralised twice (a description, then the status) gains nothing more.
    if ((ch === "@" || ch === "#") && text[i + 1] !== ZWJ) return `${ch}${ZWJ}`;
    if (ch === "<") return "\u2039";
    if (ch === ">") return "\u203a";
    if (ghAutolink(text, i)) return `${ch}${ZWJ}`;
    return undefined;
  });
}

/** A commit status description: {@link forGitHubText}, cut to GitHub's {@link MAX_STATUS_CHARS} without splitting a character. */
export function forStatus(text: string): string {
  return fitLine(forGitHubText(text), MAX_STATUS_CHARS);
}

// Quotes need no entity in Markdown: untrusted text never goes into an HTML attribute there.
const MARKDOWN_ENTITIES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };
/** Characters with a Markdown meaning anywhere in a line; escaped wherever they appear. */
// `(` and `)` need no escape: a link needs `]` first, and `[`/`]` are always escaped.
const MARKDOWN_PUNCTUATION = new Set(["\\", "`", "*", "_", "[", "]", "|", "~"]);
/** Characters with a meaning only at the start of a line (lists, setext headings); escaped there. */
const LINE_START = new Set(["-", "+", "=", ">"]);
const isDigit = (ch: string | undefined): boolean => ch !== undefined && ch >= "0" && ch <= "9";

/**
 * Inline Markdown (a paragraph, a list item or a table cell): one line, inert. No markup, no
 * HTML, no mention or team ping, no `#12`/`GH-12` reference, no autolinked URL, no ordered-list
 * start (`1.`), no line break.
 */
export function forMarkdown(text: string): string {
  // Whether every character before the current one is a digit: `12.` or `3)` starts an ordered list.
  let digitsSoFar = true;
  const command = text.startsWith("::", leadingSpaces(text)) ? leadingSpaces(text) : -1;
  return scan(
    text,
    (c) => c === 0x09 || c === 0x0a || c === 0x0d,
    (ch, i) => {
      const onlyDigits = digitsSoFar;
      digitsSoFar &&= isDigit(ch);
      if (ch === "\n" || ch === "\r" || ch === "\t") return " ";
      const entity = MARKDOWN_ENTITIES[ch];
      if (entity !== undefined) return entity;
      if (ch === "@") return `@${ZWJ}`;
      if (ch === "#") return `\\#${ZWJ}`;
      if (ch === ":" && text[i + 1] === "/" && text[i + 2] === "/") return `:${ZWJ}`;
      if (i === command) return `:${ZWJ}`;
      if ((ch === "w" || ch === "W") && text.slice(i, i + 4).toLowerCase() === "www.") return `${ch}${ZWJ}`;
      if (ghAutolink(text, i)) return `${ch}${ZWJ}`;
      if (MARKDOWN_PUNCTUATION.has(ch) || (i === 0 && LINE_START.has(ch))) return `\\${ch}`;
      if ((ch === "." || ch === ")") && i > 0 && onlyDigits && (i + 1 === text.length || text[i + 1] === " ")) return `\\${ch}`;
      return undefined;
    },
  );
}

/** A fence longer than any run of backticks in `text`, so the text cannot close it. */
export function fenceFor(text: string): string {
  let longest = 0,
    run = 0;
  for (let i = 0; i < text.length; i++) {
    run = text[i] === "`" ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  return "`".repeat(Math.max(3, longest + 1));
}

/**
 * A fenced code block: lines and tabs kept, every other unsafe code point replaced; the fence is
 * longer than any backtick run inside, and mentions and HTML are inert inside a block.
 */
export function forMarkdownCode(text: string, language = ""): string {
  // The block may reach a log (the CLI prints Markdown; a diff's context line is ` ::…`): no line of it starts a workflow command.
  let blankSoFar = true;
  const body = scan(
    text,
    (c) => c === 0x0a || c === 0x09,
    (ch, i) => {
      const atStart = blankSoFar;
      blankSoFar = ch === "\n" || (blankSoFar && /\s/.test(ch));
      return atStart && ch === ":" && text[i + 1] === ":" ? `:${ZWJ}` : undefined;
    },
  );
  const fence = fenceFor(body);
  return `${fence}${language}\n${body.endsWith("\n") ? body : `${body}\n`}${fence}`;
}

const HTML_ENTITIES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "`": "&#96;" };

/**
 * Text for an HTML text node or a quoted attribute value, so `<script>` or `" onload=` is inert;
 * newline and tab kept (the page decides how to show them), every other unsafe code point replaced.
 */
export function forHtml(value: string | number): string {
  return scan(
    String(value),
    (c) => c === 0x09 || c === 0x0a,
    (ch) => HTML_ENTITIES[ch],
  );
}
