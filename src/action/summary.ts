/**
 * Writing the job summary (its text is rendered and fitted in src/core/surfaces/summary.ts), the
 * log fence for untrusted text, and the HTML report beside report.json.
 */
import { randomUUID } from "node:crypto";
import { appendFile } from "node:fs/promises";
import * as core from "@actions/core";
import { log } from "./log.js";
import type { Report } from "../core/report/report-schema.js";
import { writeHtmlReport } from "../io/evidence/html-report.js";

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
