/**
 * PromQL text → {@link Expr}, on the official grammar (`@prometheus-io/lezer-promql`, the parser
 * Prometheus' own UI uses). The grammar accepts more than we evaluate; every construct we do not
 * evaluate is refused here with its position and name, so nothing is ever silently wrong.
 */
import { appendAll } from "../arrays.js";
import { parser } from "@prometheus-io/lezer-promql";
import type { SyntaxNode } from "@lezer/common";
import type { AggregateOp, BinaryOp, Expr, Matcher, ValueType, VectorMatching, VectorSelector } from "./ast.js";
import { typeOf } from "./ast.js";
import { parseGoString } from "./strings.js";

/** A problem in an expression: 0-based offset into the text, and what is wrong. */
export class PromqlError extends Error {
  readonly pos: number;
  readonly hint: string | undefined;
  constructor(pos: number, message: string, hint?: string) {
    super(message);
    this.name = "PromqlError";
    this.pos = pos;
    this.hint = hint;
  }
}

interface FunctionSignature {
  readonly args: readonly ValueType[];
  /** How many trailing args may be left out. */
  readonly optional?: number;
  /** The last arg type repeats without bound. */
  readonly variadic?: boolean;
}

const V: ValueType = "vector",
  M: ValueType = "matrix",
  S: ValueType = "scalar",
  T: ValueType = "string";

/** The functions replay-gate evaluates, with their argument types (as Prometheus checks them). */
export const FUNCTION_SIGNATURES: Readonly<Record<string, FunctionSignature>> = {
  abs: { args: [V] },
  ceil: { args: [V] },
  floor: { args: [V] },
  exp: { args: [V] },
  ln: { args: [V] },
  log2: { args: [V] },
  log10: { args: [V] },
  sqrt: { args: [V] },
  sgn: { args: [V] },
  round: { args: [V, S], optional: 1 },
  clamp: { args: [V, S, S] },
  clamp_min: { args: [V, S] },
  clamp_max: { args: [V, S] },
  rate: { args: [M] },
  irate: { args: [M] },
  increase: { args: [M] },
  delta: { args: [M] },
  idelta: { args: [M] },
  deriv: { args: [M] },
  changes: { args: [M] },
  resets: { args: [M] },
  predict_linear: { args: [M, S] },
  avg_over_time: { args: [M] },
  min_over_time: { args: [M] },
  max_over_time: { args: [M] },
  sum_over_time: { args: [M] },
  count_over_time: { args: [M] },
  stddev_over_time: { args: [M] },
  stdvar_over_time: { args: [M] },
  last_over_time: { args: [M] },
  present_over_time: { args: [M] },
  quantile_over_time: { args: [S, M] },
  absent: { args: [V] },
  absent_over_time: { args: [M] },
  histogram_quantile: { args: [S, V] },
  label_replace: { args: [V, T, T, T, T] },
  label_join: { args: [V, T, T, T], optional: 1, variadic: true },
  time: { args: [] },
  timestamp: { args: [V] },
  vector: { args: [S] },
  scalar: { args: [V] },
  day_of_week: { args: [V], optional: 1 },
  day_of_month: { args: [V], optional: 1 },
  day_of_year: { args: [V], optional: 1 },
  hour: { args: [V], optional: 1 },
  minute: { args: [V], optional: 1 },
  month: { args: [V], optional: 1 },
  year: { args: [V], optional: 1 },
  days_in_month: { args: [V], optional: 1 },
  sort: { args: [V] },
  sort_desc: { args: [V] },
};

const BINARY_OPS: Readonly<Record<string, BinaryOp>> = {
  Pow: "^",
  Mul: "*",
  Div: "/",
  Mod: "%",
  Atan2: "atan2",
  Add: "+",
  Sub: "-",
  Eql: "==",
  Gte: ">=",
  Gtr: ">",
  Lte: "<=",
  Lss: "<",
  Neq: "!=",
  And: "and",
  Unless: "unless",
  Or: "or",
};
const AGGREGATE_OPS: Readonly<Record<string, AggregateOp>> = {
  Sum: "sum",
  Avg: "avg",
  Min: "min",
  Max: "max",
  Count: "count",
  Group: "group",
  Stddev: "stddev",
  Stdvar: "stdvar",
  Topk: "topk",
  Bottomk: "bottomk",
  Quantile: "quantile",
  CountValues: "count_values",
};
/** PromQL operator precedence (higher binds tighter); `^` is right-associative. */
const PRECEDENCE: Readonly<Record<BinaryOp, number>> = {
  or: 1,
  and: 2,
  unless: 2,
  "==": 3,
  "!=": 3,
  ">": 3,
  "<": 3,
  ">=": 3,
  "<=": 3,
  "+": 4,
  "-": 4,
  "*": 5,
  "/": 5,
  "%": 5,
  atan2: 5,
  "^": 6,
};
const COMPARISON: ReadonlySet<BinaryOp> = new Set(["==", "!=", ">", "<", ">=", "<="]);
const SET_OPS: ReadonlySet<BinaryOp> = new Set(["and", "or", "unless"]);
const MAX_EXPR_CHARS = 64 * 1024;
const MAX_DEPTH = 200;

