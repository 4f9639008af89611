/**
 * JSON for reports: two-space indent, a final newline, and key order as the builders construct
 * it (every builder creates keys in a fixed order; maps are emitted sorted). Numbers use
 * ECMAScript's shortest round-trip form, identical on every Node version.
 */
export function stableJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
