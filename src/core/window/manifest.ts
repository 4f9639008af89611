/** The pinned window manifest, `window.yaml` (docs/formats.md#pinned-window); its schema lives in the model (core/model/window.ts). */
export { DECISIONS, type Decision } from "../model/vocabulary.js";
export { captureInfoSchema, expectSchema, manifestSchema, scopeFilterSchema, type Expectations, type WindowManifest } from "../model/window.js";
