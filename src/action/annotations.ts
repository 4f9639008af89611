/** Emits the annotations the pure renderer chose (src/core/surfaces/annotations.ts). */
import { log } from "./log.js";
import type { Annotation } from "../core/surfaces/annotations.js";

/** Emits each annotation as a notice, on its file line when it has one. */
export function emitAnnotations(annotations: readonly Annotation[]): void {
  for (const a of annotations) {
    log.notice(a.message, a.file === undefined ? { title: a.title } : { title: a.title, file: a.file, startLine: a.line });
  }
}
