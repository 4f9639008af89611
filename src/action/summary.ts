/**
 * The job summary (the report for runs without a pull request, and the fallback when comments
 * cannot be written), kept within the runner's 1 MiB per step: detail is dropped first, then the
 * text is cut at a line with a pointer to the artifact. Also the log fence for untrusted text.
 */
import { randomUUID } from "node:crypto";
import { appendFile } from "node:fs/promises";
import * as core from "@actions/core";
import { log } from "./log.js";
import type { Report } from "../core/report/report-schema.js";
import { writeHtmlReport } from "../io/evidence/html-report.js";

/** The runner refuses a step summary over 1 MiB. */
export const MAX_SUMMARY_BYTES = 1024 * 1024;
const HEADROOM = 4 * 1024;

const bytes = (s: string) => Buffer.byteLength(s, "utf8");

/** Fits `essential` + `detail` into the summary budget. */
export function fitSummary(essential: string, detail: string, pointer: string, limit: number = MAX_SUMMARY_BYTES - HEADROOM): string {
  const full = `${essential}\n\n${detail}\n`;
  if (bytes(full) <= limit) return full;
  const dropped = `${essential}\n\n> The full report does not fit in the job summary; ${pointer}.\n`;
  if (bytes(dropped) <= limit) return dropped;
  const lines = essential.split("\n");
  const kept: string[] = [];
  let used = 0;
  for (const line of lines) {
    if (used + bytes(line) + 1 > limit - 512) break;
    kept.push(line);
    used += bytes(line) + 1;
  }
  while (kept.length > 0 && kept[kept.length - 1] !== "") kept.pop();
  return `${kept.join("\n")}\n\n> … truncated; ${pointer}.\n`;
}

/** Appends to the job summary; a missing GITHUB_STEP_SUMMARY is not fatal. */
export async function writeSummary(markdown: string): Promise<void> {
  const path = process.env["GITHUB_STEP_SUMMARY"];
  if (path === undefined || path === "") {
    log.info("GITHUB_STEP_SUMMARY is not set; skipping the job summary.");
    return;
  }
  await appendFile(path, markdown, "utf8");
}

/**
 * Prints text from policies, windows or reviewers to the log with workflow commands stopped, so a
 * line such as `::set-output` or `::add-mask` inside it is shown, never executed.
 */
export function logUntrusted(title: string, text: string): void {
  const token = randomUUID().replace(/-/g, "");
  core.startGroup(title);
  process.stdout.write(`::stop-commands::${token}\n${text.endsWith("\n") ? text : `${text}\n`}::${token}::\n`);
  core.endGroup();
}

/** The self-contained HTML report next to report.json in the artifact; its failure is only a warning. */
export async function writeHtml(dir: string, report: Report): Promise<void> {
  try {
    await writeHtmlReport(dir, report);
  } catch (error) {
    log.warning(`Could not write report.html: ${(error as Error).message}`);
  }
}
