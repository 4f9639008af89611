/**
 * Go's float formatting, which Prometheus output is made of: `strconv.FormatFloat(f, 'f', -1, 64)`
 * (count_values), `%v` (template `{{ $value }}`) and `%.Ng` (humanize). JavaScript's shortest
 * round-trip digits are the same digits Go's shortest formatting chooses.
 */

interface Digits {
  /** Significant digits without trailing zeros. */
  readonly d: string;
  /** Decimal point position: value = 0.d × 10^dp. */
  readonly dp: number;
}

function digitsOf(abs: number, precision?: number): Digits {
  if (precision === undefined) {
    const [mant, exp] = abs.toExponential().split("e") as [string, string];
    let d = mant.replace(".", "").replace(/0+$/, "");
    if (d === "") d = "0";
    return { d, dp: Number(exp) + 1 };
  }
  const exact = exactDecimal(abs);
  return roundDigits(exact, Math.max(1, precision));
}

/** The exact decimal expansion of a finite positive double (every double is a finite decimal). */
function exactDecimal(abs: number): Digits {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, abs);
  const bits = buf.getBigUint64(0);
  const expBits = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & 0xfffffffffffffn;
  let e2: number;
  if (expBits === 0) e2 = -1074;
  else {
    mant |= 1n << 52n;
    e2 = expBits - 1075;
  }
  let digits: string;
  let dp: number;
  if (e2 >= 0) {
    digits = (mant << BigInt(e2)).toString();
    dp = digits.length;
  } else {
    digits = (mant * 5n ** BigInt(-e2)).toString();
    dp = digits.length + e2;
  }
  const stripped = digits.replace(/^0+/, "");
  dp -= digits.length - stripped.length;
  return { d: stripped.replace(/0+$/, "") || "0", dp };
}

/** Rounds to `n` significant digits, half to even on an exact tie (Go's strconv). */
function roundDigits(x: Digits, n: number): Digits {
  if (x.d.length <= n) return x;
  const keep = x.d.slice(0, n);
  const rest = x.d.slice(n);
  const up = rest[0]! > "5" || (rest[0] === "5" && (/[1-9]/.test(rest.slice(1)) || Number(keep[keep.length - 1]) % 2 === 1));
  if (!up) return { d: keep.replace(/0+$/, "") || "0", dp: x.dp };
  const inc = (BigInt(keep) + 1n).toString();
  if (inc.length > keep.length) return { d: inc.replace(/0+$/, "") || "0", dp: x.dp + 1 };
  return { d: inc.replace(/0+$/, "") || "0", dp: x.dp };
}

function special(v: number, _plusInf: boolean): string | undefined {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  return undefined;
}

function sign(v: number): string {
  return v < 0 || Object.is(v, -0) ? "-" : "";
}

function fixed(dg: Digits): string {
  const { d, dp } = dg;
  if (dp <= 0) return `0.${"0".repeat(-dp)}${d}`;
  if (dp >= d.length) return d + "0".repeat(dp - d.length);
  return `${d.slice(0, dp)}.${d.slice(dp)}`;
}

function expForm(dg: Digits): string {
  const { d, dp } = dg;
  const exp = dp - 1;
  const mant = d.length > 1 ? `${d[0]}.${d.slice(1)}` : d;
  const abs = Math.abs(exp);
  return `${mant}e${exp < 0 ? "-" : "+"}${abs < 10 ? "0" : ""}${abs}`;
}

/** `strconv.FormatFloat(v, 'f', -1, 64)`. */
export function formatGoFloat(v: number): string {
  const s = special(v, true);
  if (s !== undefined) return s;
  if (v === 0) return sign(v) + "0";
  return sign(v) + fixed(digitsOf(Math.abs(v)));
}

/** `fmt.Sprintf("%.<prec>g", v)`, or `%v` when `prec` is undefined. */
export function formatGoG(v: number, prec?: number): string {
  const s = special(v, true);
  if (s !== undefined) return s;
  if (v === 0) return sign(v) + "0";
  const dg = digitsOf(Math.abs(v), prec);
  let eprec = prec ?? 6;
  if (prec !== undefined && eprec > dg.d.length && dg.d.length >= dg.dp) eprec = dg.d.length;
  const exp = dg.dp - 1;
  return sign(v) + (exp < -4 || exp >= eprec ? expForm(dg) : fixed(dg));
}

/** `fmt.Sprintf("%.<prec>f", v)`. */
export function formatGoFixed(v: number, prec: number): string {
  const s = special(v, true);
  if (s !== undefined) return s;
  if (v === 0) return sign(v) + (prec > 0 ? `0.${"0".repeat(prec)}` : "0");
  const exact = exactDecimal(Math.abs(v));
  // Round at `prec` decimals: that is dp + prec significant digits.
  const sig = exact.dp + prec;
  if (sig <= 0) {
    const up = sig === 0 && (exact.d[0]! > "5" || (exact.d[0] === "5" && /[1-9]/.test(exact.d.slice(1))));
    const r: Digits = up ? { d: "1", dp: exact.dp + 1 } : { d: "0", dp: 1 };
    return sign(v) + padFixed(r, prec);
  }
  return sign(v) + padFixed(roundDigits(exact, sig), prec);
}

function padFixed(dg: Digits, prec: number): string {
  const s = dg.d === "0" ? "0" : fixed(dg);
  const dot = s.indexOf(".");
  const decimals = dot < 0 ? 0 : s.length - dot - 1;
  if (prec === 0) return s;
  return dot < 0 ? `${s}.${"0".repeat(prec)}` : s + "0".repeat(prec - decimals);
}

/** `fmt.Sprintf("%.<prec>e", v)`. */
export function formatGoExp(v: number, prec: number): string {
  const s = special(v, true);
  if (s !== undefined) return s;
  if (v === 0) return `${sign(v)}0${prec > 0 ? "." + "0".repeat(prec) : ""}e+00`;
  const dg = roundDigits(exactDecimal(Math.abs(v)), prec + 1);
  const d = dg.d.padEnd(prec + 1, "0");
  const n = dg.dp - 1;
  return `${sign(v)}${d[0]}${prec > 0 ? "." + d.slice(1) : ""}e${n < 0 ? "-" : "+"}${Math.abs(n) < 10 ? "0" : ""}${Math.abs(n)}`;
}
