/**
 * Text from policies and windows is untrusted: a title, rule id or file name must not mention
 * anyone, close or forge our hidden markers, or inject HTML into a comment or job summary.
 * Every string of a report is passed through {@link neutralizeText} before it is rendered for
 * GitHub; report.json itself keeps the original bytes.
 */

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g;

/**
 * `@name` gets a zero-width joiner after the `@` (no mention, no team ping), `<` and `>` become
 * single angle quotation marks (no HTML, no `<!--` marker), control and bidi characters are dropped.
 */
export function neutralizeText(text: string): string {
  return text
    .replace(CONTROL, "")
    .replace(/@(?=[A-Za-z0-9_-])/g, "@\u200d")
    .replace(/</g, "\u2039")
    .replace(/>/g, "\u203a");
}

/** A deep copy of `value` with every string neutralized (object keys too). */
export function neutralizeDeep<T>(value: T): T {
  if (typeof value === "string") return neutralizeText(value) as T;
  if (Array.isArray(value)) return value.map((v) => neutralizeDeep(v)) as T;
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[neutralizeText(k)] = neutralizeDeep(v);
    return out as T;
  }
  return value;
}
