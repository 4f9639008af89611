/** Number and length formatting for the HTML report; escaping is `forHtml` (../neutralize.ts). */

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
