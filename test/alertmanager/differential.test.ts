/**
 * The simulator against the real Alertmanager 0.25: each scenario runs a real Alertmanager on
 * loopback (all scenarios at once), POSTs alerts at scheduled times, records the webhook
 * notifications; the same POSTs are written as an `alertmanager-post` tap, read by the capture
 * adapter into window events, and replayed by the kind. Sequences must match exactly
 * (receiver, group labels, firing and resolved label sets); times within a tolerance that
 * survives a loaded machine (scheduled events sit 0.5 s from every flush tick).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serializeEvent } from "../../src/core/capture/serialize.js";
import { isEventIssue, normalizeEvent, type NormalizedEvent } from "../../src/core/event.js";
import { alertmanagerKind, type AlertmanagerCompiled, type AlertmanagerExtras } from "../../src/core/kinds/alertmanager/index.js";
import { parseYaml } from "../../src/core/yaml.js";
import { runAdapter } from "../capture/helpers.js";
import { alertmanagerAvailable, postAlerts, sleep, startAlertmanager, startWebhook, type ReceivedNotification } from "../support/alertmanager-harness.js";
import { HAND_WRITTEN, randomScenario, timeIntervalScenario, type Scenario } from "./scenarios.js";

const AVAILABLE = alertmanagerAvailable();
/** Arrival may lag a tick by scheduling delays on a loaded machine; ticks and POSTs are 500 ms apart. */
const TOLERANCE_MS = 450;

interface Comparable {
  readonly at: number;
  readonly key: string;
}

function canon(labels: Record<string, string>): string {
  return JSON.stringify(Object.keys(labels).sort().map((k) => [k, labels[k]]));
}

function realComparable(n: ReceivedNotification): Comparable {
  const firing = n.body.alerts.filter((a) => a.status === "firing").map((a) => canon(a.labels));
  const resolved = n.body.alerts.filter((a) => a.status === "resolved").map((a) => canon(a.labels));
  return { at: n.at, key: JSON.stringify([n.body.receiver, canon(n.body.groupLabels), firing, resolved]) };
}

function simComparable(n: AlertmanagerExtras["notifications"][number]): Comparable {
  return { at: n.at, key: JSON.stringify([n.receiver, canon(n.group_labels), n.firing.map((a) => canon(a.labels)), n.resolved.map((a) => canon(a.labels))]) };
}

interface Outcome {
  readonly scenario: string;
  readonly real: Comparable[];
  readonly sim: Comparable[];
}

const iso = (ms: number) => new Date(ms).toISOString();

async function runScenario(s: Scenario): Promise<Outcome> {
  const hook = await startWebhook();
  const configText = s.config(`http://127.0.0.1:${hook.port}`);
  const am = await startAlertmanager(configText);
  const t0 = am.readyAt + 500;
  const tap: string[] = [];
  try {
    for (const post of s.posts) {
      await sleep(t0 + post.at * 1000 - Date.now());
      const body = post.alerts.map((a) => ({
        labels: a.labels,
        ...(a.startsAt !== undefined ? { startsAt: iso(t0 + a.startsAt * 1000) } : {}),
        ...(a.endsAt !== undefined ? { endsAt: iso(t0 + a.endsAt * 1000) } : {}),
      }));
      const at = await postAlerts(am.url, body);
      tap.push(JSON.stringify({ received_at: iso(at), alerts: body }));
    }
    await sleep(t0 + s.duration * 1000 - Date.now());
  } finally {
    await am.stop();
    await hook.close();
  }
  const end = t0 + s.duration * 1000;
  const real = hook.received.filter((n) => n.at <= end + TOLERANCE_MS).map(realComparable);

  // The same POSTs through the capture adapter, the window's byte form, and the kind.
  const run = runAdapter("alertmanager-post", tap.join("\n"));
  expect(run.rejects).toEqual([]);
  const compiled = alertmanagerKind.compile(parseYaml(configText, "alertmanager.yml", { allowAliases: true }), configText);
  const replay = alertmanagerKind.start(compiled.compiled as AlertmanagerCompiled, { id: s.name, start: t0, end, scope: {} });
  run.raw.forEach((r, id) => {
    const line = serializeEvent({ ts: r.ts, signal: r.signal, name: r.name, scope: {}, labels: r.labels, ...(r.starts_at !== undefined ? { starts_at: r.starts_at } : {}), ...(r.ends_at !== undefined ? { ends_at: r.ends_at } : {}) });
    const e = normalizeEvent(JSON.parse(line));
    if (isEventIssue(e)) throw new Error(e.message);
    replay.push(e as NormalizedEvent, id);
  });
  const sim = replay.finish().extras.notifications.map(simComparable);
  return { scenario: s.name, real, sim };
}

/** Pairs each simulated notification with an equal real one within the tolerance, in time order. */
function compare(o: Outcome): { unmatchedSim: Comparable[]; unmatchedReal: Comparable[]; maxSkew: number } {
  const free = [...o.real];
  const unmatchedSim: Comparable[] = [];
  let maxSkew = 0;
  for (const n of [...o.sim].sort((a, b) => a.at - b.at)) {
    let best = -1;
    for (let i = 0; i < free.length; i++) {
      if (free[i]!.key !== n.key || Math.abs(free[i]!.at - n.at) > TOLERANCE_MS) continue;
      if (best < 0 || Math.abs(free[i]!.at - n.at) < Math.abs(free[best]!.at - n.at)) best = i;
    }
    if (best < 0) unmatchedSim.push(n);
    else {
      maxSkew = Math.max(maxSkew, Math.abs(free[best]!.at - n.at));
      free.splice(best, 1);
    }
  }
  return { unmatchedSim, unmatchedReal: free, maxSkew };
}

const SCENARIOS: Scenario[] = [...HAND_WRITTEN, timeIntervalScenario(new Date().getUTCFullYear()), ...[1, 2, 3, 4, 5].map(randomScenario)];

describe.skipIf(!AVAILABLE)("the simulator agrees with the real Alertmanager 0.25", () => {
  const outcomes = new Map<string, Outcome>();
  beforeAll(async () => {
    const results = await Promise.all(SCENARIOS.map(runScenario));
    for (const r of results) outcomes.set(r.scenario, r);
  }, 120_000);
  afterAll(() => {
    const agreed = [...outcomes.values()].filter((o) => {
      const c = compare(o);
      return c.unmatchedSim.length === 0 && c.unmatchedReal.length === 0;
    }).length;
    const skew = Math.max(0, ...[...outcomes.values()].map((o) => compare(o).maxSkew));
    console.info(`alertmanager differential: ${outcomes.size} scenarios ran, ${agreed} agreed; ${[...outcomes.values()].reduce((n, o) => n + o.real.length, 0)} notifications; max time skew ${skew} ms`);
  });

  it.each(SCENARIOS.map((s) => [s.name]))("%s", (name) => {
    const o = outcomes.get(name)!;
    const c = compare(o);
    expect(o.real.length).toBeGreaterThan(0);
    expect({ missingInReal: c.unmatchedSim, extraInReal: c.unmatchedReal }).toEqual({ missingInReal: [], extraInReal: [] });
  });
});

describe.skipIf(AVAILABLE)("differential tests against Alertmanager", () => {
  it("are skipped: /usr/bin/prometheus-alertmanager 0.25 is not installed (apt-get install prometheus-alertmanager)", () => {
    expect(AVAILABLE).toBe(false);
  });
});
