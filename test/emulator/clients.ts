/**
 * The real clients replay-gate ships, pointed at an emulator, plus a raw artifact upload used
 * where a test needs to break the protocol on purpose.
 */
import { createHash } from "node:crypto";
import { getOctokit } from "@actions/github";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import type { GitHubEmulator } from "../support/github-emulator/index.js";

/** A 40-character sha made of one repeated hex digit, easy to read in failures. */
export function sha(digit: string): string {
  return digit.repeat(40);
}

/** `getOctokit` with plugin-retry, as the action will build it. */
export function restClient(emu: GitHubEmulator, token: string) {
  return getOctokit(token, { baseUrl: emu.url }, retry);
}

/** What the throttling callbacks saw. */
export interface ThrottleEvents {
  secondary: number[];
  primary: number[];
}

/** `getOctokit` with plugin-retry and plugin-throttling, retrying each limit up to twice. */
export function throttledClient(emu: GitHubEmulator, token: string, events: ThrottleEvents) {
  return getOctokit(
    token,
    {
      baseUrl: emu.url,
      throttle: {
        onRateLimit: (retryAfter: number, _options: unknown, _octokit: unknown, retryCount: number) => {
          events.primary.push(retryAfter);
          return retryCount < 2;
        },
        onSecondaryRateLimit: (retryAfter: number, _options: unknown, _octokit: unknown, retryCount: number) => {
          events.secondary.push(retryAfter);
          return retryCount < 2;
        },
      },
    },
    retry,
    throttling,
  );
}

/** Runs `fn` with environment variables set, restoring the previous values afterwards. */
export async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const saved = new Map(Object.keys(vars).map((key) => [key, process.env[key]]));
  for (const [key, value] of Object.entries(vars)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  try {
    return await fn();
  } finally {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

const TWIRP = "/twirp/github.actions.results.api.v1.ArtifactService/";

/** Calls one twirp method with the runtime token, returning status and parsed body. */
export async function twirp(emu: GitHubEmulator, runtimeToken: string, method: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${emu.url}${TWIRP}${method}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${runtimeToken}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Backend ids inside a runtime token, read the way @actions/artifact reads them. */
export function backendIds(runtimeToken: string): { workflow_run_backend_id: string; workflow_job_run_backend_id: string } {
  const payload = JSON.parse(Buffer.from(runtimeToken.split(".")[1] ?? "", "base64url").toString("utf8")) as { scp: string };
  const scope = payload.scp.split(" ").find((s) => s.startsWith("Actions.Results:")) ?? "";
  const [, run = "", job = ""] = scope.split(":");
  return { workflow_run_backend_id: run, workflow_job_run_backend_id: job };
}

/**
 * Uploads bytes as an artifact with plain HTTP (create, single-shot blob PUT, finalize), letting a
 * test declare a wrong size or hash. Returns the finalize answer.
 */
export async function uploadRaw(
  emu: GitHubEmulator,
  runtimeToken: string,
  name: string,
  bytes: Buffer,
  declared: { size?: number; hash?: string } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const ids = backendIds(runtimeToken);
  const created = await twirp(emu, runtimeToken, "CreateArtifact", { ...ids, name, version: 7, mime_type: "application/zip" });
  if (created.status !== 200) throw new Error(`CreateArtifact answered ${created.status}: ${JSON.stringify(created.body)}`);
  const put = await fetch(String(created.body["signed_upload_url"]), { method: "PUT", headers: { "x-ms-blob-type": "BlockBlob" }, body: bytes });
  if (put.status !== 201) throw new Error(`blob PUT answered ${put.status}: ${await put.text()}`);
  return twirp(emu, runtimeToken, "FinalizeArtifact", {
    ...ids,
    name,
    size: String(declared.size ?? bytes.length),
    hash: declared.hash ?? `sha256:${createHash("sha256").update(bytes).digest("hex")}`,
  });
}
