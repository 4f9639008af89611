/** Binary operators with Prometheus' vector matching (engine.go VectorBinop / VectorAnd / VectorOr / VectorUnless). */
import type { Binary, BinaryOp, VectorMatching } from "./ast.js";
import { dropName, signature, type Labels } from "./labels.js";
import { isComparison } from "./parse.js";
import { EvalError, type Sample, type Value } from "./value.js";

/** `lhs op rhs` on floats: the value and whether a comparison keeps the element. */
function elemOp(op: BinaryOp, l: number, r: number): [number, boolean] {
  switch (op) {
    case "+": return [l + r, true];
    case "-": return [l - r, true];
    case "*": return [l * r, true];
    case "/": return [l / r, true];
    case "%": return [goMod(l, r), true];
    case "^": return [goPow(l, r), true];
    case "atan2": return [Math.atan2(l, r), true];
    case "==": return [l, l === r];
    case "!=": return [l, l !== r];
    case ">": return [l, l > r];
    case "<": return [l, l < r];
    case ">=": return [l, l >= r];
    case "<=": return [l, l <= r];
    default: throw new EvalError(`operator "${op}" not allowed here`);
  }
}

/** Go's math.Mod: the sign follows the dividend (as JavaScript's `%`). */
function goMod(l: number, r: number): number {
  return l % r;
}

/** Go's math.Pow differs from JavaScript's only at `1 ** ±Inf` and `1 ** NaN` (Go: 1). */
function goPow(l: number, r: number): number {
  if (l === 1) return 1;
  if (l === -1 && !Number.isFinite(r) && !Number.isNaN(r)) return 1;
  return l ** r;
}

/** True for the arithmetic operators, whose results lose the metric name. */
function dropsName(op: BinaryOp): boolean {
  return !isComparison(op) && op !== "and" && op !== "or" && op !== "unless";
}

/** Evaluates a binary expression over evaluated operands. */
export function binary(b: Binary, l: Value, r: Value): Value {
  const { op, bool } = b;
  if (l.kind === "scalar" && r.kind === "scalar") {
    const [v, keep] = elemOp(op, l.v, r.v);
    return { kind: "scalar", v: isComparison(op) ? (keep ? 1 : 0) : v };
  }
  if (l.kind === "vector" && r.kind === "vector") {
    switch (op) {
      case "and": return { kind: "vector", samples: vectorAnd(l.samples, r.samples, b.matching) };
      case "or": return { kind: "vector", samples: vectorOr(l.samples, r.samples, b.matching) };
      case "unless": return { kind: "vector", samples: vectorUnless(l.samples, r.samples, b.matching) };
      default: return { kind: "vector", samples: vectorBinop(op, l.samples, r.samples, b.matching, bool) };
    }
  }
  if (l.kind === "vector" && r.kind === "scalar") return { kind: "vector", samples: vectorScalar(op, l.samples, r.v, false, bool) };
  if (l.kind === "scalar" && r.kind === "vector") return { kind: "vector", samples: vectorScalar(op, r.samples, l.v, true, bool) };
  throw new EvalError("binary operation on unsupported operand types");
}

function vectorScalar(op: BinaryOp, vec: readonly Sample[], scalar: number, swap: boolean, bool: boolean): Sample[] {
  const out: Sample[] = [];
  for (const s of vec) {
    let lv = s.v, rv = scalar;
    if (swap) [lv, rv] = [rv, lv];
    let [value, keep] = elemOp(op, lv, rv);
    // A comparison keeps the vector element's value, even when the scalar is on the left.
    if (isComparison(op) && swap) value = rv;
    if (bool) {
      value = keep ? 1 : 0;
      keep = true;
    }
    if (!keep) continue;
    out.push({ labels: dropsName(op) || bool ? dropName(s.labels) : s.labels, v: value, t: s.t });
  }
  return out;
}

function vectorBinop(op: BinaryOp, lhsIn: readonly Sample[], rhsIn: readonly Sample[], m: VectorMatching, bool: boolean): Sample[] {
  let lhs = lhsIn, rhs = rhsIn;
  if (m.card === "one-to-many") [lhs, rhs] = [rhs, lhs];
  const rightSigs = new Map<string, Sample>();
  for (const rs of rhs) {
    const sig = signature(rs.labels, m.on, m.labels);
    if (rightSigs.has(sig)) {
      const side = m.card === "one-to-many" ? "left" : "right";
      throw new EvalError(`found duplicate series for the match group on the ${side} hand-side of the operation; many-to-many matching not allowed: matching labels must be unique on one side`);
    }
    rightSigs.set(sig, rs);
  }
  const matched = new Map<string, Set<string> | null>();
  const out: Sample[] = [];
  for (const ls of lhs) {
    const sig = signature(ls.labels, m.on, m.labels);
    const rs = rightSigs.get(sig);
    if (rs === undefined) continue;
    let lv = ls.v, rv = rs.v;
    if (m.card === "one-to-many") [lv, rv] = [rv, lv];
    let [value, keep] = elemOp(op, lv, rv);
    if (bool) {
      value = keep ? 1 : 0;
      keep = true;
    }
    if (!keep) continue;
    let metric = resultMetric(ls.labels, rs.labels, op, m);
    if (bool) metric = dropName(metric);
    const inserted = matched.get(sig);
    if (m.card === "one-to-one") {
      if (inserted !== undefined) throw new EvalError("multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)");
      matched.set(sig, null);
    } else {
      const k = signature(metric, false, []) + "\u0002" + (metric.__name__ ?? "");
      if (inserted === undefined || inserted === null) matched.set(sig, new Set([k]));
      else if (inserted.has(k)) throw new EvalError("multiple matches for labels: grouping labels must ensure unique matches");
      else inserted.add(k);
    }
    out.push({ labels: metric, v: value, t: ls.t });
  }
  return out;
}

function resultMetric(lhs: Labels, rhs: Labels, op: BinaryOp, m: VectorMatching): Labels {
  const out: Record<string, string> = {};
  for (const k in lhs) out[k] = lhs[k]!;
  if (dropsName(op)) delete out.__name__;
  if (m.card === "one-to-one") {
    if (m.on) {
      for (const k of Object.keys(out)) if (!m.labels.includes(k)) delete out[k];
    } else {
      for (const k of m.labels) delete out[k];
    }
  }
  for (const ln of m.include) {
    const v = rhs[ln];
    if (v !== undefined && v !== "") out[ln] = v;
    else delete out[ln];
  }
  return out;
}

function vectorAnd(lhs: readonly Sample[], rhs: readonly Sample[], m: VectorMatching): Sample[] {
  const right = new Set(rhs.map((s) => signature(s.labels, m.on, m.labels)));
  return lhs.filter((s) => right.has(signature(s.labels, m.on, m.labels)));
}

function vectorOr(lhs: readonly Sample[], rhs: readonly Sample[], m: VectorMatching): Sample[] {
  const left = new Set(lhs.map((s) => signature(s.labels, m.on, m.labels)));
  return [...lhs, ...rhs.filter((s) => !left.has(signature(s.labels, m.on, m.labels)))];
}

function vectorUnless(lhs: readonly Sample[], rhs: readonly Sample[], m: VectorMatching): Sample[] {
  const right = new Set(rhs.map((s) => signature(s.labels, m.on, m.labels)));
  return lhs.filter((s) => !right.has(signature(s.labels, m.on, m.labels)));
}
