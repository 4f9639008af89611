/**
 * A small library for fail-closed tests: a `core-dns` policy (scoped `{service: core-dns}`) and
 * windows captured with manifests that scope on other keys (or contradict the policy).
 */
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A core-dns policy; `count` is the NXDOMAIN threshold, `extra` more YAML at the end. */
export function dnsPolicy(count: number, extra = "", head = ""): string {
  return `apiVersion: replay-gate/v1
kind: CorrelationPolicy
metadata: { name: core-dns, version: 1.0.${count} }
scope: { service: core-dns }
${head}detect:
  - id: nxdomain-burst
    match: { signal: dns, attrs.rcode: NXDOMAIN }
    threshold: { count: ${count}, within: 60s }
    severity: major
    standalone: true
${extra}`;
}

/** Writes a window of `n` NXDOMAIN answers from core-dns in eu-west-1; `scope` is the manifest's scope line. */
export function writeDnsWindow(root: string, id: string, scope: string, n = 6, expect = ""): string {
  const dir = join(root, "windows", id);
  mkdirSync(dir, { recursive: true });
  const events = Array.from({ length: n }, (_, i) => JSON.stringify({ ts: `2026-05-01T10:00:${String(i * 5).padStart(2, "0")}Z`, signal: "dns", name: "dns.answer", scope: { service: "core-dns", region: "eu-west-1" }, attrs: { rcode: "NXDOMAIN" } })).join("\n") + "\n";
  writeFileSync(join(dir, "events.ndjson"), events);
  const sha = createHash("sha256").update(events).digest("hex");
  writeFileSync(join(dir, "window.yaml"), `id: ${id}
title: core-dns NXDOMAIN burst
captured_at: 2026-05-01T11:00:00Z
start: 2026-05-01T10:00:00Z
end: 2026-05-01T10:05:00Z
scope: ${scope}
signals: [dns]
events: { path: events.ndjson, sha256: "${sha}", count: ${n}, bytes: ${Buffer.byteLength(events)} }
${expect}`);
  return dir;
}

/** A temp root holding base/core-dns.yaml and head/core-dns.yaml. */
export function dnsLibrary(base: string, head: string): string {
  const root = mkdtempSync(join(tmpdir(), "rg-dns-"));
  mkdirSync(join(root, "base"));
  mkdirSync(join(root, "head"));
  writeFileSync(join(root, "base", "core-dns.yaml"), base);
  writeFileSync(join(root, "head", "core-dns.yaml"), head);
  return root;
}
