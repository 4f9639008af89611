/**
 * The capture mapping file: how a source record's fields become an event's `scope`, `source`
 * and `attrs`. Operators' exports name POPs, regions and services in many ways, so each scope
 * dimension is a list of rules tried in order; the first that yields a value wins.
 *
 * ```yaml
 * apiVersion: replay-gate/v1
 * kind: CaptureMapping
 * scope:
 *   service: { value: edge-gw }                                # a constant
 *   pop:
 *     - { field: pop }                                          # a label or field, as is
 *     - { field: peer_asn, table: { "60427": POP-AMS-1 } }     # exact values (ASNs, IPs, names)
 *     - { field: peer, prefixes: { 37.49.236.0/22: POP-AMS } } # longest prefix of an address
 *     - { field: instance, globs: [{ glob: "edge-*.pop12.*", value: POP-12 }] }  # host-name patterns
 * source: { field: sampler }
 * attrs: { keep: [peer, peer_asn, prefix], add: [as_path], drop: [next_hop] }
 * ```
 *
 * Host-name patterns are `*` globs compiled once (no regular expressions from input).
 */
import { z } from "zod";
import { compareStrings } from "../compare.js";
import { FORBIDDEN_KEYS, SCOPE_KEYS, SIGNALS, type AttrValue, type Scope, type ScopeKey, type Signal } from "../event.js";
import { compileGlob } from "../policy/matcher.js";
import { PrefixTable, parseIpPrefix } from "./ip.js";
import { nullRecord, type CaptureRecord } from "./record.js";

const fieldName = z
  .string()
  .min(1)
  .max(200)
  .refine((s) => !FORBIDDEN_KEYS.has(s), { message: "reserved name" });
const scopeValue = z.string().min(1).max(200);

/** One way to derive a value from a record. */
export const valueRuleSchema = z
  .strictObject({
    /** The source field to read (`peer_asn`, `instance`, `src`, …; each adapter documents its fields). */
    field: fieldName.optional(),
    /** A constant, or with `field`: nothing else — use table/prefixes/globs to translate. */
    value: scopeValue.optional(),
    /** Exact field values to results: ASNs, IPs, names. */
    table: z.record(z.string(), scopeValue).optional(),
    /** Address prefixes to results; the longest prefix containing the field's address or prefix wins. */
    prefixes: z.record(z.string(), scopeValue).optional(),
    /** `*` globs over the field's text to results, tried in order. */
    globs: z
      .array(z.strictObject({ glob: z.string().min(1), value: scopeValue }))
      .min(1)
      .optional(),
    /** Apply the rule only to events of these signals. */
    signals: z.array(z.enum(SIGNALS)).min(1).optional(),
  })
  .superRefine((r, ctx) => {
    const translations = [r.table, r.prefixes, r.globs].filter((t) => t !== undefined).length;
    if (r.field === undefined) {
      if (r.value === undefined) ctx.addIssue({ code: "custom", message: "a rule needs `value` (a constant) or `field` (read from the record)" });
      if (translations > 0) ctx.addIssue({ code: "custom", message: "table, prefixes and globs translate a `field`; add one" });
    } else {
      if (r.value !== undefined) ctx.addIssue({ code: "custom", path: ["value"], message: "`value` is a constant and cannot be combined with `field`" });
      if (translations > 1) ctx.addIssue({ code: "custom", message: "use one of table, prefixes or globs per rule" });
    }
    if (r.prefixes) {
      for (const key of Object.keys(r.prefixes)) {
        if (parseIpPrefix(key) === undefined) ctx.addIssue({ code: "custom", path: ["prefixes", key], message: `"${key}" is not an IPv4/IPv6 address or prefix like 10.0.0.0/8` });
      }
    }
  });
export type ValueRule = z.infer<typeof valueRuleSchema>;

const rules = z.union([valueRuleSchema, z.array(valueRuleSchema).min(1)]);

const attrList = z.array(fieldName.max(200)).optional();

