/** Writes the HTML report: `<dir>/report.html`, one self-contained file. */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { renderHtmlReport, type HtmlReport } from "../../core/html/report-html.js";

export const HTML_REPORT_FILE = "report.html";

/** Renders and writes the page; returns its path. */
export async function writeHtmlReport(dir: string, report: HtmlReport): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, HTML_REPORT_FILE);
  await writeFile(path, renderHtmlReport(report));
  return path;
}
