/**
 * The detect kinds, registered. A new kind is a module like `count.ts` and one entry in
 * {@link DETECT_KINDS}; the threshold schema, the compiled rule type, the reachability warnings
 * and the policy diff's duration keys all follow from this list.
 */
import { z } from "zod";
import { countKind } from "./count.js";
import { levelKind } from "./level.js";
import type { ThresholdIssue, Unreachable, WindowCapacity } from "./kind.js";

/** Every detect kind, in the order messages list them. */
export const DETECT_KINDS = [countKind, levelKind] as const;

type AnyKind = (typeof DETECT_KINDS)[number];
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/** A compiled threshold of any registered kind, discriminated by `kind`. */
export type AnyThreshold = ReturnType<AnyKind["compile"]>;

/** Every kind's keys, each optional: the shape of `threshold` in a policy file. */
export const THRESHOLD_KEYS = Object.assign({}, ...DETECT_KINDS.map((k) => k.keys)) as UnionToIntersection<AnyKind["keys"]>;

/** A validated `threshold` block. */
export type ThresholdDocument = z.output<z.ZodObject<typeof THRESHOLD_KEYS>>;

/** The threshold keys that hold durations, over all kinds. */
export const THRESHOLD_DURATION_KEYS: readonly string[] = DETECT_KINDS.flatMap((k) => k.durationKeys);

/** The kinds whose keys `t` uses. */
function kindsOf(t: Readonly<Record<string, unknown>>): AnyKind[] {
  return DETECT_KINDS.filter((k) => Object.keys(k.keys).some((key) => t[key] !== undefined));
}

/** Problems with a threshold block: no kind, two kinds, or the one kind's own checks. */
export function checkThreshold(t: ThresholdDocument): ThresholdIssue[] {
  const kinds = kindsOf(t);
  if (kinds.length > 1) return [{ message: `use either ${kinds.map((k) => k.form).join(" or ")}, not both` }];
  if (kinds.length === 0) return [{ message: `expected ${DETECT_KINDS.map((k) => k.example).join(" or ")}` }];
  return kinds[0]!.check(t);
}

function kindOf(t: ThresholdDocument): AnyKind {
  const kinds = kindsOf(t);
  // The schema admits exactly one kind per threshold: anything else is a bug, not bad input.
  if (kinds.length !== 1) throw new Error(`threshold matches ${kinds.length} detect kinds`);
  return kinds[0]!;
}

/** Compiles a validated threshold block. */
export function compileThreshold(t: ThresholdDocument): AnyThreshold {
  return kindOf(t).compile(t);
}

/** The keys of a validated threshold that a window can never meet. */
export function unreachableThreshold(t: ThresholdDocument, rule: string, window: WindowCapacity): Unreachable[] {
  return kindOf(t).unreachable(t, rule, window);
}
