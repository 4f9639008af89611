/** The adapter registry: every export format `capture` reads, by name. */
import { alertmanagerAdapter } from "./alertmanager.js";
import { alertmanagerPostAdapter } from "./alertmanager-post.js";
import { prometheusAlertsAdapter } from "./prometheus-alerts.js";
import { bgpdumpAdapter } from "./bgpdump.js";
import { goflow2Adapter } from "./goflow2.js";
import { prometheusAdapter } from "./prometheus.js";
import { risLiveAdapter } from "./rislive.js";
import type { Adapter } from "./types.js";
import { zeekAdapter } from "./zeek.js";

export type { Adapter, AdapterContext, LineParser } from "./types.js";

/** In detection order: the most specific signatures first. */
export const ADAPTERS: readonly Adapter[] = [zeekAdapter, bgpdumpAdapter, risLiveAdapter, goflow2Adapter, prometheusAdapter, alertmanagerPostAdapter, alertmanagerAdapter, prometheusAlertsAdapter];

const BY_NAME = new Map<string, Adapter>();
for (const a of ADAPTERS) for (const n of [a.name, ...a.aliases]) BY_NAME.set(n, a);

/** The adapter called `name` (or one of its aliases). */
export function findAdapter(name: string): Adapter | undefined {
  return BY_NAME.get(name);
}

/** Every name `--from` accepts. */
export function adapterNames(): string[] {
  return [...BY_NAME.keys()];
}

/** The adapters whose signature matches the head of a file. */
export function detectAdapters(head: string): Adapter[] {
  return ADAPTERS.filter((a) => a.detect(head));
}
