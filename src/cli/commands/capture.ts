/** `replay-gate capture --from <adapter>:<file>... --mapping <file> --start … --end … --out <dir>` */
import { captureExitCode, parseCaptureArgv, renderCaptureOutcome, runCapture, CAPTURE_SYNOPSIS, CAPTURE_USAGE } from "../../io/capture/capture.js";

export { CAPTURE_USAGE };
import type { CliIo } from "../io.js";

export const CAPTURE_SUMMARY_USAGE = CAPTURE_SYNOPSIS;

export async function captureCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseCaptureArgv(argv);
  const outcome = await runCapture(args, io);
  io.stdout(renderCaptureOutcome(outcome, args.format));
  return captureExitCode(outcome);
}
