/** Binary operators with Prometheus' vector matching (engine.go VectorBinop / VectorAnd / VectorOr / VectorUnless). */
import type { Binary, BinaryOp, VectorMatching } from "./ast.js";
import { dropName, LabelMemo, SiteMemo, signature, type Labels } from "./labels.js";
import { isComparison } from "./parse.js";
import { EvalError, isDistinct, isOneName, noteVector, type Sample, type Value } from "./value.js";

/** `lhs op rhs` on floats: the value and whether a comparison keeps the element. */
function elemOp(op: BinaryOp, l: number, r: number): [number, boolean] {
  switch (op) {
    case "+":
      return [l + r, true];
    case "-":
      return [l - r, true];
    case "*":
      return [l * r, true];
    case "/":
      return [l / r, true];
    case "%":
      return [goMod(l, r), true];
    case "^":
      return [goPow(l, r), true];
    case "atan2":
      return [Math.atan2(l, r), true];
    case "==":
      return [l, l === r];
    case "!=":
      return [l, l !== r];
    case ">":
      return [l, l > r];
    case "<":
      return [l, l < r];
    case ">=":
      return [l, l >= r];
    case "<=":
      return [l, l <= r];
    default:
      throw new EvalError(`operator "${op}" not allowed here`);
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

/** Matching signatures per `on`/`ignoring` clause, and result label sets per operation, memoised. */
const signatures = new SiteMemo<string>();
const results = new SiteMemo<Labels>();
const resultsByRight = new SiteMemo<LabelMemo<Labels>>();
const fullSignatures = new LabelMemo<string>();

function sigOf(l: Labels, m: VectorMatching): string {
  return signatures.at(m).get(l, (x) => signature(x, m.on, m.labels));
}

/** The result label set of matching `lhs` with `rhs` in `b` (the same object for the same pair). */
function resultOf(b: Binary, lhs: Labels, rhs: Labels): Labels {
  const make = (l: Labels, r: Labels) => {
    const metric = resultMetric(l, r, b.op, b.matching);
    return b.bool ? dropName(metric) : metric;
  };
  // Without group_x(labels) the result depends on the left side alone.
  if (b.matching.include.length === 0) return results.at(b).get(lhs, (l) => make(l, rhs));
  return resultsByRight
    .at(b)
    .get(lhs, () => new LabelMemo<Labels>())
    .get(rhs, (r) => make(lhs, r));
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
      case "and":
        return { kind: "vector", samples: vectorAnd(l.samples, r.samples, b.matching) };
      case "or":
        return { kind: "vector", samples: vectorOr(l.samples, r.samples, b.matching) };
      case "unless":
        return { kind: "vector", samples: vectorUnless(l.samples, r.samples, b.matching) };
      default:
        return { kind: "vector", samples: vectorBinop(b, l.samples, r.samples) };
    }
  }
  if (l.kind === "vector" && r.kind === "scalar") return { kind: "vector", samples: vectorScalar(op, l.samples, r.v, false, bool) };
  if (l.kind === "scalar" && r.kind === "vector") return { kind: "vector", samples: vectorScalar(op, r.samples, l.v, true, bool) };
  throw new EvalError("binary operation on unsupported operand types");
}

function vectorScalar(op: BinaryOp, vec: readonly Sample[], scalar: number, swap: boolean, bool: boolean): Sample[] {
  const out: Sample[] = [];
  for (const s of vec) {
    let lv = s.v,
      rv = scalar;
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
  // Kept label sets stay distinct; dropped names keep them distinct only if there was one name.
  if (dropsName(op) || bool) return noteVector(out, isDistinct(vec) && isOneName(vec), true);
  return noteVector(out, isDistinct(vec), isOneName(vec));
}

function vectorBinop(b: Binary, lhsIn: readonly Sample[], rhsIn: readonly Sample[]): Sample[] {
  const { op, bool, matching: m } = b;
  let lhs = lhsIn,
    rhs = rhsIn;
  if (m.card === "one-to-many") [lhs, rhs] = [rhs, lhs];
  const rightSigs = new Map<string, Sample>();
  for (const rs of rhs) {
    const sig = sigOf(rs.labels, m);
    if (rightSigs.has(sig)) {
      const side = m.card === "one-to-many" ? "left" : "right";
      throw new EvalError(`found duplicate series for the match group on the ${side} hand-side of the operation; many-to-many matching not allowed: matching labels must be unique on one side`);
    }
    rightSigs.set(sig, rs);
  }
  const matched = new Map<string, Set<string> | null>();
  const out: Sample[] = [];
  for (const ls of lhs) {
    const sig = sigOf(ls.labels, m);
    const rs = rightSigs.get(sig);
    if (rs === undefined) continue;
    let lv = ls.v,
      rv = rs.v;
    if (m.card === "one-to-many") [lv, rv] = [rv, lv];
    let [value, keep] = elemOp(op, lv, rv);
    if (bool) {
      value = keep ? 1 : 0;
      keep = true;
    }
    if (!keep) continue;
    const metric = resultOf(b, ls.labels, rs.labels);
    const inserted = matched.get(sig);
    if (m.card === "one-to-one") {
      if (inserted !== undefined) throw new EvalError("multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)");
      matched.set(sig, null);
    } else {
      const k = fullSignatures.get(metric, (x) => signature(x, false, []) + "\u0002" + (x.__name__ ?? ""));
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
  const right = new Set(rhs.map((s) => sigOf(s.labels, m)));
  return lhs.filter((s) => right.has(sigOf(s.labels, m)));
}

function vectorOr(lhs: readonly Sample[], rhs: readonly Sample[], m: VectorMatching): Sample[] {
  const left = new Set(lhs.map((s) => sigOf(s.labels, m)));
  return [...lhs, ...rhs.filter((s) => !left.has(sigOf(s.labels, m)))];
}

function vectorUnless(lhs: readonly Sample[], rhs: readonly Sample[], m: VectorMatching): Sample[] {
  const right = new Set(rhs.map((s) => sigOf(s.labels, m)));
  return lhs.filter((s) => !right.has(sigOf(s.labels, m)));
}
