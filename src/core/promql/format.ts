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
  const e = precision === undefined ? abs.toExponential() : abs.toExponential(precision - 1);
  const [mant, exp] = e.split("e") as [string, string];
  let d = mant.replace(".", "").replace(/0+$/, "");
  if (d === "") d = "0";
  return { d, dp: Number(exp) + 1 };
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
  return sign(v) + Math.abs(v).toFixed(prec);
}

/** `fmt.Sprintf("%.<prec>e", v)`. */
export function formatGoExp(v: number, prec: number): string {
  const s = special(v, true);
  if (s !== undefined) return s;
  const [mant, exp] = Math.abs(v).toExponential(prec).split("e") as [string, string];
  const n = Number(exp);
  return `${v < 0 ? "-" : ""}${mant}e${n < 0 ? "-" : "+"}${Math.abs(n) < 10 ? "0" : ""}${Math.abs(n)}`;
}