/** True for the comparison operators. */
export function isComparison(op: BinaryOp): boolean {
  return COMPARISON.has(op);
}

/** Parses and type-checks one PromQL expression; throws {@link PromqlError} at the first problem. */
export function parsePromql(text: string): Expr {
  if (text.length > MAX_EXPR_CHARS) throw new PromqlError(0, `expression longer than ${MAX_EXPR_CHARS} characters`);
  const tree = parser.parse(text);
  const top = tree.topNode;
  const cursor = tree.cursor();
  do {
    if (cursor.type.isError) throw syntaxError(text, cursor.node);
  } while (cursor.next());
  const child = top.firstChild;
  if (child === null) throw new PromqlError(0, "empty expression", "write a PromQL expression such as up == 0");
  return new Builder(text).expr(child, 0);
}

function syntaxError(text: string, node: SyntaxNode): PromqlError {
  const prev = node.prevSibling;
  // `foo(x)`: an identifier followed by a parenthesis is a call of a function the grammar does not know.
  if (prev !== null && (prev.name === "VectorSelector" || prev.name === "Identifier") && text[node.from] === "(") {
    const name = text.slice(prev.from, prev.to);
    return new PromqlError(prev.from, `unknown function "${name}"`, `supported: ${Object.keys(FUNCTION_SIGNATURES).join(", ")}`);
  }
  if (node.from >= text.length) return new PromqlError(text.length, "unexpected end of expression");
  return new PromqlError(node.from, `syntax error: unexpected ${JSON.stringify(text.slice(node.from, Math.max(node.to, node.from + 1)))}`);
}

function unsupported(node: SyntaxNode, what: string): never {
  throw new PromqlError(node.from, `${what} is not supported by replay-gate's PromQL evaluator`, "rewrite the expression without it, or keep this rule out of the replayed file");
}

class Builder {
  constructor(private readonly text: string) {}

  private src(n: SyntaxNode): string {
    return this.text.slice(n.from, n.to);
  }

