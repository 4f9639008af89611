/**
 * Making untrusted text (window titles, ids, rule ids, labels, policy text) inert in GitHub
 * Markdown. Everything that came from a file goes through one of these before it reaches a
 * comment: no markup, no HTML, no @mentions or #references that notify, no autolinks, no raw
 * text in HTML attributes (the renderer never builds an attribute from input).
 */

/** Zero-width joiner: splits `@alice`, `#12` and `://` so GitHub does not link or notify. */
const ZWJ = "\u200D";

// Quotes need no entity: untrusted text never goes into an HTML attribute.
const HTML_ENTITIES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };
/** Characters with a Markdown meaning anywhere in a line; escaped wherever they appear. */
// `(` and `)` need no escape: a link needs `]` first, and `[`/`]` are always escaped.
const MARKDOWN_PUNCTUATION = new Set(["\\", "`", "*", "_", "[", "]", "|", "~"]);
/** Characters with a meaning only at the start of a line (lists, setext headings); escaped there. */
const LINE_START = new Set(["-", "+", "=", ">"]);

/** Escapes text for inline Markdown (a paragraph, a list item or a table cell): one line, inert. */
export function escapeMarkdown(text: string): string {
  let out = "";
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    const c = ch.codePointAt(0)!;
    if (c === 0x0a || c === 0x0d || c === 0x09) out += " ";
    else if (c < 0x20 || (c >= 0x7f && c < 0xa0) || c === 0x2028 || c === 0x2029 || c === 0x200e || c === 0x200f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) out += "\uFFFD";
    else if (Object.hasOwn(HTML_ENTITIES, ch)) out += HTML_ENTITIES[ch];
    else if (ch === "@") out += `@${ZWJ}`;
    else if (ch === "#") out += `\\#${ZWJ}`;
    else if (ch === ":" && chars[i + 1] === "/" && chars[i + 2] === "/") out += `:${ZWJ}`;
    else if ((ch === "w" || ch === "W") && chars.slice(i, i + 4).join("").toLowerCase() === "www.") out += `${ch}${ZWJ}`;
    else if (MARKDOWN_PUNCTUATION.has(ch) || (i === 0 && LINE_START.has(ch))) out += `\\${ch}`;
    else if ((ch === "." || ch === ")") && i > 0 && (i + 1 === chars.length || chars[i + 1] === " ") && /^[0-9]+$/.test(chars.slice(0, i).join(""))) out += `\\${ch}`;
    else out += ch;
  }
  return out;
}

/** A fence longer than any run of backticks in `text`, so the text cannot close it. */
export function fenceFor(text: string): string {
  let longest = 0, run = 0;
  for (const ch of text) {
    run = ch === "`" ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  return "`".repeat(Math.max(3, longest + 1));
}

/** Text for a fenced code block: control characters replaced; fences and mentions are inert inside a block. */
export function codeBlock(text: string, language = ""): string {
  let body = "";
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    body += (c < 0x20 && c !== 0x0a && c !== 0x09) || (c >= 0x7f && c < 0xa0) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) ? "\uFFFD" : ch;
  }
  const fence = fenceFor(body);
  return `${fence}${language}\n${body.endsWith("\n") ? body : `${body}\n`}${fence}`;
}
