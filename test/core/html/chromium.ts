/**
 * Debian's Chromium for the browser tests, driven by playwright-core (which downloads nothing
 * here: it is pointed at /usr/bin/chromium). Installed from Debian's packages when missing —
 * the same line CI runs: `apt-get update && apt-get install -y chromium`.
 */
import { execSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

/** The machine has no network: without these Chromium floods refused connections (updates, sync, QUIC probes). */
export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  execSync("apt-get update && apt-get install -y chromium", { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is still missing after apt-get install chromium`);
}

/** A headless Chromium with a fresh profile directory. */
export async function launchChromium(viewport = { width: 1040, height: 900 }): Promise<BrowserContext> {
  ensureChromium();
  const profile = mkdtempSync(join(tmpdir(), "rg-chromium-"));
  return chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport, offline: true });
}