  private children(n: SyntaxNode): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (let c = n.firstChild; c !== null; c = c.nextSibling) out.push(c);
    return out;
  }

  expr(n: SyntaxNode, depth: number): Expr {
    if (depth > MAX_DEPTH) throw new PromqlError(n.from, `expression nested deeper than ${MAX_DEPTH}`);
    const d = depth + 1;
    switch (n.name) {
      case "ParenExpr": {
        const inner = this.children(n).find((c) => c.name !== "(" && c.name !== ")");
        if (inner === undefined) throw new PromqlError(n.from, "empty parentheses");
        return this.expr(inner, d);
      }
      case "NumberDurationLiteral":
        return { type: "number", value: parseNumber(this.src(n), n.from), pos: n.from };
      case "StringLiteral":
        return { type: "string", value: this.string(n), pos: n.from };
      case "VectorSelector":
        return this.selector(n, 0);
      case "MatrixSelector":
        return this.matrix(n, 0, d);
      case "SubqueryExpr":
        return this.subquery(n, 0, d);
      case "OffsetExpr":
        return this.offset(n, d);
      case "UnaryExpr": {
        const [op, operand] = this.children(n);
        const e = this.expr(operand!, d);
        const t = typeOf(e);
        if (t !== "scalar" && t !== "vector") throw new PromqlError(n.from, `unary expression only allowed on expressions of type scalar or vector, got ${t}`);
        if (e.type === "number") return { type: "number", value: this.src(op!) === "-" ? -e.value : e.value, pos: n.from };
        return { type: "unary", op: this.src(op!) === "-" ? "-" : "+", expr: e, pos: n.from };
      }
      case "FunctionCall":
        return this.call(n, d);
      case "AggregateExpr":
        return this.aggregate(n, d);
      case "BinaryExpr":
        return this.binary(n, d);

      case "StepInvariantExpr":
        return unsupported(n, "the @ modifier");
      case "AnchoredExpr":
      case "SmoothedExpr":
        return unsupported(n, "the anchored/smoothed modifier");
      default:
        throw new PromqlError(n.from, `unexpected ${n.name}`);
    }
  }

  private string(n: SyntaxNode): string {
    const v = parseGoString(this.src(n));
    if (v === undefined) throw new PromqlError(n.from, `invalid string literal ${this.src(n)}`);
    return v;
  }

  private selector(n: SyntaxNode, offset: number): VectorSelector {
    let name: string | undefined;
    const matchers: Matcher[] = [];
    for (const c of this.children(n)) {
      if (c.name === "Identifier") name = this.src(c);
      else if (c.name === "LabelMatchers") {
        for (const m of this.children(c)) {
          if (m.name === "UnquotedLabelMatcher" || m.name === "QuotedLabelMatcher") {
            const [ln, op, val] = this.children(m);
            const label = ln!.name === "LabelName" ? this.src(ln!) : this.string(ln!.firstChild ?? ln!);
            matchers.push({ name: label, op: this.src(op!) as Matcher["op"], value: this.string(val!) });
          } else if (m.name === "QuotedLabelName") {
            name = this.string(m.firstChild ?? m);
          }
        }
      }
    }
    if (name !== undefined) {
      if (matchers.some((m) => m.name === "__name__")) throw new PromqlError(n.from, `metric name must not be set twice: ${JSON.stringify(name)}`);
    }
    const all: Matcher[] = name === undefined ? matchers : [{ name: "__name__", op: "=", value: name }, ...matchers];
    // As Prometheus: a selector must have a matcher that does not match the empty string.
    if (!all.some((m) => !matchesEmpty(m))) {
      throw new PromqlError(n.from, "vector selector must contain at least one non-empty matcher", 'add a metric name or a matcher such as job="api"');
    }
    return { type: "vector", name, matchers: all, offset, pos: n.from };
  }

  private duration(n: SyntaxNode): number {
    // DurationExpr → one literal; arithmetic on durations is Prometheus 3's experimental syntax.
    let node = n;
    if (node.name === "DurationExpr" || node.name === "OffsetDurationExpr") {
      const kids = this.children(node);
      if (kids.length !== 1) unsupported(node, "duration arithmetic");
      node = kids[0]!;
    }
    if (node.name !== "NumberDurationLiteralInDurationContext") unsupported(node, `duration expression ${JSON.stringify(this.src(node))}`);
    const ms = parseDurationMs(this.src(node));
    if (ms === undefined) throw new PromqlError(node.from, `invalid duration ${JSON.stringify(this.src(node))}`, "write a duration such as 5m, 1h30m or 30s");
    return ms;
  }

  private matrix(n: SyntaxNode, offset: number, d: number): Expr {
    const kids = this.children(n);
    const inner = kids[0]!;
    const durNode = kids.find((c) => c.name === "DurationExpr")!;
    const vs = this.expr(inner, d);
    if (vs.type !== "vector") throw new PromqlError(n.from, "ranges only allowed for vector selectors", "use a subquery: (expr)[5m:1m]");
    if (vs.offset !== 0 && offset !== 0) throw new PromqlError(n.from, "offset may not be set multiple times");
    const range = this.duration(durNode);
    if (range <= 0) throw new PromqlError(durNode.from, "range must be positive");
    return { type: "matrix", selector: { ...vs, offset: vs.offset + offset }, range, pos: n.from };
  }

  private subquery(n: SyntaxNode, offset: number, d: number): Expr {
    const kids = this.children(n);
    const inner = this.expr(kids[0]!, d);
    if (typeOf(inner) !== "vector") throw new PromqlError(n.from, `subquery is only allowed on instant vector, got ${typeOf(inner)}`);
    const durs = kids.filter((c) => c.name === "DurationExpr");
    const range = this.duration(durs[0]!);
    const step = durs[1] === undefined ? undefined : this.duration(durs[1]);
    if (range <= 0) throw new PromqlError(durs[0]!.from, "range must be positive");
    if (step !== undefined && step <= 0) throw new PromqlError(durs[1]!.from, "subquery step must be positive");
    return { type: "subquery", expr: inner, range, step, offset, pos: n.from };
  }

  private offset(n: SyntaxNode, d: number): Expr {
    const kids = this.children(n);
    const target = kids[0]!;
    const ms = this.offsetMs(kids.find((c) => c.name === "OffsetDurationExpr")!);
    if (target.name === "BinaryExpr") return this.binary(n, d);
    if (target.name === "UnaryExpr" || target.name === "OffsetExpr") return withOffset(this.expr(target, d), ms, n.from);
    switch (target.name) {
      case "VectorSelector":
        return this.selector(target, ms);
      case "MatrixSelector":
        return this.matrix(target, ms, d);
      case "SubqueryExpr":
        return this.subquery(target, ms, d);
      default:
        throw new PromqlError(n.from, "offset modifier must be preceded by an instant vector selector, a range vector selector or a subquery");
    }
  }

  private call(n: SyntaxNode, d: number): Expr {
    const [idNode, body] = this.children(n);
    const fnNode = idNode!.firstChild ?? idNode!;
    const func = this.src(fnNode);
    const sig = FUNCTION_SIGNATURES[func];
    if (sig === undefined) {
      throw new PromqlError(n.from, `function "${func}" is not supported by replay-gate's PromQL evaluator`, `supported: ${Object.keys(FUNCTION_SIGNATURES).join(", ")}`);
    }
    const args = this.children(body!)
      .filter((c) => c.name !== "(" && c.name !== ")" && c.name !== ",")
      .map((c) => this.expr(c, d));
    const min = sig.args.length - (sig.optional ?? 0);
    if (args.length < min || (!sig.variadic && args.length > sig.args.length)) {
      throw new PromqlError(n.from, `expected ${sig.optional ? `${min} to ${sig.args.length}` : sig.args.length} argument(s) in call to "${func}", got ${args.length}`);
    }
    args.forEach((a, i) => {
      const want = sig.args[Math.min(i, sig.args.length - 1)]!;
      const got = typeOf(a);
      if (got !== want) throw new PromqlError(a.pos, `expected type ${rangeName(want)} in call to function "${func}", got ${rangeName(got)}`);
    });
    return { type: "call", func, args, pos: n.from };
  }

  private grouping(n: SyntaxNode): string[] {
    return this.children(n)
      .filter((c) => c.name === "LabelName" || c.name === "QuotedLabelName")
      .map((c) => (c.name === "LabelName" ? this.src(c) : this.string(c.firstChild ?? c)));
  }

  private aggregate(n: SyntaxNode, d: number): Expr {
    let op: AggregateOp | undefined;
    let grouping: string[] = [];
    let without = false;
    let args: Expr[] = [];
    for (const c of this.children(n)) {
      if (c.name === "AggregateOp") {
        const k = c.firstChild!;
        op = AGGREGATE_OPS[k.name];
        if (op === undefined) unsupported(c, `aggregation "${this.src(c)}"`);
      } else if (c.name === "AggregateModifier") {
        const kids = this.children(c);
        without = kids[0]!.name === "Without";
        grouping = this.grouping(kids[1]!);
      } else if (c.name === "FunctionCallBody") {
        args = this.children(c)
          .filter((x) => x.name !== "(" && x.name !== ")" && x.name !== ",")
          .map((x) => this.expr(x, d));
      }
    }
    const withParam = op === "topk" || op === "bottomk" || op === "quantile" || op === "count_values";
    if (args.length !== (withParam ? 2 : 1)) throw new PromqlError(n.from, `wrong number of arguments for aggregate expression provided, expected ${withParam ? 2 : 1}, got ${args.length}`);
    const expr = args[args.length - 1]!;
    if (typeOf(expr) !== "vector") throw new PromqlError(expr.pos, `expected type instant vector in aggregation expression, got ${rangeName(typeOf(expr))}`);
    const param = withParam ? args[0] : undefined;
    if (param !== undefined) {
      const want = op === "count_values" ? "string" : "scalar";
      if (typeOf(param) !== want) throw new PromqlError(param.pos, `expected type ${want} in aggregation parameter, got ${rangeName(typeOf(param))}`);
    }
    return { type: "aggregate", op: op!, param, expr, grouping, without, pos: n.from };
  }

  /**
   * A binary chain, rebuilt with PromQL's precedence: the grammar lets a postfix `offset` wrap a
   * whole binary expression (`a and b offset 5m > 1`), which PromQL binds to `b` alone, so the
   * chain is flattened (offsets moved onto the operand they follow) and re-associated.
   */
  private binary(n: SyntaxNode, d: number): Expr {
    const items: (Expr | SyntaxNode[])[] = [];
    this.flatten(n, items, d);
    let pos = 0;
    const climb = (minPrec: number): Expr => {
      let lhs = items[pos++] as Expr;
      for (;;) {
        const opKids = items[pos] as SyntaxNode[] | undefined;
        if (opKids === undefined) return lhs;
        const op = BINARY_OPS[opKids[0]!.name];
        const prec = op === undefined ? 0 : PRECEDENCE[op];
        if (prec < minPrec) return lhs;
        pos++;
        const rhs = climb(op === "^" ? prec : prec + 1);
        lhs = this.makeBinary(opKids, lhs, rhs);
      }
    };
    return climb(0);
  }

  private flatten(n: SyntaxNode, out: (Expr | SyntaxNode[])[], d: number): void {
    if (d > MAX_DEPTH) throw new PromqlError(n.from, `expression nested deeper than ${MAX_DEPTH}`);
    if (n.name === "BinaryExpr") {
      const kids = this.children(n);
      this.flatten(kids[0]!, out, d + 1);
      out.push(kids.slice(1, -1));
      this.flatten(kids[kids.length - 1]!, out, d + 1);
      return;
    }
    if (n.name === "OffsetExpr") {
      const kids = this.children(n);
      if (kids[0]!.name === "BinaryExpr") {
        const inner: (Expr | SyntaxNode[])[] = [];
        this.flatten(kids[0]!, inner, d + 1);
        const ms = this.offsetMs(kids.find((c) => c.name === "OffsetDurationExpr")!);
        inner[inner.length - 1] = withOffset(inner[inner.length - 1] as Expr, ms, n.from);
        appendAll(out, inner);
        return;
      }
    }
    out.push(this.expr(n, d));
  }

  private offsetMs(durNode: SyntaxNode): number {
    let sign = 1;
    let dn: SyntaxNode = durNode;
    for (;;) {
      const dk = this.children(dn);
      if (dk.length === 2 && dk[0]!.name === "UnaryOp") {
        if (this.src(dk[0]!) === "-") sign = -sign;
        dn = dk[1]!;
      } else break;
    }
    return sign * this.duration(dn);
  }

  private makeBinary(opKids: SyntaxNode[], lhs: Expr, rhs: Expr): Expr {
    const kids = [undefined, ...opKids];
    const opNode = kids[1]!;
    const op = BINARY_OPS[opNode.name];
    if (op === undefined) unsupported(opNode, `operator "${this.src(opNode)}"`);
    let bool = false;
    let on = false;
    let labels: string[] = [];
    let include: string[] = [];
    let card: VectorMatching["card"] = "one-to-one";
    let hasMatching = false;
    for (const c of opKids.slice(1)) {
      if (c.name === "BoolModifier") bool = true;
      else if (c.name === "FillModifier") unsupported(c, "fill modifiers");
      else if (c.name === "MatchingModifierClause") {
        hasMatching = true;
        const mk = this.children(c);
        on = mk[0]!.name === "On";
        labels = this.grouping(mk[1]!);
        if (mk[2] !== undefined) {
          card = mk[2].name === "GroupLeft" ? "many-to-one" : "one-to-many";
          if (mk[3] !== undefined) include = this.grouping(mk[3]);
        }
      }
    }
    const lt = typeOf(lhs),
      rt = typeOf(rhs);
    for (const [t, e] of [
      [lt, lhs],
      [rt, rhs],
    ] as const) {
      if (t !== "scalar" && t !== "vector") throw new PromqlError(e.pos, `binary expression must contain only scalar and instant vector types, got ${rangeName(t)}`);
    }
    if (bool && !COMPARISON.has(op)) throw new PromqlError(opNode.from, "bool modifier can only be used on comparison operators");
    if (COMPARISON.has(op) && lt === "scalar" && rt === "scalar" && !bool) throw new PromqlError(opNode.from, "comparisons between scalars must use BOOL modifier");
    if (SET_OPS.has(op)) {
      if (lt === "scalar" || rt === "scalar") throw new PromqlError(opNode.from, `set operator "${op}" not allowed in binary scalar expression`);
      if (card !== "one-to-one") throw new PromqlError(opNode.from, `no grouping allowed for "${op}" operation`);
      card = "many-to-many";
    }
    if (hasMatching && (lt === "scalar" || rt === "scalar")) throw new PromqlError(opNode.from, "vector matching only allowed between instant vectors");
    if (on && include.length > 0) {
      for (const l of include) if (labels.includes(l)) throw new PromqlError(opNode.from, `label "${l}" must not occur in ON and GROUP clause at once`);
    }
    if (lhs.type === "number" && rhs.type === "number" && !COMPARISON.has(op)) {
      // Folded the way Prometheus evaluates a scalar-scalar operation: at run time, with the same arithmetic.
    }
    return { type: "binary", op, lhs, rhs, bool, matching: { card, on, labels, include }, pos: opNode.from };
  }
}

