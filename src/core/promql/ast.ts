/**
 * The PromQL syntax tree replay-gate evaluates: what `parse.ts` builds from the official
 * grammar's concrete tree, with every construct we do not evaluate refused at parse time.
 * Positions are 0-based character offsets into the expression text.
 */

/** A label matcher: `=`, `!=`, `=~`, `!~`. */
export interface Matcher {
  readonly name: string;
  readonly op: "=" | "!=" | "=~" | "!~";
  readonly value: string;
}

export type ValueType = "scalar" | "vector" | "matrix" | "string";

export type BinaryOp = "+" | "-" | "*" | "/" | "%" | "^" | "atan2" | "==" | "!=" | ">" | "<" | ">=" | "<=" | "and" | "or" | "unless";

export type AggregateOp = "sum" | "avg" | "min" | "max" | "count" | "group" | "stddev" | "stdvar" | "topk" | "bottomk" | "quantile" | "count_values";

/** `on(…)`/`ignoring(…)` and `group_left(…)`/`group_right(…)`. */
export interface VectorMatching {
  readonly card: "one-to-one" | "many-to-one" | "one-to-many" | "many-to-many";
  /** True for `on(…)`, false for `ignoring(…)` or no clause. */
  readonly on: boolean;
  readonly labels: readonly string[];
  /** Labels copied from the "one" side (`group_left(x)`). */
  readonly include: readonly string[];
}

export interface NumberLiteral {
  readonly type: "number";
  readonly value: number;
  readonly pos: number;
}
export interface StringLiteral {
  readonly type: "string";
  readonly value: string;
  readonly pos: number;
}
export interface VectorSelector {
  readonly type: "vector";
  readonly name: string | undefined;
  readonly matchers: readonly Matcher[];
  /** ms. */
  readonly offset: number;
  readonly pos: number;
}
export interface MatrixSelector {
  readonly type: "matrix";
  readonly selector: VectorSelector;
  /** ms. */ readonly range: number;
  readonly pos: number;
}
export interface Subquery {
  readonly type: "subquery";
  readonly expr: Expr;
  /** ms. */
  readonly range: number;
  /** ms; undefined = the evaluation interval. */
  readonly step: number | undefined;
  /** ms. */
  readonly offset: number;
  readonly pos: number;
}
export interface Call {
  readonly type: "call";
  readonly func: string;
  readonly args: readonly Expr[];
  readonly pos: number;
}
export interface Aggregate {
  readonly type: "aggregate";
  readonly op: AggregateOp;
  readonly param: Expr | undefined;
  readonly expr: Expr;
  readonly grouping: readonly string[];
  readonly without: boolean;
  readonly pos: number;
}
export interface Binary {
  readonly type: "binary";
  readonly op: BinaryOp;
  readonly lhs: Expr;
  readonly rhs: Expr;
  readonly bool: boolean;
  readonly matching: VectorMatching;
  readonly pos: number;
}
export interface Unary {
  readonly type: "unary";
  readonly op: "-" | "+";
  readonly expr: Expr;
  readonly pos: number;
}

export type Expr = NumberLiteral | StringLiteral | VectorSelector | MatrixSelector | Subquery | Call | Aggregate | Binary | Unary;

/** The type an expression evaluates to. */
export function typeOf(e: Expr): ValueType {
  switch (e.type) {
    case "number":
      return "scalar";
    case "string":
      return "string";
    case "vector":
      return "vector";
    case "matrix":
    case "subquery":
      return "matrix";
    case "call":
      return FUNCTION_RETURN[e.func] ?? "vector";
    case "aggregate":
      return "vector";
    case "binary":
      return typeOf(e.lhs) === "scalar" && typeOf(e.rhs) === "scalar" ? "scalar" : "vector";
    case "unary":
      return typeOf(e.expr);
    default: {
      const never: never = e;
      return never;
    }
  }
}

const FUNCTION_RETURN: Readonly<Record<string, ValueType>> = { time: "scalar", scalar: "scalar", pi: "scalar" };
