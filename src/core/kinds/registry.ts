/**
 * The registered policy kinds, and recognising a file's kind by its content. A new kind is one
 * folder beside this file and one entry in {@link POLICY_KINDS}.
 */
import { InputError } from "../errors.js";
import { parseYaml } from "../yaml.js";
import { alertmanagerKind } from "./alertmanager/index.js";
import { correlationKind } from "./correlation/index.js";
import type { KindCompiled, PolicyKind } from "./kind.js";
import { prometheusRulesKind } from "./prometheus-rules/index.js";

/** In the order they are tried: the first whose `recognise` holds takes the file. */
export const POLICY_KINDS: readonly PolicyKind[] = [correlationKind as PolicyKind, alertmanagerKind as PolicyKind, prometheusRulesKind as PolicyKind];

/** A policy file of any kind, compiled. */
export interface LoadedKindPolicy extends KindCompiled<unknown> {
  readonly kind: PolicyKind;
  readonly file: string;
  readonly text: string;
}

/** Parses `text`, recognises its kind and compiles it; throws InputError naming file, line and field. */
export function loadKindPolicy(text: string, file: string): LoadedKindPolicy {
  // Recognise on a lenient parse (some kinds' files use anchors), then re-parse strictly for
  // kinds that refuse them, so their files keep the alias-bomb defence and its located errors.
  const lenient = parseYaml(text, file, { allowAliases: true });
  const kind = POLICY_KINDS.find((k) => k.recognise(lenient.value));
  const yaml = kind?.allowsYamlAliases === true ? lenient : parseYaml(text, file);
  if (kind === undefined) {
    throw new InputError([
      {
        file,
        line: 1,
        column: 1,
        message: "not a policy replay-gate knows",
        hint: `expected one of: ${POLICY_KINDS.map((k) => k.label).join("; ")}`,
      },
    ]);
  }
  return { ...kind.compile(yaml, text), kind, file, text };
}
