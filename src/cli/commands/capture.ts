/** `replay-gate capture --from <adapter>:<file>... --mapping <file> --start … --end … --out <dir>` */
import { captureExitCode, renderCaptureOutcome, runCapture } from "../../io/capture/capture.js";
import { parseCaptureArgv, CAPTURE_SYNOPSIS, CAPTURE_USAGE } from "../capture-args.js";

export { CAPTURE_USAGE };
import type { CliIo } from "../io.js";

export const CAPTURE_SUMMARY_USAGE = CAPTURE_SYNOPSIS;

export async function captureCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseCaptureArgv(argv);
  const outcome = await runCapture(args, io);
  io.stdout(renderCaptureOutcome(outcome, args.format));
  return captureExitCode(outcome);
}
