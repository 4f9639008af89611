/** Go string literals as PromQL writes them: "…" and '…' with escapes, `…` raw. */

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\", '"': '"', "'": "'" };

/** The value of a quoted literal, or undefined when it is malformed. */
export function parseGoString(lit: string): string | undefined {
  if (lit.length < 2) return undefined;
  const q = lit[0]!;
  if (lit[lit.length - 1] !== q) return undefined;
  const body = lit.slice(1, -1);
  if (q === "`") return body.includes("`") ? undefined : body;
  if (q !== '"' && q !== "'") return undefined;
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === "\n") return undefined;
    if (c === q) return undefined;
    if (c !== "\\") {
      out += c;
      continue;
    }
    const e = body[++i];
    if (e === undefined) return undefined;
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      if ((e === "'" && q !== "'") || (e === '"' && q !== '"')) return undefined;
      out += simple;
      continue;
    }
    const hexLen = e === "x" ? 2 : e === "u" ? 4 : e === "U" ? 8 : 0;
    if (hexLen > 0) {
      const h = body.slice(i + 1, i + 1 + hexLen);
      if (!new RegExp(`^[0-9a-fA-F]{${hexLen}}$`).test(h)) return undefined;
      const cp = parseInt(h, 16);
      if (cp > 0x10ffff) return undefined;
      out += e === "x" ? String.fromCharCode(cp) : String.fromCodePoint(cp);
      i += hexLen;
      continue;
    }
    if (e >= "0" && e <= "7") {
      const o = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(o)) return undefined;
      const v = parseInt(o, 8);
      if (v > 255) return undefined;
      out += String.fromCharCode(v);
      i += 2;
      continue;
    }
    return undefined;
  }
  return out;
}
