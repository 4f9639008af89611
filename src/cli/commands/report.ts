/**
 * `replay-gate report --html <dir> [--report <report.json>] [--no-timeline] [--mermaid]`
 * Renders report.json (of `replay-gate diff --out`) as one self-contained HTML page,
 * `<dir>/report.html`. Windows without a `timeline` get one by replaying them under the
 * report's pinned inputs, unless --no-timeline; `--mermaid` prints the PR comment's gantt
 * blocks of the changed windows to stdout.
 */
import { CLI_GANTT_CHARS } from "../../core/limits.js";
import { join } from "node:path";
import { parseHtmlReport } from "../../core/html/input.js";
import { readJsonStrict } from "../../io/read-json.js";
import { renderMermaidGantt } from "../../core/mermaid/gantt.js";
import { attachTimelines } from "../../io/evidence/timeline-attach.js";
import { writeHtmlReport } from "../../io/evidence/html-report.js";
import { parseCommandArgs, usageError } from "../args.js";
import { warner, type CliIo } from "../io.js";
import { forTerminal } from "../../core/neutralize.js";

export const REPORT_USAGE = "replay-gate report --html <dir> [--report <report.json>] [--no-timeline] [--mermaid]";

export async function reportCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(
    "report",
    argv,
    {
      html: { type: "string" },
      report: { type: "string" },
      "no-timeline": { type: "boolean" },
      mermaid: { type: "boolean" },
    },
    REPORT_USAGE,
  );
  if (!values.html && !values.mermaid) throw usageError("report", "give --html <dir> (or --mermaid)", REPORT_USAGE);
  const file = values.report ?? "report.json";
  const abs = file.startsWith("/") ? file : join(io.cwd, file);
  const raw = await readJsonStrict(
    abs,
    { missing: "no such report", hint: "write one with `replay-gate diff ... --out report.json`" },
    { dir: io.cwd, name: "the working directory", allowNamedOutside: true },
  );
  let report = parseHtmlReport(raw, file);
  if (values.mermaid) {
    for (const w of report.windows) {
      if (w.status === "identical") continue;
      const gantt = renderMermaidGantt(w, CLI_GANTT_CHARS);
      if (gantt !== "") io.stdout(`${forTerminal(w.id)}\n${gantt}\n`);
    }
  }
  if (values.html) {
    if (values["no-timeline"] !== true) report = await attachTimelines(report, io.cwd, warner(io));
    const dir = values.html.startsWith("/") ? values.html : join(io.cwd, values.html);
    const path = await writeHtmlReport(dir, report);
    io.stderr(`wrote ${forTerminal(path)}\n`);
  }
  return 0;
}
