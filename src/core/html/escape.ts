/**
 * Escaping for the HTML report. Every string that comes from a file (window titles, incident
 * titles built from event scope values, rule ids, policy names, reasons) goes through
 * {@link esc}, in text and in attribute values alike, so `<script>` or `" onload=` is inert text.
 * The report never turns data into a URL, a tag name, an attribute name or an event handler.
 */

const ENTITIES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "`": "&#96;" };

/** Escapes text for an HTML text node or a quoted attribute value; drops C0/C1 controls except tab and newline. */
export function esc(value: string | number): string {
  const s = String(value);
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const rep = ENTITIES[ch];
    if (rep !== undefined) {
      out += rep;
      continue;
    }
    const c = s.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a) || (c >= 0x7f && c < 0xa0)) {
      out += "\uFFFD";
      continue;
    }
    out += ch;
  }
  return out;
}

/** Shortens to `max` characters (by code point) with an ellipsis; escape the result afterwards. */
export function truncate(s: string, max: number): string {
  const cps = [...s];
  return cps.length <= max ? s : `${cps.slice(0, Math.max(1, max - 1)).join("")}…`;
}

/** `12345` → `12,345` without the locale. */
export function fmtInt(n: number): string {
  const s = String(Math.trunc(Math.abs(n)));
  let out = "";
  for (let i = 0; i < s.length; i++) {
    if (i > 0 && (s.length - i) % 3 === 0) out += ",";
    out += s[i];
  }
  return (n < 0 ? "-" : "") + out;
}

/** A number for an SVG attribute: at most 2 decimals, no exponent, no `-0`. */
export function num(n: number): string {
  const r = Math.round(n * 100) / 100;
  return r === 0 ? "0" : String(r);
}
