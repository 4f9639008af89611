/** What a PromQL expression evaluates to at one instant. */
import type { Labels } from "./labels.js";

/** One element of an instant vector. `t` is the sample's own timestamp (ms), kept for `timestamp()`. */
export interface Sample {
  readonly labels: Labels;
  readonly v: number;
  readonly t: number;
}

/**
 * One series of a range vector: the samples at indexes `from` (inclusive) to `to` (exclusive) of
 * `ts`/`vs`, ascending — a view of the storage's buffers, so a range selector copies nothing.
 */
export interface RangeSeries {
  readonly labels: Labels;
  readonly ts: ArrayLike<number>;
  readonly vs: ArrayLike<number>;
  readonly from: number;
  readonly to: number;
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

/*
 * What is known of a vector without reading its label sets, so the duplicate-label-set check
 * Prometheus makes after each function and operator is skipped where it cannot fail: a selector's
 * series are distinct; dropping `__name__` keeps them distinct when they all had the same name.
 */
const distinctVectors = new WeakSet<readonly object[]>();
const oneNameVectors = new WeakSet<readonly object[]>();

/** Records that `v`'s label sets are pairwise distinct and/or all carry one `__name__` (or none). */
export function noteVector<T extends readonly object[]>(v: T, distinct: boolean, oneName: boolean): T {
  if (distinct) distinctVectors.add(v);
  if (oneName) oneNameVectors.add(v);
  return v;
}

/** True when `v` was noted as having pairwise distinct label sets. */
export function isDistinct(v: readonly object[]): boolean {
  return distinctVectors.has(v);
}

/** True when every element of `v` was noted as carrying the same `__name__` (or none). */
export function isOneName(v: readonly object[]): boolean {
  return oneNameVectors.has(v);
}
