/**
 * A policy's own change (docs/report.md#policies): semantically — each rule added, removed or changed, field by
 * field, with the YAML line of the rule on each side — and as a unified text diff (the `diff`
 * package). Fields are compared on the validated document (defaults filled in, durations in
 * ms), so reformatting or spelling a default out is no change; values are shown as a person
 * wrote them (`60s`, RFC 3339 times).
 */
import { createTwoFilesPatch } from "diff";
import { compareStrings } from "../compare.js";
import { RULE_SECTIONS, SETTING_SECTIONS } from "../model/vocabulary.js";
import { THRESHOLD_DURATION_KEYS } from "../engine/detect/kinds.js";
import type { LoadedPolicy } from "../policy/load.js";
import type { RuleChange } from "../report/report-schema.js";
import { formatDuration, formatTimestamp } from "../time.js";
import { parseYaml } from "../yaml.js";

type Section = RuleChange["section"];
/** Keys shown as durations: every detect kind's, `correlate[].within` and `group.dedupe_within`. */
const DURATION_KEYS = new Set([...THRESHOLD_DURATION_KEYS, "within", "dedupe_within"]);
const TIME_KEYS = new Set(["from", "to"]);

function show(key: string, v: unknown): string {
  if (typeof v === "number" && DURATION_KEYS.has(key)) return formatDuration(v);
  if (typeof v === "number" && TIME_KEYS.has(key)) return formatTimestamp(v);
  if (typeof v === "string") return v;
  if (Array.isArray(v)) return `[${v.map((x) => show("", x)).join(", ")}]`;
  return JSON.stringify(v);
}

/** Flattens an object to `dotted.path → display value`; arrays are one value. */
export function flatten(value: unknown, prefix = "", out = new Map<string, string>()): Map<string, string> {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined) continue;
      flatten(v, prefix === "" ? k : `${prefix}.${k}`, out);
    }
  } else {
    const key = prefix.slice(prefix.lastIndexOf(".") + 1);
    out.set(prefix, show(key, value));
  }
  return out;
}

/**
 * A duration as the person wrote it (`300s` stays `300s`, not `5m`): the raw YAML scalar at the
 * path, when there is one; a default filled in by validation shows in canonical form.
 */
function asWritten(raw: unknown, path: string, shown: string | undefined): string | undefined {
  if (shown === undefined) return undefined;
  const keys = path.split(".");
  if (!DURATION_KEYS.has(keys[keys.length - 1]!)) return shown;
  let node = raw;
  for (const k of keys) {
    if (node === null || typeof node !== "object" || Array.isArray(node) || !Object.hasOwn(node, k)) return shown;
    node = (node as Record<string, unknown>)[k];
  }
  return typeof node === "string" || typeof node === "number" ? String(node) : shown;
}

function fieldDiff(base: unknown, head: unknown, rawBase: unknown, rawHead: unknown): RuleChange["fields"] {
  const b = base === undefined ? new Map<string, string>() : flatten(base);
  const h = head === undefined ? new Map<string, string>() : flatten(head);
  const paths = [...new Set([...b.keys(), ...h.keys()])].sort(compareStrings);
  // Compared on the validated values (`60s` equals `1m`), shown as written.
  return paths.filter((p) => b.get(p) !== h.get(p)).map((p) => ({ path: p, base: asWritten(rawBase, p, b.get(p)) ?? null, head: asWritten(rawHead, p, h.get(p)) ?? null }));
}

/** The policy's YAML as written (before defaults and duration parsing), for display. */
function rawDoc(p: LoadedPolicy | null): Record<string, unknown> {
  if (p === null) return {};
  const v = parseYaml(p.text, p.file).value;
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function rawAt(raw: Record<string, unknown>, section: string, index: number | undefined): unknown {
  const v = Object.hasOwn(raw, section) ? raw[section] : undefined;
  if (index === undefined) return v;
  return Array.isArray(v) ? v[index] : undefined;
}

type Locate = (path: readonly PropertyKey[]) => number | null;

function locator(p: LoadedPolicy | null): Locate {
  if (p === null) return () => null;
  const doc = parseYaml(p.text, p.file);
  return (path) => doc.locate(path)?.line ?? null;
}

/** Rule by rule, then setting by setting: what changed between two versions of one policy. */
export function semanticPolicyDiff(base: LoadedPolicy | null, head: LoadedPolicy | null): RuleChange[] {
  const out: RuleChange[] = [];
  const lb = locator(base),
    lh = locator(head);
  const rb = rawDoc(base),
    rh = rawDoc(head);
  for (const section of SETTING_SECTIONS) {
    const bv = base?.doc[section],
      hv = head?.doc[section];
    const fields =
      section === "mode"
        ? bv === hv
          ? []
          : [{ path: "mode", base: bv === undefined ? null : String(bv), head: hv === undefined ? null : String(hv) }]
        : fieldDiff(bv, hv, rawAt(rb, section, undefined), rawAt(rh, section, undefined));
    if (fields.length === 0) continue;
    out.push({ section, id: null, change: base === null ? "added" : head === null ? "removed" : "changed", base_line: lb([section]), head_line: lh([section]), fields });
  }
  for (const section of RULE_SECTIONS) {
    const bRules = (base?.doc[section] ?? []) as readonly { id: string }[];
    const hRules = (head?.doc[section] ?? []) as readonly { id: string }[];
    const bIndex = new Map(bRules.map((r, i) => [r.id, i]));
    const hIndex = new Map(hRules.map((r, i) => [r.id, i]));
    // Head order first (the file a reviewer reads), then rules only base had.
    const ids = [...hRules.map((r) => r.id), ...bRules.map((r) => r.id).filter((id) => !hIndex.has(id))];
    for (const id of ids) {
      const bi = bIndex.get(id),
        hi = hIndex.get(id);
      const bRule = bi === undefined ? undefined : bRules[bi],
        hRule = hi === undefined ? undefined : hRules[hi];
      const fields = fieldDiff(stripId(bRule), stripId(hRule), rawAt(rb, section, bi), rawAt(rh, section, hi));
      if (bRule !== undefined && hRule !== undefined && fields.length === 0) continue;
      out.push({
        section: section as Section,
        id,
        change: bRule === undefined ? "added" : hRule === undefined ? "removed" : "changed",
        base_line: bi === undefined ? null : lb([section, bi]),
        head_line: hi === undefined ? null : lh([section, hi]),
        fields,
      });
    }
  }
  return out;
}

function stripId(rule: { id: string } | undefined): unknown {
  if (rule === undefined) return undefined;
  const { id: _id, ...rest } = rule;
  return rest;
}

/** Unified diff of the two files; empty when the texts are equal. */
export function textPolicyDiff(base: Pick<LoadedPolicy, "text" | "file"> | null, head: Pick<LoadedPolicy, "text" | "file"> | null): string {
  const bText = base?.text ?? "",
    hText = head?.text ?? "";
  if (bText === hText) return "";
  const patch = createTwoFilesPatch(base?.file ?? "/dev/null", head?.file ?? "/dev/null", bText, hText, undefined, undefined, { context: 3 });
  // Drop the `Index:`/`===` banner the package writes: `---`/`+++` already name the files.
  return patch.replace(/^=+\n/m, "").replace(/^Index: .*\n/m, "");
}