function rangeName(t: ValueType): string {
  return t === "matrix" ? "range vector" : t === "vector" ? "instant vector" : t;
}

function matchesEmpty(m: Matcher): boolean {
  switch (m.op) {
    case "=":
      return m.value === "";
    case "!=":
      return m.value !== "";
    default:
      // A regex matcher is "non-empty" only if it does not match ""; checked conservatively by the evaluator's compiler.
      return m.op === "=~" ? regexMatchesEmpty(m.value) : !regexMatchesEmpty(m.value);
  }
}

function regexMatchesEmpty(re: string): boolean {
  // Cheap and exact for the common forms; anything else is treated as possibly matching "".
  if (re === "" || re === ".*" || re === ".?" || re.endsWith("|") || re.startsWith("|")) return true;
  if (/^[A-Za-z0-9_:\-./ ]+(\|[A-Za-z0-9_:\-./ ]+)*$/.test(re)) return false;
  if (re.endsWith(".+") || re.endsWith("+")) return false;
  return true;
}

/** Parses a PromQL number literal (decimal, hex, Inf, NaN, or a duration in seconds). */
function parseNumber(s: string, pos: number): number {
  let t = s.trim();
  let sign = 1;
  if (t.startsWith("-") || t.startsWith("+")) {
    if (t[0] === "-") sign = -1;
    t = t.slice(1).trim();
  }
  const lower = t.toLowerCase();
  if (lower === "inf") return sign * Infinity;
  if (lower === "nan") return NaN;
  if (/^0x[0-9a-f]+$/i.test(t)) return sign * parseInt(t.slice(2), 16);
  if (/^(\d+(_?\d)*(\.\d+(_?\d)*)?|\.\d+(_?\d)*)([eE][+-]?\d+(_?\d)*)?$/.test(t)) return sign * Number(t.replace(/_/g, ""));
  const ms = parseDurationMs(t);
  if (ms !== undefined) return (sign * ms) / 1000;
  throw new PromqlError(pos, `invalid number ${JSON.stringify(s)}`);
}

