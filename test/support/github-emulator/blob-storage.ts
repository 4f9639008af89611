/**
 * Azure Blob Storage, as far as @azure/storage-blob's BlockBlobClient uses it for artifacts:
 * SAS-signed URLs, `PUT ?comp=block&blockid=…`, `PUT ?comp=blocklist`, single-shot
 * `PUT` with `x-ms-blob-type: BlockBlob`, and `GET`/`HEAD` for downloads.
 *
 * URLs are path-style (`/<account>/<container>/<blob>`), which is what the SDK expects for an
 * IP host such as 127.0.0.1.
 */
import { createHash, createHmac, randomUUID } from "node:crypto";
import type { ArtifactRecord, EmulatorState } from "./state.js";

/** Path prefix of every blob URL: account and container. */
export const BLOB_PREFIX = "/emulatorblob/actions-results/";
const SERVICE_VERSION = "2025-11-05";

/** A raw HTTP answer. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string | undefined;
}

/** Outcome of one blob request: the answer, its operation name and any protocol problems. */
export interface BlobOutcome {
  response: RawResponse;
  operation: string;
  problems: string[];
}

function signature(secret: string, permissions: string, expiry: string, blobPath: string): string {
  return createHmac("sha256", secret).update(`${permissions}\n${expiry}\n${blobPath}`).digest("base64");
}

/** A SAS-style URL for the artifact's blob: `sp=cw` to upload, `sp=r` to download. */
export function signBlobUrl(baseUrl: string, secret: string, artifact: ArtifactRecord, permissions: "cw" | "r", expiresAt: Date): string {
  const blobPath = `${BLOB_PREFIX}${artifact.blobKey}`;
  const expiry = expiresAt.toISOString().replace(/\.\d{3}Z$/, "Z");
  const query = new URLSearchParams({ sv: SERVICE_VERSION, se: expiry, sr: "b", sp: permissions, sig: signature(secret, permissions, expiry, blobPath) });
  return `${baseUrl}${blobPath}?${query.toString()}`;
}

