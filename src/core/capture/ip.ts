/**
 * IPv4 and IPv6 addresses and prefixes, parsed by hand into BigInts, for the mapping file's
 * prefix tables (longest prefix wins). No regular expressions, no DNS, no platform calls.
 */

/** An address or prefix: family, the address as a 32- or 128-bit integer, and its length. */
export interface IpPrefix {
  readonly v6: boolean;
  readonly bits: bigint;
  readonly length: number;
}

function parseV4(s: string): bigint | undefined {
  const parts = s.split(".");
  if (parts.length !== 4) return undefined;
  let n = 0n;
  for (const p of parts) {
    if (p.length === 0 || p.length > 3) return undefined;
    for (let i = 0; i < p.length; i++) {
      const c = p.charCodeAt(i);
      if (c < 48 || c > 57) return undefined;
    }
    const v = Number(p);
    if (v > 255) return undefined;
    n = (n << 8n) | BigInt(v);
  }
  return n;
}

function parseHextet(p: string): number | undefined {
  if (p.length === 0 || p.length > 4) return undefined;
  let v = 0;
  for (let i = 0; i < p.length; i++) {
    const c = p.charCodeAt(i);
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
    if (d < 0) return undefined;
    v = v * 16 + d;
  }
  return v;
}

function parseV6(s: string): bigint | undefined {
  const zone = s.indexOf("%");
  if (zone !== -1) s = s.slice(0, zone);
  const halves = s.split("::");
  if (halves.length > 2) return undefined;
  const groups = (half: string): number[] | undefined => {
    if (half === "") return [];
    const out: number[] = [];
    const parts = half.split(":");
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      if (i === parts.length - 1 && p.includes(".")) {
        const v4 = parseV4(p);
        if (v4 === undefined) return undefined;
        out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else {
        const h = parseHextet(p);
        if (h === undefined) return undefined;
        out.push(h);
      }
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  let n = 0n;
  for (const g of [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail]) n = (n << 16n) | BigInt(g);
  return n;
}

/** Parses `10.1.2.3`, `2001:db8::1`, `10.0.0.0/8` or `2001:db8::/32`. Host bits of a prefix are cleared. */
export function parseIpPrefix(s: string): IpPrefix | undefined {
  const slash = s.indexOf("/");
  const addr = slash === -1 ? s : s.slice(0, slash);
  const v6 = addr.includes(":");
  const bits = v6 ? parseV6(addr) : parseV4(addr);
  if (bits === undefined) return undefined;
  const max = v6 ? 128 : 32;
  let length = max;
  if (slash !== -1) {
    const l = s.slice(slash + 1);
    if (l.length === 0 || l.length > 3 || !/^[0-9]+$/.test(l)) return undefined;
    length = Number(l);
    if (length > max) return undefined;
  }
  return { v6, bits: mask(bits, length, max), length };
}

function mask(bits: bigint, length: number, max: number): bigint {
  if (length === 0) return 0n;
  const hostBits = BigInt(max - length);
  return (bits >> hostBits) << hostBits;
}

/** True when `inner` (an address or prefix) lies inside `outer`. */
export function prefixContains(outer: IpPrefix, inner: IpPrefix): boolean {
  if (outer.v6 !== inner.v6 || inner.length < outer.length) return false;
  return mask(inner.bits, outer.length, outer.v6 ? 128 : 32) === outer.bits;
}

/** A longest-prefix-match table from prefixes to values. */
export class PrefixTable<V> {
  private readonly entries: { prefix: IpPrefix; value: V }[] = [];

  /** Adds a prefix; returns false when the text is not an address or prefix. */
  add(text: string, value: V): boolean {
    const prefix = parseIpPrefix(text);
    if (prefix === undefined) return false;
    this.entries.push({ prefix, value });
    // Longest first, so the first containing entry is the answer; ties cannot differ in bits.
    this.entries.sort((a, b) => b.prefix.length - a.prefix.length);
    return true;
  }

  /** The value of the longest prefix containing the address or prefix `text`. */
  lookup(text: string): V | undefined {
    const inner = parseIpPrefix(text);
    if (inner === undefined) return undefined;
    for (const e of this.entries) if (prefixContains(e.prefix, inner)) return e.value;
    return undefined;
  }
}
