/**
 * The engine's semantic version. It is part of every evidence digest: bump it whenever a change
 * could alter any replay result, so approvals given under the old engine no longer count.
 */
export const ENGINE_VERSION = "1.1.0";

/** The tool's name and version as reports carry them. */
export const TOOL = { name: "replay-gate", version: "0.1.0" } as const;
