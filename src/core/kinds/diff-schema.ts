/** report.json's `kind_diff`: the kind-specific comparison of a window, one schema per kind. */
import { z } from "zod";
import { amKindDiffSchema } from "./alertmanager/diff-schema.js";
import { rulesKindDiffSchema } from "./prometheus-rules/diff-schema.js";

export const kindDiffSchema = z.discriminatedUnion("kind", [amKindDiffSchema, rulesKindDiffSchema]);
export type KindDiff = z.infer<typeof kindDiffSchema>;