export const mappingSchema = z.strictObject({
  apiVersion: z.literal("replay-gate/v1"),
  kind: z.literal("CaptureMapping"),
  /** Free text for people. */
  description: z.string().optional(),
  /** Per scope dimension, rules tried in order; the first that yields a value wins. */
  scope: z.strictObject(Object.fromEntries(SCOPE_KEYS.map((k) => [k, rules.optional()])) as Record<ScopeKey, z.ZodOptional<typeof rules>>).default({}),
  /** Rules for the event's `source`; without them, the adapter's own (sampler, collector, instance). */
  source: rules.optional(),
  /** Which source fields are kept in `attrs`; entries are field names or `*` globs. */
  attrs: z
    .strictObject({
      /** Replaces the adapter's defaults. */
      keep: attrList,
      /** Added to the defaults (or to `keep`). */
      add: attrList,
      /** Removed from the result. */
      drop: attrList,
    })
    .default({}),
});
export type CaptureMapping = z.infer<typeof mappingSchema>;

/** The mapping used when none is given: no scope, adapters' own sources and default attrs. */
export const DEFAULT_MAPPING: CaptureMapping = { apiVersion: "replay-gate/v1", kind: "CaptureMapping", scope: {}, attrs: {} };

type Getter = (r: CaptureRecord) => string | undefined;

function asText(v: AttrValue | undefined): string | undefined {
  if (v === undefined) return undefined;
  const s = typeof v === "string" ? v : String(v);
  return s.length === 0 ? undefined : s;
}

/** Lookups repeat heavily (a window has few peers and hosts); bounded so memory stays flat. */
const CACHE_LIMIT = 65_536;

function cached(fn: (s: string) => string | undefined): (s: string) => string | undefined {
  const cache = new Map<string, string | undefined>();
  return (s) => {
    if (cache.has(s)) return cache.get(s);
    const out = fn(s);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(s, out);
    return out;
  };
}

function compileRule(rule: ValueRule): Getter {
  const signals = rule.signals ? new Set<Signal>(rule.signals) : undefined;
  let get: Getter;
  if (rule.field === undefined) {
    const constant = rule.value;
    get = () => constant;
  } else {
    const field = rule.field;
    let translate: ((s: string) => string | undefined) | undefined;
    if (rule.table) {
      const table = new Map(Object.entries(rule.table));
      translate = (s) => table.get(s);
    } else if (rule.prefixes) {
      const table = new PrefixTable<string>();
      for (const [k, v] of Object.entries(rule.prefixes).sort((a, b) => compareStrings(a[0], b[0]))) table.add(k, v);
      translate = cached((s) => table.lookup(s));
    } else if (rule.globs) {
      const globs = rule.globs.map((g) => ({ test: compileGlob(g.glob), value: g.value }));
      translate = cached((s) => globs.find((g) => g.test(s))?.value);
    }
    get =
      translate === undefined
        ? (r) => asText(r.fields.get(field))
        : (r) => {
            const s = asText(r.fields.get(field));
            return s === undefined ? undefined : translate(s);
          };
  }
  if (signals === undefined) return get;
  return (r) => (signals.has(r.signal) ? get(r) : undefined);
}

function compileRules(spec: ValueRule | ValueRule[] | undefined): Getter | undefined {
  if (spec === undefined) return undefined;
  const list = (Array.isArray(spec) ? spec : [spec]).map(compileRule);
  if (list.length === 1) return list[0];
  return (r) => {
    for (const get of list) {
      const v = get(r);
      if (v !== undefined) return v;
    }
    return undefined;
  };
}

/** A list of field names and globs, compiled. */
interface NameSet {
  readonly exact: ReadonlySet<string>;
  readonly globs: readonly ((s: string) => boolean)[];
}

function nameSet(names: readonly string[]): NameSet {
  return {
    exact: new Set(names.filter((n) => !n.includes("*"))),
    globs: names.filter((n) => n.includes("*")).map(compileGlob),
  };
}

