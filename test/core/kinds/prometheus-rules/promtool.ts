/** Where promtool is, or undefined when it is not installed (those tests then skip). */
import { execFileSync } from "node:child_process";

export function promtoolPath(): string | undefined {
  for (const p of [process.env.PROMTOOL, "promtool", "/usr/bin/promtool"]) {
    if (!p) continue;
    try {
      execFileSync(p, ["--version"], { stdio: "ignore" });
      return p;
    } catch {
      // try the next one
    }
  }
  return undefined;
}
