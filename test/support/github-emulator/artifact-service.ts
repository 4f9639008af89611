/**
 * The Actions results service's twirp `ArtifactService`, as @actions/artifact v2+ calls it:
 * JSON POSTs to `/twirp/github.actions.results.api.v1.ArtifactService/<Method>` with proto field
 * names (lib/generated/results/api/v1/artifact.twirp-client.js), int64 as strings, wrappers and
 * timestamps as plain JSON values, authorised by the runtime token's `Actions.Results` scope.
 */
import { createHash } from "node:crypto";
import { signBlobUrl, type RawResponse } from "./blob-storage.js";
import { compileJsonSchema, describeErrors } from "./openapi-schema.js";
import { verifyRuntimeToken } from "./runtime-token.js";
import type { ArtifactRecord, EmulatorState } from "./state.js";

/** Path prefix of the twirp service. */
export const TWIRP_PREFIX = "/twirp/github.actions.results.api.v1.ArtifactService/";

const ids = { workflow_run_backend_id: { type: "string", minLength: 1 }, workflow_job_run_backend_id: { type: "string", minLength: 1 } } as const;
const int64 = { type: "string", pattern: "^-?[0-9]+$" } as const;
const timestamp = { type: "string", format: "date-time" } as const;

/** Request and response messages, from the proto definitions the toolkit was generated from. */
const MESSAGES = {
  CreateArtifact: {
    request: { type: "object", additionalProperties: false, required: ["workflow_run_backend_id", "workflow_job_run_backend_id", "name", "version"], properties: { ...ids, name: { type: "string", minLength: 1 }, expires_at: timestamp, version: { type: "integer", minimum: 4 }, mime_type: { type: "string" } } },
    response: { type: "object", additionalProperties: false, required: ["ok", "signed_upload_url"], properties: { ok: { const: true }, signed_upload_url: { type: "string", format: "uri" } } },
  },
  FinalizeArtifact: {
    request: { type: "object", additionalProperties: false, required: ["workflow_run_backend_id", "workflow_job_run_backend_id", "name", "size"], properties: { ...ids, name: { type: "string" }, size: int64, hash: { type: "string", pattern: "^sha256:[0-9a-f]{64}$" } } },
    response: { type: "object", additionalProperties: false, required: ["ok", "artifact_id"], properties: { ok: { const: true }, artifact_id: int64 } },
  },
  ListArtifacts: {
    request: { type: "object", additionalProperties: false, required: ["workflow_run_backend_id", "workflow_job_run_backend_id"], properties: { ...ids, name_filter: { type: "string" }, id_filter: int64 } },
    response: {
      type: "object", additionalProperties: false, required: ["artifacts"],
      properties: { artifacts: { type: "array", items: { type: "object", additionalProperties: false, required: [...Object.keys(ids), "database_id", "name", "size", "created_at"], properties: { ...ids, database_id: int64, name: { type: "string" }, size: int64, created_at: timestamp, digest: { type: "string" } } } } },
    },
  },
  GetSignedArtifactURL: {
    request: { type: "object", additionalProperties: false, required: ["workflow_run_backend_id", "workflow_job_run_backend_id", "name"], properties: { ...ids, name: { type: "string" } } },
    response: { type: "object", additionalProperties: false, required: ["signed_url"], properties: { signed_url: { type: "string", format: "uri" } } },
  },
  DeleteArtifact: {
    request: { type: "object", additionalProperties: false, required: ["workflow_run_backend_id", "workflow_job_run_backend_id", "name"], properties: { ...ids, name: { type: "string" } } },
    response: { type: "object", additionalProperties: false, required: ["ok", "artifact_id"], properties: { ok: { const: true }, artifact_id: int64 } },
  },
} as const;

type TwirpMethod = keyof typeof MESSAGES;

/** Twirp error codes the emulator uses, with their HTTP statuses. */
const TWIRP_STATUS = { invalid_argument: 400, unauthenticated: 401, permission_denied: 403, not_found: 404, already_exists: 409, failed_precondition: 412, bad_route: 404 } as const;