function azureError(status: number, code: string, message: string): RawResponse {
  const body = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}\nRequestId:${randomUUID()}\nTime:${new Date().toISOString()}</Message></Error>`;
  return { status, headers: { "content-type": "application/xml", "x-ms-error-code": code, "x-ms-version": SERVICE_VERSION }, body };
}

function created(extra: Record<string, string> = {}): RawResponse {
  return {
    status: 201,
    headers: { "x-ms-request-id": randomUUID(), "x-ms-version": SERVICE_VERSION, "x-ms-request-server-encrypted": "true", "content-length": "0", ...extra },
    body: undefined,
  };
}

function etag(content: Buffer): string {
  return `"0x${createHash("sha256").update(content).digest("hex").slice(0, 15).toUpperCase()}"`;
}

/** Block ids named in a `<BlockList>` body, in order. */
function parseBlockList(xml: string): string[] | undefined {
  if (!/<BlockList>[\s\S]*<\/BlockList>/.test(xml)) return undefined;
  return [...xml.matchAll(/<(Latest|Committed|Uncommitted)>([^<]*)<\/\1>/g)].map((match) => match[2] ?? "");
}

/** Handles one request under {@link BLOB_PREFIX}. */
export function handleBlobRequest(
  state: EmulatorState,
  secret: string,
  request: { method: string; url: URL; headers: Record<string, string | undefined>; body: Buffer },
): BlobOutcome {
  const blobPath = request.url.pathname;
  const key = decodeURIComponent(blobPath.slice(BLOB_PREFIX.length));
  const q = request.url.searchParams;
  const comp = q.get("comp") ?? undefined;
  const operation = request.method === "PUT" ? (comp === "block" ? "StageBlock" : comp === "blocklist" ? "CommitBlockList" : "PutBlob") : "GetBlob";
  const fail = (status: number, code: string, message: string): BlobOutcome => ({ response: azureError(status, code, message), operation, problems: [`${operation}: ${message}`] });

  const permissions = q.get("sp") ?? "";
  const expiry = q.get("se") ?? "";
  if (q.get("sig") !== signature(secret, permissions, expiry, blobPath)) {
    return fail(403, "AuthenticationFailed", "Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.");
  }
  if (Date.parse(expiry) < state.now().getTime()) return fail(403, "AuthenticationFailed", "Signed expiry time has expired.");
  const artifact = state.artifacts.find((a) => a.blobKey === key);
  if (artifact === undefined) return fail(404, "BlobNotFound", "The specified blob does not exist.");

  if (request.method === "GET" || request.method === "HEAD") {
    if (!permissions.includes("r")) return fail(403, "AuthorizationPermissionMismatch", "This request is not authorized to perform this operation using this permission.");
    if (artifact.content === undefined) return fail(404, "BlobNotFound", "The specified blob does not exist.");
    return {
      operation,
      problems: [],
      response: {
        status: 200,
        headers: {
          "content-type": artifact.contentType ?? "application/octet-stream",
          "content-length": String(artifact.content.length),
          etag: etag(artifact.content),
          "x-ms-blob-type": "BlockBlob",
          "x-ms-version": SERVICE_VERSION,
        },
        body: request.method === "HEAD" ? undefined : artifact.content,
      },
    };
  }
  if (request.method !== "PUT") return fail(405, "UnsupportedHttpVerb", `The resource doesn't support the specified HTTP verb ${request.method}.`);
  if (!permissions.includes("w")) return fail(403, "AuthorizationPermissionMismatch", "This request is not authorized to perform this operation using this permission.");
  if (artifact.finalized) return fail(409, "BlobImmutable", "The artifact was finalized; its blob can no longer be written.");

  if (comp === "block") {
    const blockId = q.get("blockid");
    if (blockId === null || blockId === "" || !/^[A-Za-z0-9+/]+={0,2}$/.test(blockId)) return fail(400, "InvalidQueryParameterValue", "blockid must be base64.");
    const other = artifact.stagedBlocks.keys().next();
    if (!other.done && other.value.length !== blockId.length) return fail(400, "InvalidBlobOrBlock", "All block ids of a blob must have the same length.");
    artifact.stagedBlocks.set(blockId, Buffer.from(request.body));
    return { response: created({ "content-md5": createHash("md5").update(request.body).digest("base64") }), operation, problems: [] };
  }
  if (comp === "blocklist") {
    const ids = parseBlockList(request.body.toString("utf8"));
    if (ids === undefined) return fail(400, "InvalidXmlDocument", "XML specified is not syntactically valid.");
    const missing = ids.filter((id) => !artifact.stagedBlocks.has(id));
    if (missing.length > 0) return fail(400, "InvalidBlockList", `The specified block list is invalid: unknown block ids ${missing.join(", ")}.`);
    artifact.content = Buffer.concat(ids.map((id) => artifact.stagedBlocks.get(id) ?? Buffer.alloc(0)));
    artifact.contentType = request.headers["x-ms-blob-content-type"] ?? artifact.contentType;
    artifact.stagedBlocks.clear();
    return { response: created({ etag: etag(artifact.content), "last-modified": state.now().toUTCString() }), operation, problems: [] };
  }
  if (comp !== undefined) return fail(400, "InvalidQueryParameterValue", `comp=${comp} is not emulated.`);
  if (request.headers["x-ms-blob-type"] !== "BlockBlob") return fail(400, "MissingRequiredHeader", "An HTTP header that's mandatory for this request is not specified: x-ms-blob-type.");
  artifact.content = Buffer.from(request.body);
  artifact.contentType = request.headers["x-ms-blob-content-type"] ?? request.headers["content-type"] ?? artifact.contentType;
  return { response: created({ etag: etag(artifact.content), "last-modified": state.now().toUTCString() }), operation, problems: [] };
}
