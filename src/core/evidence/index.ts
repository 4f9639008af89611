/** Evidence and audit records (docs/evidence.md): pure builders, schemas and chain logic. */
export * from "./audit-record.js";
export * from "./decision-log.js";
export * from "./enforce.js";
export * from "./run-record.js";
export * from "./sample.js";
export * from "./tar.js";
export * from "./timeline.js";
export * from "./decision-draft.js";