class TwirpError extends Error {
  constructor(
    readonly code: keyof typeof TWIRP_STATUS,
    message: string,
    /** Whether the client broke the protocol (recorded as a violation) rather than asked for something absent. */
    readonly violation: "request" | "integrity" | undefined,
  ) {
    super(message);
  }
}

/** Outcome of one twirp call. */
export interface TwirpOutcome {
  response: RawResponse;
  operation: string;
  body: unknown;
  responseBody: unknown;
  problems: { kind: "request" | "response" | "integrity"; lines: string[] }[];
}

/** What the service needs from the emulator around it. */
export interface ArtifactServiceContext {
  state: EmulatorState;
  secret: string;
  baseUrl: string;
}

function json(status: number, body: unknown): RawResponse {
  return { status, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
}

function iso(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Handles one POST under {@link TWIRP_PREFIX}. */
export function handleTwirpRequest(ctx: ArtifactServiceContext, request: { method: string; pathname: string; authorization: string | undefined; contentType: string | undefined; body: Buffer }): TwirpOutcome {
  const method = request.pathname.slice(TWIRP_PREFIX.length);
  let body: unknown;
  const problems: TwirpOutcome["problems"] = [];
  const finish = (status: number, responseBody: unknown): TwirpOutcome => ({ response: json(status, responseBody), operation: method, body, responseBody, problems });
  try {
    if (!(method in MESSAGES)) throw new TwirpError("bad_route", `no handler for path "${request.pathname}"`, "request");
    if (request.method !== "POST") throw new TwirpError("bad_route", `unsupported method ${request.method} (only POST is allowed)`, "request");
    if (request.contentType?.startsWith("application/json") !== true) throw new TwirpError("bad_route", `unexpected Content-Type: ${String(request.contentType)}`, "request");
    try {
      body = JSON.parse(request.body.toString("utf8"));
    } catch {
      throw new TwirpError("invalid_argument", "body is not JSON", "request");
    }
    const messages = MESSAGES[method as TwirpMethod];
    const validate = compileJsonSchema(`twirp:${method}:request`, messages.request);
    if (!validate(body)) throw new TwirpError("invalid_argument", describeErrors(validate.errors).join("; "), "request");
    const token = verifyRuntimeToken(ctx.secret, request.authorization?.replace(/^Bearer\s+/i, ""), Math.floor(ctx.state.now().getTime() / 1000));
    if (!token.ok) throw new TwirpError("unauthenticated", token.reason, undefined);
    const message = body as Record<string, string>;
    if (token.runBackendId !== message["workflow_run_backend_id"] || token.jobBackendId !== message["workflow_job_run_backend_id"]) {
      throw new TwirpError("permission_denied", "the runtime token is scoped to another workflow run or job", "request");
    }
    const responseBody = dispatch(ctx, method as TwirpMethod, message);
    const validateResponse = compileJsonSchema(`twirp:${method}:response`, MESSAGES[method as TwirpMethod].response);
    if (!validateResponse(responseBody)) problems.push({ kind: "response", lines: describeErrors(validateResponse.errors) });
    return finish(200, responseBody);
  } catch (error) {
    if (!(error instanceof TwirpError)) throw error;
    if (error.violation !== undefined) problems.push({ kind: error.violation, lines: [`${method}: ${error.message}`] });
    return finish(TWIRP_STATUS[error.code], { code: error.code, msg: error.message });
  }
}

function findArtifact(ctx: ArtifactServiceContext, message: Record<string, string>): ArtifactRecord | undefined {
  return ctx.state.artifacts.find((a) => a.runBackendId === message["workflow_run_backend_id"] && a.name === message["name"]);
}

function dispatch(ctx: ArtifactServiceContext, method: TwirpMethod, message: Record<string, string>): unknown {
  const { state } = ctx;
  switch (method) {
    case "CreateArtifact": {
      const run = state.runs.get(message["workflow_run_backend_id"] ?? "");
      if (run === undefined) throw new TwirpError("not_found", "workflow run not found", undefined);
      if (findArtifact(ctx, message) !== undefined) throw new TwirpError("already_exists", `an artifact with this name already exists on the workflow run: ${message["name"]}`, undefined);
      const id = state.nextId("artifact");
      const now = state.now();
      const artifact: ArtifactRecord = {
        id,
        name: message["name"] ?? "",
        repoFullName: run.repoFullName,
        runId: run.runId,
        runBackendId: run.runBackendId,
        jobBackendId: message["workflow_job_run_backend_id"] ?? "",
        blobKey: `${run.runBackendId}/workflow-job-run-${message["workflow_job_run_backend_id"] ?? ""}/artifacts/${createHash("sha256").update(`${id}`).digest("hex")}.zip`,
        stagedBlocks: new Map(),
        content: undefined,
        contentType: message["mime_type"],
        digest: undefined,
        finalized: false,
        createdAt: iso(now),
        expiresAt: message["expires_at"] ?? iso(new Date(now.getTime() + 90 * 86_400_000)),
      };
      state.artifacts.push(artifact);
      return { ok: true, signed_upload_url: signBlobUrl(ctx.baseUrl, ctx.secret, artifact, "cw", new Date(now.getTime() + 6 * 3_600_000)) };
    }
    case "FinalizeArtifact": {
      const artifact = findArtifact(ctx, message);
      if (artifact === undefined || artifact.finalized) throw new TwirpError("not_found", `artifact not found or already finalized: ${message["name"]}`, "request");
      if (artifact.content === undefined) throw new TwirpError("failed_precondition", "no blob was committed for this artifact", "integrity");
      if (message["size"] !== String(artifact.content.length)) {
        throw new TwirpError("invalid_argument", `declared size ${message["size"]} does not match the uploaded ${artifact.content.length} bytes`, "integrity");
      }
      const digest = `sha256:${createHash("sha256").update(artifact.content).digest("hex")}`;
      if (message["hash"] !== undefined && message["hash"] !== digest) {
        throw new TwirpError("invalid_argument", `declared hash ${message["hash"]} does not match the uploaded bytes (${digest})`, "integrity");
      }
      artifact.digest = message["hash"] ?? digest;
      artifact.finalized = true;
      return { ok: true, artifact_id: String(artifact.id) };
    }
    case "ListArtifacts": {
      const listed = state.artifacts.filter(
        (a) => a.finalized && a.runBackendId === message["workflow_run_backend_id"] && (message["name_filter"] === undefined || a.name === message["name_filter"]) && (message["id_filter"] === undefined || String(a.id) === message["id_filter"]),
      );
      return {
        artifacts: listed.map((a) => ({
          workflow_run_backend_id: a.runBackendId,
          workflow_job_run_backend_id: a.jobBackendId,
          database_id: String(a.id),
          name: a.name,
          size: String(a.content?.length ?? 0),
          created_at: a.createdAt,
          ...(a.digest === undefined ? {} : { digest: a.digest }),
        })),
      };
    }
    case "GetSignedArtifactURL": {
      const artifact = findArtifact(ctx, message);
      if (artifact === undefined || !artifact.finalized) throw new TwirpError("not_found", `artifact not found: ${message["name"]}`, undefined);
      return { signed_url: signBlobUrl(ctx.baseUrl, ctx.secret, artifact, "r", new Date(state.now().getTime() + 60_000)) };
    }
    case "DeleteArtifact": {
      const artifact = findArtifact(ctx, message);
      if (artifact === undefined) throw new TwirpError("not_found", `artifact not found: ${message["name"]}`, undefined);
      state.artifacts.splice(state.artifacts.indexOf(artifact), 1);
      return { ok: true, artifact_id: String(artifact.id) };
    }
  }
}