function inSet(set: NameSet, name: string): boolean {
  return set.exact.has(name) || set.globs.some((g) => g(name));
}

/** The mapped parts of an event. */
export interface MappedParts {
  readonly scope: Scope;
  readonly source: string | undefined;
  readonly attrs: Readonly<Record<string, AttrValue>> | undefined;
}

/** A compiled mapping: record in, scope, source and attrs out. */
export type RecordMapper = (r: CaptureRecord) => MappedParts;

/** Compiles a validated mapping once; the per-record path does no parsing. */
export function compileMapping(mapping: CaptureMapping): RecordMapper {
  const scopeGetters: [ScopeKey, Getter][] = [];
  for (const key of SCOPE_KEYS) {
    const get = compileRules(mapping.scope[key]);
    if (get) scopeGetters.push([key, get]);
  }
  const sourceGet = compileRules(mapping.source);
  const keepList = mapping.attrs.keep;
  const add = mapping.attrs.add ?? [];
  const drop = nameSet(mapping.attrs.drop ?? []);
  const planFor = (base: readonly string[]): AttrPlan => {
    const all = [...base, ...add];
    // Sorted, so attrs are built in the order they are written and serialization need not sort.
    const exact = [...new Set(all.filter((n) => !n.includes("*")))].filter((n) => !FORBIDDEN_KEYS.has(n) && !inSet(drop, n)).sort(compareStrings);
    const globs = all.filter((n) => n.includes("*")).map(compileGlob);
    return { exact, exactSet: new Set(exact), globs };
  };
  const keepPlan = keepList ? planFor(keepList) : undefined;
  // Default attr lists are shared constants per record kind, so their plans are cached by identity.
  const defaultPlans = new Map<readonly string[], AttrPlan>();

  return (r) => {
    const scope: { -readonly [K in ScopeKey]?: string } = {};
    for (let i = 0; i < scopeGetters.length; i++) {
      const [key, get] = scopeGetters[i]!;
      const v = get(r);
      if (v !== undefined) scope[key] = v;
    }
    const source = sourceGet ? (sourceGet(r) ?? r.source) : r.source;
    let plan = keepPlan;
    if (plan === undefined) {
      plan = defaultPlans.get(r.defaultAttrs);
      if (plan === undefined) {
        plan = planFor(r.defaultAttrs);
        defaultPlans.set(r.defaultAttrs, plan);
      }
    }
    let attrs: Record<string, AttrValue> | undefined;
    const fields = r.fields;
    for (let i = 0; i < plan.exact.length; i++) {
      const n = plan.exact[i]!;
      const v = fields.get(n);
      if (v === undefined || (typeof v === "number" && !Number.isFinite(v))) continue;
      attrs ??= nullRecord<AttrValue>();
      attrs[n] = v;
    }
    if (plan.globs.length > 0) {
      for (const n of fields.names()) {
        if (plan.exactSet.has(n) || FORBIDDEN_KEYS.has(n) || inSet(drop, n) || !plan.globs.some((g) => g(n))) continue;
        const v = fields.get(n);
        if (v === undefined || (typeof v === "number" && !Number.isFinite(v))) continue;
        attrs ??= nullRecord<AttrValue>();
        attrs[n] = v;
      }
    }
    return { scope, source, attrs };
  };
}

/** Which fields become attrs, resolved once per attr list. */
interface AttrPlan {
  readonly exact: readonly string[];
  readonly exactSet: ReadonlySet<string>;
  readonly globs: readonly ((s: string) => boolean)[];
}

/** The `--scope key=value` filter: every given dimension must equal (or glob-match) the event's. */
export function compileScopeFilter(filter: Partial<Record<ScopeKey, string>>): (s: Scope) => boolean {
  const checks = SCOPE_KEYS.filter((k) => filter[k] !== undefined).map((k) => {
    const test = compileGlob(filter[k]!);
    return (s: Scope) => s[k] !== undefined && test(s[k]);
  });
  if (checks.length === 0) return () => true;
  return (s) => checks.every((c) => c(s));
}