const DURATION_UNITS: Readonly<Record<string, number>> = { y: 365 * 86_400_000, w: 7 * 86_400_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
const UNIT_ORDER = ["y", "w", "d", "h", "m", "s", "ms"];

/** Prometheus durations (`1h30m`, `5m`, `90s`, `1d`, `1w`, `1y`), or a plain number of seconds; ms. */
export function parseDurationMs(s: string): number | undefined {
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  const re = /(\d+)(ms|y|w|d|h|m|s)/y;
  let i = 0,
    total = 0,
    lastUnit = -1;
  while (i < s.length) {
    re.lastIndex = i;
    const m = re.exec(s);
    if (m === null) return undefined;
    const u = UNIT_ORDER.indexOf(m[2]!);
    if (u <= lastUnit) return undefined;
    lastUnit = u;
    total += Number(m[1]) * DURATION_UNITS[m[2]!]!;
    i = re.lastIndex;
  }
  return i === 0 || !Number.isSafeInteger(total) ? undefined : total;
}

/** Moves an offset onto the selector (or subquery) an expression ends in, as PromQL binds it. */
function withOffset(e: Expr, ms: number, pos: number): Expr {
  switch (e.type) {
    case "vector":
      if (e.offset !== 0) throw new PromqlError(pos, "offset may not be set multiple times");
      return { ...e, offset: ms };
    case "matrix":
      if (e.selector.offset !== 0) throw new PromqlError(pos, "offset may not be set multiple times");
      return { ...e, selector: { ...e.selector, offset: ms } };
    case "subquery":
      if (e.offset !== 0) throw new PromqlError(pos, "offset may not be set multiple times");
      return { ...e, offset: ms };
    case "unary":
      return { ...e, expr: withOffset(e.expr, ms, pos) };
    default:
      throw new PromqlError(pos, "offset modifier must be preceded by an instant vector selector, a range vector selector or a subquery");
  }
}
