/**
 * Reading report.json for the HTML report: the report's own schema, plus an optional
 * `timeline` per window (until report.json carries it, the shell can attach it, see
 * io/evidence/timeline-attach.ts). Invalid input is a user error naming the path.
 */
import { InputError, formatPath } from "../errors.js";
import { windowTimelineSchema, type WindowTimeline } from "../evidence/timeline.js";
import { reportSchema } from "../report/report-schema.js";
import type { HtmlReport } from "./report-html.js";

/** Validates parsed report.json; `file` names it in errors. */
export function parseHtmlReport(raw: unknown, file: string): HtmlReport {
  const timelines: (WindowTimeline | null)[] = [];
  let stripped = raw;
  if (typeof raw === "object" && raw !== null && Array.isArray((raw as { windows?: unknown }).windows)) {
    const windows = (raw as { windows: unknown[] }).windows.map((w, i) => {
      if (typeof w !== "object" || w === null || !("timeline" in w)) {
        timelines.push(null);
        return w;
      }
      const { timeline, ...rest } = w as { timeline: unknown };
      const parsed = timeline === null ? null : windowTimelineSchema.safeParse(timeline);
      if (parsed !== null && !parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new InputError([{ file, path: formatPath(["windows", i, "timeline", ...issue.path]), message: issue.message }]);
      }
      timelines.push(parsed === null ? null : parsed.data);
      return rest;
    });
    stripped = { ...(raw as object), windows };
  }
  const parsed = reportSchema.safeParse(stripped);
  if (!parsed.success) {
    throw new InputError(
      parsed.error.issues
        .slice(0, 10)
        .map((issue) => ({ file, path: formatPath(issue.path as PropertyKey[]), message: issue.message, hint: "expected report.json of `replay-gate diff --out` (schema replay-gate/report@1)" })),
    );
  }
  return { ...parsed.data, windows: parsed.data.windows.map((w, i) => ({ ...w, timeline: timelines[i] ?? null })) };
}
