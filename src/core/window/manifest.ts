/** The pinned window manifest, `window.yaml` (DESIGN §3); its schema lives in the model (core/model/window.ts). */
export { DECISIONS, type Decision } from "../model/vocabulary.js";
export { captureInfoSchema, expectSchema, manifestSchema, scopeFilterSchema, type Expectations, type WindowManifest } from "../model/window.js";
