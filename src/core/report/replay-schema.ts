/** The `replay-gate/replay@1` JSON report's schema: declared in the model (core/model/replay.ts). */
export { replayReportSchema } from "../model/replay.js";
