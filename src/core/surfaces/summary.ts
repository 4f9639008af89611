/**
 * The job summary's text (the report for runs without a pull request, and the fallback when
 * comments cannot be written), within the runner's limit: the detail is dropped first, then the
 * essential part is kept block by block with a pointer to the artifact.
 */
import { fitBlocks, markdownBlocks } from "../fit.js";
import { MAX_SUMMARY_BYTES } from "../limits.js";

/** Fits `essential` + `detail` into the summary budget (UTF-8 bytes). */
export function fitSummary(essential: string, detail: string, pointer: string, limit: number = MAX_SUMMARY_BYTES): string {
  return fitBlocks({
    levels: [[essential, detail], [essential, `> The full report does not fit in the job summary; ${pointer}.`], markdownBlocks(essential)],
    limit,
    measure: "utf8-bytes",
    omitted: () => `> … truncated; ${pointer}.`,
  });
}
