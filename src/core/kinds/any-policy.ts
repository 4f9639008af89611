/**
 * Policy files of every kind, as `diff`, `check` and the Action resolve them: a CorrelationPolicy
 * keeps its full loaded form (its document and compiled engine program feed the correlation
 * report's rule-level detail), every other kind is carried through the seam (kind.ts) and
 * compared on the shared model plus its own diff.
 */
import { compareStrings } from "../compare.js";
import { fail, InputError } from "../errors.js";
import type { ScopeKey, Signal } from "../event.js";
import { sha256Hex } from "../hash.js";
import { loadPolicyText, type LoadedPolicy } from "../policy/load.js";
import type { PolicyKindId } from "./kind.js";
import { loadKindPolicy, type LoadedKindPolicy } from "./registry.js";

/** A policy file of a kind other than `correlation`. */
export interface OtherPolicy {
  readonly kind: Exclude<PolicyKindId, "correlation">;
  readonly file: string;
  readonly text: string;
  /** `sha256:` + hex of the file's bytes. */
  readonly specHash: string;
  readonly name: string;
  readonly version: string;
  readonly scope: Readonly<Partial<Record<ScopeKey, string>>>;
  readonly seam: LoadedKindPolicy;
}

export type AnyPolicy = LoadedPolicy | OtherPolicy;

/** True for a CorrelationPolicy. */
export function isCorrelation(p: AnyPolicy): p is LoadedPolicy {
  return "doc" in p;
}

/**
 * Loads a policy of any kind, recognised by content. A file no kind recognises is read as a
 * CorrelationPolicy, so its errors are that schema's precise, located ones.
 */
export function loadAnyPolicy(text: string, file: string): AnyPolicy {
  let seam: LoadedKindPolicy;
  try {
    seam = loadKindPolicy(text, file);
  } catch (err) {
    if (err instanceof InputError && err.problems.length === 1 && err.problems[0]!.message === "not a policy replay-gate knows") return loadPolicyText(text, file);
    throw err;
  }
  if (seam.kind.id === "correlation") return loadPolicyText(text, file);
  return { kind: seam.kind.id, file, text, specHash: `sha256:${sha256Hex(text)}`, name: seam.name, version: seam.version, scope: seam.scope, seam };
}

/** One policy of another kind across the change. */
export interface KindPair {
  readonly name: string;
  readonly kind: OtherPolicy["kind"];
  readonly base: OtherPolicy | null;
  readonly head: OtherPolicy | null;
}

/** Pairs the other-kind policies by name, sorted; a name used twice on one side, or by two kinds, is an input error. */
export function pairKindPolicies(base: readonly OtherPolicy[], head: readonly OtherPolicy[], correlationNames: ReadonlySet<string>): KindPair[] {
  const byName = (side: string, ps: readonly OtherPolicy[]) => {
    const m = new Map<string, OtherPolicy>();
    for (const p of ps) {
      const twin = m.get(p.name);
      if (twin) fail({ file: p.file, message: `${side} has two policies named "${p.name}" (also ${twin.file})`, hint: "each policy name may appear once per side; rename one file" });
      if (correlationNames.has(p.name))
        fail({ file: p.file, message: `the name "${p.name}" is also a CorrelationPolicy's metadata.name`, hint: "rename the file or the CorrelationPolicy so each policy has its own name" });
      m.set(p.name, p);
    }
    return m;
  };
  const b = byName("base", base),
    h = byName("head", head);
  // A kind without names of its own (an Alertmanager configuration is named by its file) given as
  // one file per side — `diff --base old.yml --head new.yml` — is one policy across the change.
  for (const kind of new Set(head.map((p) => p.kind))) {
    const bs = base.filter((p) => p.kind === kind),
      hs = head.filter((p) => p.kind === kind);
    if (bs.length === 1 && hs.length === 1 && bs[0]!.name !== hs[0]!.name && !h.has(bs[0]!.name) && !b.has(hs[0]!.name)) {
      b.delete(bs[0]!.name);
      b.set(hs[0]!.name, bs[0]!);
    }
  }
  const names = [...new Set([...b.keys(), ...h.keys()])].sort(compareStrings);
  return names.map((name) => {
    const bp = b.get(name) ?? null,
      hp = h.get(name) ?? null;
    if (bp && hp && bp.kind !== hp.kind)
      fail({
        file: hp.file,
        message: `"${name}" is ${bp.seam.kind.label} in base and ${hp.seam.kind.label} in head`,
        hint: "a policy keeps its kind across a change; add the new file under another name",
      });
    return { name, kind: (hp ?? bp)!.kind, base: bp, head: hp };
  });
}

/**
 * True when a window can be evidence for the kind: its manifest lists a signal the kind reads
 * (an Alertmanager configuration reads alerts; Prometheus rules read metrics).
 */
export function windowFeedsKind(p: OtherPolicy, signals: readonly Signal[]): boolean {
  const wants = p.seam.kind.signals;
  return wants === undefined || wants.some((s) => signals.includes(s));
}
