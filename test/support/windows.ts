/** Writes small pinned windows into temp directories for loader tests. */
import { createHash } from "node:crypto";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { loadPolicyText } from "../../src/core/policy/load.js";

export interface WindowFixture {
  readonly dir: string;
  readonly eventsPath: string;
}

/** Writes `lines` as the events of a window, pinned correctly unless `pin` overrides fields. */
export function writeWindow(lines: readonly string[], opts: { gzip?: boolean; id?: string; pin?: Partial<{ sha256: string; count: number; bytes: number }>; stored?: Buffer; manifestExtra?: string; root?: string } = {}): WindowFixture {
  const root = opts.root ?? mkdtempSync(join(tmpdir(), "rg-win-"));
  const id = opts.id ?? "w1";
  const dir = join(root, id);
  mkdirSync(dir, { recursive: true });
  const text = lines.map((l) => l + "\n").join("");
  const gzip = opts.gzip ?? true;
  const name = gzip ? "events.ndjson.gz" : "events.ndjson";
  const stored = opts.stored ?? (gzip ? gzipSync(Buffer.from(text)) : Buffer.from(text));
  writeFileSync(join(dir, name), stored);
  const sha = opts.pin?.sha256 ?? createHash("sha256").update(opts.stored ?? stored).digest("hex");
  const manifest = `id: ${id}
title: test window
captured_at: 2026-02-26T10:20:00Z
start: 2026-02-26T10:12:00Z
end: 2026-02-26T10:16:00Z
scope: { service: edge-gw, pop: POP-12 }
signals: [bgp]
events: { path: ${name}, sha256: "${sha}", count: ${opts.pin?.count ?? lines.length}, bytes: ${opts.pin?.bytes ?? stored.length} }
${opts.manifestExtra ?? ""}`;
  writeFileSync(join(dir, "window.yaml"), manifest);
  return { dir, eventsPath: join(dir, name) };
}

export function line(ts: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ ts, signal: "bgp", name: "bgp.withdraw", scope: { service: "edge-gw", pop: "POP-12" }, attrs: { peer: "192.0.2.1" }, ...extra });
}

/** A policy that fires on every bgp event (`count: 1`): the smallest policy that replays a window's every line. */
export const fireOnEveryBgpEvent = loadPolicyText(
  `apiVersion: replay-gate/v1
kind: CorrelationPolicy
metadata: { name: p, version: "1" }
detect:
  - id: a
    match: { signal: bgp }
    threshold: { count: 1, within: 1s }
    standalone: true
`,
  "p.yaml",
);
