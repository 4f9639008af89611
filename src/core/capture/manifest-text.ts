/**
 * `window.yaml` as text, in a fixed key order (the order of docs/formats.md#pinned-window), so a re-capture of the
 * same inputs writes the same bytes and a diff of two manifests shows only what changed.
 */
import { stringify } from "yaml";
import { compareStrings } from "../compare.js";
import type { WindowManifest } from "../window/manifest.js";

const TOP_ORDER = ["id", "title", "captured_at", "start", "end", "scope", "signals", "source", "policy_spec_hash", "events", "tags", "expect", "capture"] as const;
const ORDERS: Readonly<Record<string, readonly string[]>> = {
  scope: ["service", "region", "pop", "host"],
  events: ["path", "sha256", "count", "bytes", "uncompressed_bytes"],
  expect: ["incidents", "together", "apart", "actions"],
  capture: ["tool", "sources", "mapping", "scope_filter", "max_reject_fraction", "duplicates_dropped", "out_of_range_dropped", "out_of_scope_dropped"],
  source_entry: ["adapter", "path", "sha256", "bytes", "records", "rejected"],
  mapping: ["path", "sha256"],
};

function ordered(value: Readonly<Record<string, unknown>>, order: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of order) if (value[k] !== undefined) out[k] = value[k];
  // Keys outside the known order (free-form maps such as `source:` or `expect.actions`) keep a sorted order.
  for (const k of Object.keys(value).sort(compareStrings)) if (!Object.hasOwn(out, k) && value[k] !== undefined) out[k] = value[k];
  return out;
}

/** Renders a manifest as YAML 1.2 with stable key order. */
export function renderManifest(m: WindowManifest): string {
  const top = ordered(m as unknown as Record<string, unknown>, TOP_ORDER);
  for (const k of ["scope", "events", "expect", "source"] as const) {
    if (top[k] !== undefined) top[k] = ordered(top[k] as Record<string, unknown>, ORDERS[k] ?? []);
  }
  if (m.expect?.actions !== undefined) (top.expect as Record<string, unknown>).actions = ordered(m.expect.actions, []);
  if (m.capture !== undefined) {
    const capture = ordered(m.capture as unknown as Record<string, unknown>, ORDERS.capture!);
    capture.sources = m.capture.sources.map((s) => ordered(s as unknown as Record<string, unknown>, ORDERS.source_entry!));
    if (m.capture.mapping !== undefined) capture.mapping = ordered(m.capture.mapping, ORDERS.mapping!);
    if (capture.scope_filter !== undefined) capture.scope_filter = ordered(capture.scope_filter as Record<string, unknown>, ORDERS.scope!);
    top.capture = capture;
  }
  return stringify(top, { version: "1.2", lineWidth: 0, flowCollectionPadding: false });
}
