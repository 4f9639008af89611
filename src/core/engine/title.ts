/** Incident titles from the policy's template; placeholders were checked when the policy loaded. */
import type { ScopeValues } from "./types.js";

export interface TitleValues {
  readonly scope: ScopeValues;
  readonly rules: readonly string[];
  readonly signals: readonly string[];
  readonly severity: string;
  readonly policy: string;
}

/** Fills `{scope.pop}`, `{rules}`, `{signals}`, `{severity}`, `{policy}`; lists join with `+`, absent values read `-`. */
export function renderTitle(template: string, v: TitleValues): string {
  let out = "";
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf("{", i);
    const close = open === -1 ? -1 : template.indexOf("}", open);
    if (open === -1 || close === -1) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, open) + fill(template.slice(open + 1, close), v);
    i = close + 1;
  }
  return out.replace(/\s+/g, " ").trim();
}

function fill(name: string, v: TitleValues): string {
  const join = (xs: readonly string[]) => (xs.length === 0 ? "-" : xs.join("+"));
  switch (name) {
    case "rules":
      return join(v.rules);
    case "signals":
      return join(v.signals);
    case "severity":
      return v.severity;
    case "policy":
      return v.policy;
    case "scope.service":
      return join(v.scope.service);
    case "scope.region":
      return join(v.scope.region);
    case "scope.pop":
      return join(v.scope.pop);
    case "scope.host":
      return join(v.scope.host);
    default:
      return `{${name}}`;
  }
}
