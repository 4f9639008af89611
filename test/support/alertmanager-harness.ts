/**
 * Runs the real Alertmanager (Debian's 0.25 package) on loopback for differential tests:
 * one process per scenario, a webhook receiver with a deep listen backlog (a shallow one
 * delays notifications by a TCP SYN retry), alerts POSTed at scheduled times.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const ALERTMANAGER_BIN = process.env.REPLAY_GATE_ALERTMANAGER ?? "/usr/bin/prometheus-alertmanager";
export const AMTOOL_BIN = process.env.REPLAY_GATE_AMTOOL ?? "/usr/bin/amtool";

/** True when the real Alertmanager 0.25 can be run here. */
export function alertmanagerAvailable(): boolean {
  if (!existsSync(ALERTMANAGER_BIN)) return false;
  const r = spawnSync(ALERTMANAGER_BIN, ["--version"], { encoding: "utf8" });
  return /version 0\.25\./.test(`${r.stdout}${r.stderr}`);
}

export function amtoolAvailable(): boolean {
  return existsSync(AMTOOL_BIN);
}

/** One webhook POST as received. */
export interface ReceivedNotification {
  readonly at: number;
  readonly path: string;
  readonly body: {
    receiver: string;
    groupLabels: Record<string, string>;
    alerts: { status: string; labels: Record<string, string>; startsAt: string; endsAt: string }[];
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      const port = typeof a === "object" && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** A webhook receiver on loopback recording every notification with its arrival time. */
export async function startWebhook(): Promise<{ port: number; received: ReceivedNotification[]; close(): Promise<void> }> {
  const received: ReceivedNotification[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const at = Date.now();
      try {
        received.push({ at, path: req.url ?? "", body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as ReceivedNotification["body"] });
      } catch {
        // a broken body is recorded as nothing; the comparison then reports the gap
      }
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen({ port: 0, host: "127.0.0.1", backlog: 1024 }, resolve));
  const a = server.address();
  const port = typeof a === "object" && a ? a.port : 0;
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A running Alertmanager. */
export interface RunningAlertmanager {
  readonly url: string;
  readonly startedAt: number;
  readonly readyAt: number;
  stop(): Promise<void>;
}

export async function startAlertmanager(configText: string): Promise<RunningAlertmanager> {
  const dir = mkdtempSync(join(tmpdir(), "rg-am-"));
  writeFileSync(join(dir, "alertmanager.yml"), configText);
  const port = await freePort();
  const startedAt = Date.now();
  const child: ChildProcess = spawn(
    ALERTMANAGER_BIN,
    [`--config.file=${join(dir, "alertmanager.yml")}`, `--storage.path=${join(dir, "data")}`, `--web.listen-address=127.0.0.1:${port}`, "--cluster.listen-address=", "--log.level=warn"],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`alertmanager exited: ${stderr}`);
    try {
      const r = await fetch(`${url}/-/ready`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  const readyAt = Date.now();
  return {
    url,
    startedAt,
    readyAt,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/** POSTs alerts to `/api/v2/alerts`; returns the time just before sending. */
export async function postAlerts(url: string, alerts: readonly unknown[]): Promise<number> {
  const at = Date.now();
  const r = await fetch(`${url}/api/v2/alerts`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(alerts) });
  if (!r.ok) throw new Error(`POST /api/v2/alerts: ${r.status} ${await r.text()}`);
  return at;
}
