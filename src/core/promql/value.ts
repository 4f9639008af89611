/** What a PromQL expression evaluates to at one instant. */
import type { Labels } from "./labels.js";

/** One element of an instant vector. `t` is the sample's own timestamp (ms), kept for `timestamp()`. */
export interface Sample {
  readonly labels: Labels;
  readonly v: number;
  readonly t: number;
}

/** One series of a range vector: the samples inside the range, ascending. */
export interface RangeSeries {
  readonly labels: Labels;
  readonly ts: readonly number[];
  readonly vs: readonly number[];
}

export type Value =
  | { readonly kind: "scalar"; readonly v: number }
  | { readonly kind: "string"; readonly s: string }
  | { readonly kind: "vector"; readonly samples: readonly Sample[] }
  /** `rangeStart`/`rangeEnd` (ms) are what rate extrapolates to. */
  | { readonly kind: "matrix"; readonly series: readonly RangeSeries[]; readonly rangeStart: number; readonly rangeEnd: number };

/** An error evaluating a query at one instant (Prometheus fails the rule's evaluation). */
export class EvalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EvalError";
  }
}
