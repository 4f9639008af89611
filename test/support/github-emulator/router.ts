/**
 * The HTTP front door: sends each request to the REST operations (checked against GitHub's
 * description), GraphQL, the twirp artifact service or blob storage; applies authentication,
 * permissions, rate-limit headers and faults; records everything.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { handleTwirpRequest, TWIRP_PREFIX } from "./artifact-service.js";
import { hasPermission, parseAuthorization, rateLimitHeaders, spendRateLimit, type PermissionRequirement, type TokenRecord } from "./auth.js";
import { BLOB_PREFIX, handleBlobRequest, signBlobUrl, type RawResponse } from "./blob-storage.js";
import type { FaultBook, FaultResponse } from "./faults.js";
import { GitHubHttpError, type HandlerResult, type RestHandler } from "./handlers/context.js";
import { checkGraphQLResponse, handleGraphQL } from "./handlers/graphql.js";
import { matchOperation, type SpecOperation } from "./openapi-spec.js";
import { checkRequest, checkResponse } from "./openapi-validator.js";
import type { Recorder, Surface } from "./recorder.js";
import type { Urls } from "./representations.js";
import type { EmulatorState } from "./state.js";

/** Everything the router works with, owned by the emulator. */
export interface RouterDeps {
  state: EmulatorState;
  recorder: Recorder;
  faults: FaultBook;
  tokens: Map<string, TokenRecord>;
  handlers: ReadonlyMap<string, RestHandler>;
  urls: Urls;
  /** Signs runtime tokens and blob URLs. */
  secret: string;
}

interface Incoming {
  method: string;
  url: URL;
  headers: Record<string, string | undefined>;
  raw: Buffer;
}

const GENERIC_DOCS = "https://docs.github.com/rest";

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

function flatHeaders(request: IncomingMessage): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(request.headers)) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  return headers;
}

function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch {
    return raw.toString("utf8");
  }
}

function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): RawResponse {
  return { status, headers: { "content-type": "application/json; charset=utf-8", ...headers }, body: body === undefined ? undefined : JSON.stringify(body) };
}

function nowSeconds(deps: RouterDeps): number {
  return Math.floor(deps.state.now().getTime() / 1000);
}

/** The answer a fault prescribes, in the surface's own error dialect. */
function faultResponse(deps: RouterDeps, surface: Surface, fault: FaultResponse): RawResponse {
  const requestId = randomUUID().toUpperCase();
  switch (fault.type) {
    case "secondary-rate-limit":
      return jsonResponse(403, {
        message: `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ${requestId}.`,
        documentation_url: "https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
        status: "403",
      }, { "retry-after": String(fault.retryAfterSeconds) });
    case "too-many-requests":
      return jsonResponse(429, { message: "Too Many Requests", documentation_url: GENERIC_DOCS, status: "429" }, { "retry-after": String(fault.retryAfterSeconds) });
    case "primary-rate-limit":
      return jsonResponse(403, {
        message: "API rate limit exceeded for installation. If you reach out to GitHub Support for help, please include the request ID " + requestId + ".",
        documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
        status: "403",
      }, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(nowSeconds(deps) + fault.resetInSeconds) });
    case "status":
    case "error-after-effect": {
      const status = fault.type === "status" ? fault.status : (fault.status ?? 502);
      const message = (fault.type === "status" ? fault.message : undefined) ?? (status >= 500 ? "Server Error" : "Injected fault");
      const headers = fault.type === "status" ? (fault.headers ?? {}) : {};
      if (surface === "twirp") return jsonResponse(status, { code: status >= 500 ? "internal" : "unknown", msg: message }, headers);
      if (surface === "blob") return { status, headers: { "content-type": "application/xml", "x-ms-error-code": "ServerBusy", ...headers }, body: `<?xml version="1.0" encoding="utf-8"?><Error><Code>ServerBusy</Code><Message>${message}</Message></Error>` };
      return jsonResponse(status, { message, documentation_url: GENERIC_DOCS, status: String(status) }, headers);
    }
  }
}

/** Creates the `request` listener for node:http. */
export function createRequestListener(deps: RouterDeps): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    void (async () => {
      const incoming: Incoming = {
        method: (request.method ?? "GET").toUpperCase(),
        url: new URL(request.url ?? "/", deps.urls.api),
        headers: flatHeaders(request),
        raw: await readBody(request),
      };
      let answer: RawResponse;
      try {
        answer = route(deps, incoming);
      } catch (error) {
        deps.recorder.violate({ kind: "response", method: incoming.method, path: incoming.url.pathname, operation: undefined, problems: [`emulator crashed: ${(error as Error).stack ?? String(error)}`] });
        answer = jsonResponse(500, { message: "Emulator error", documentation_url: GENERIC_DOCS, status: "500" });
      }
      response.writeHead(answer.status, answer.headers);
      response.end(incoming.method === "HEAD" ? undefined : answer.body);
    })().catch((error: unknown) => {
      response.destroy(error as Error);
    });
  };
}

function route(deps: RouterDeps, incoming: Incoming): RawResponse {
  const path = incoming.url.pathname;
  if (path.startsWith(BLOB_PREFIX)) return routeBlob(deps, incoming);
  if (path.startsWith(TWIRP_PREFIX)) return routeTwirp(deps, incoming);
  if (path === "/graphql") return routeGraphQL(deps, incoming);
  return routeRest(deps, incoming);
}

function record(deps: RouterDeps, incoming: Incoming, surface: Surface, operation: string | undefined, body: unknown, answer: RawResponse, fault: FaultResponse | undefined): void {
  const text = typeof answer.body === "string" ? answer.body : undefined;
  deps.recorder.record({
    surface,
    method: incoming.method,
    path: incoming.url.pathname,
    query: Object.fromEntries(incoming.url.searchParams),
    body,
    status: answer.status,
    operation,
    responseBody: text !== undefined && answer.headers["content-type"]?.includes("json") === true ? JSON.parse(text) : undefined,
    fault: fault?.type,
  });
}

function routeBlob(deps: RouterDeps, incoming: Incoming): RawResponse {
  const fault = deps.faults.take(incoming.method, incoming.url.pathname, undefined);
  const body = { bytes: incoming.raw.length };
  if (fault !== undefined && fault.type !== "error-after-effect") {
    const answer = faultResponse(deps, "blob", fault);
    record(deps, incoming, "blob", undefined, body, answer, fault);
    return answer;
  }
  const outcome = handleBlobRequest(deps.state, deps.secret, { method: incoming.method, url: incoming.url, headers: incoming.headers, body: incoming.raw });
  deps.recorder.violate({ kind: "request", method: incoming.method, path: incoming.url.pathname, operation: outcome.operation, problems: outcome.problems });
  const answer = fault !== undefined ? faultResponse(deps, "blob", fault) : outcome.response;
  record(deps, incoming, "blob", outcome.operation, body, answer, fault);
  return answer;
}

function routeTwirp(deps: RouterDeps, incoming: Incoming): RawResponse {
  const fault = deps.faults.take(incoming.method, incoming.url.pathname, undefined);
  const method = incoming.url.pathname.slice(TWIRP_PREFIX.length);
  if (fault !== undefined && fault.type !== "error-after-effect") {
    const answer = faultResponse(deps, "twirp", fault);
    record(deps, incoming, "twirp", method, parseJson(incoming.raw), answer, fault);
    return answer;
  }
  const outcome = handleTwirpRequest(
    { state: deps.state, secret: deps.secret, baseUrl: deps.urls.api },
    { method: incoming.method, pathname: incoming.url.pathname, authorization: incoming.headers["authorization"], contentType: incoming.headers["content-type"], body: incoming.raw },
  );
  for (const problem of outcome.problems) {
    deps.recorder.violate({ kind: problem.kind, method: incoming.method, path: incoming.url.pathname, operation: method, problems: problem.lines });
  }
  const answer = fault !== undefined ? faultResponse(deps, "twirp", fault) : outcome.response;
  record(deps, incoming, "twirp", method, outcome.body, answer, fault);
  return answer;
}

/** Authenticates a GitHub API request: the token record, or the 401 GitHub answers. */
function authenticate(deps: RouterDeps, incoming: Incoming, missingMessage: string): { token: TokenRecord } | { token: undefined; response: RawResponse } {
  const credential = parseAuthorization(incoming.headers["authorization"]);
  const token = credential === undefined ? undefined : deps.tokens.get(credential);
  if (token !== undefined) {
    spendRateLimit(token, nowSeconds(deps));
    return { token };
  }
  const message = credential === undefined ? missingMessage : "Bad credentials";
  return { token: undefined, response: jsonResponse(401, { message, documentation_url: GENERIC_DOCS, status: "401" }) };
}

function refusal(token: TokenRecord, requirement: PermissionRequirement, method: string, documentationUrl: string): RawResponse {
  if (token.refusal === "personal-access-token" && method === "GET") {
    return jsonResponse(404, { message: "Not Found", documentation_url: documentationUrl, status: "404" });
  }
  const message = token.refusal === "personal-access-token" ? "Resource not accessible by personal access token" : "Resource not accessible by integration";
  const accepted = requirement.anyOf.map((name) => `${name}=${requirement.level}`).join("; ");
  return jsonResponse(403, { message, documentation_url: documentationUrl, status: "403" }, { "x-accepted-github-permissions": accepted });
}

function withCommonHeaders(answer: RawResponse, token: TokenRecord | undefined, deps: RouterDeps, resource: "core" | "graphql"): RawResponse {
  return {
    ...answer,
    headers: {
      ...rateLimitHeaders(token, nowSeconds(deps), resource),
      "x-github-api-version-selected": "2022-11-28",
      "x-github-media-type": "github.v3; format=json",
      "x-github-request-id": randomUUID().toUpperCase().slice(0, 23),
      ...answer.headers,
    },
  };
}

function routeGraphQL(deps: RouterDeps, incoming: Incoming): RawResponse {
  const body = parseJson(incoming.raw);
  if (incoming.method !== "POST") {
    deps.recorder.violate({ kind: "route", method: incoming.method, path: "/graphql", operation: "graphql", problems: ["GraphQL takes POST only"] });
    const answer = jsonResponse(404, { message: "Not Found", documentation_url: "https://docs.github.com/graphql", status: "404" });
    record(deps, incoming, "graphql", "graphql", body, answer, undefined);
    return answer;
  }
  const auth = authenticate(deps, incoming, "This endpoint requires you to be authenticated.");
  let answer: RawResponse;
  let fault: FaultResponse | undefined;
  if (auth.token === undefined) {
    answer = auth.response;
  } else {
    fault = deps.faults.take(incoming.method, "/graphql", undefined);
    if (fault !== undefined && fault.type !== "error-after-effect") {
      answer = faultResponse(deps, "graphql", fault);
    } else {
      const outcome = handleGraphQL(deps.state, auth.token, body);
      deps.recorder.violate({ kind: "unsupported", method: "POST", path: "/graphql", operation: "graphql", problems: outcome.problems });
      deps.recorder.violate({ kind: "response", method: "POST", path: "/graphql", operation: "graphql", problems: checkGraphQLResponse(outcome.status, outcome.body) });
      answer = fault !== undefined ? faultResponse(deps, "graphql", fault) : jsonResponse(outcome.status, outcome.body);
    }
  }
  const final = withCommonHeaders(answer, auth.token, deps, "graphql");
  record(deps, incoming, "graphql", "graphql", body, final, fault);
  return final;
}

function routeRest(deps: RouterDeps, incoming: Incoming): RawResponse {
  const path = incoming.url.pathname;
  const match = matchOperation(incoming.method, path);
  if (match.kind !== "operation") {
    const problem = match.kind === "wrong-method" ? `${incoming.method} is not an operation on this path; GitHub documents ${match.allowed.join(", ")}` : `no operation in GitHub's description matches ${incoming.method} ${path}`;
    deps.recorder.violate({ kind: "route", method: incoming.method, path, operation: undefined, problems: [problem] });
    const answer = withCommonHeaders(jsonResponse(404, { message: "Not Found", documentation_url: GENERIC_DOCS, status: "404" }), undefined, deps, "core");
    record(deps, incoming, "rest", undefined, parseJson(incoming.raw), answer, undefined);
    return answer;
  }
  const { operation } = match;
  const check = checkRequest(operation, { params: match.params, query: incoming.url.searchParams, contentType: incoming.headers["content-type"], rawBody: incoming.raw.toString("utf8") });
  deps.recorder.violate({ kind: "request", method: incoming.method, path, operation: operation.operationId, problems: check.problems });
  const auth = authenticate(deps, incoming, "Requires authentication");
  const token = auth.token;
  let fault: FaultResponse | undefined;
  let answer: RawResponse;
  if (auth.token === undefined) {
    answer = auth.response;
  } else {
    fault = deps.faults.take(incoming.method, path, operation.template);
    answer = fault !== undefined && fault.type !== "error-after-effect" ? faultResponse(deps, "rest", fault) : serveOperation(deps, incoming, operation, auth.token, check);
    if (fault?.type === "error-after-effect") answer = faultResponse(deps, "rest", fault);
  }
  const final = withCommonHeaders(answer, token, deps, "core");
  record(deps, incoming, "rest", operation.operationId, check.body ?? parseJson(incoming.raw), final, fault);
  return final;
}

function serveOperation(deps: RouterDeps, incoming: Incoming, operation: SpecOperation, token: TokenRecord, check: ReturnType<typeof checkRequest>): RawResponse {
  const documentationUrl = String((operation.operation["externalDocs"] as { url?: string } | undefined)?.url ?? GENERIC_DOCS);
  const handler = deps.handlers.get(operation.operationId);
  if (handler === undefined) {
    deps.recorder.violate({ kind: "unsupported", method: incoming.method, path: incoming.url.pathname, operation: operation.operationId, problems: [`${operation.operationId} (${operation.method} ${operation.template}) is a real GitHub operation the emulator does not implement`] });
    // 400 rather than 501: plugin-retry retries 5xx, which would only slow the failing test down.
    return jsonResponse(400, { message: `The GitHub emulator does not implement ${operation.operationId}`, documentation_url: documentationUrl, status: "400" });
  }
  if (!hasPermission(token, handler.permission)) {
    if (handler.hiddenWithoutPermission === true) return jsonResponse(404, { message: "Not Found", documentation_url: documentationUrl, status: "404" });
    return refusal(token, handler.permission, incoming.method, documentationUrl);
  }
  if (check.rejected) {
    return jsonResponse(422, { message: `Invalid request.\n\n${check.problems.join("\n")}`, documentation_url: documentationUrl, status: "422" });
  }
  let result: HandlerResult;
  try {
    result = handler.handle({
      state: deps.state,
      urls: deps.urls,
      params: check.params,
      query: check.query,
      body: (check.body ?? {}) as Record<string, unknown>,
      token,
      caller: deps.state.user(token.login),
      requestUrl: incoming.url,
      documentationUrl,
      signDownloadUrl: (artifact) => signBlobUrl(deps.urls.api, deps.secret, artifact, "r", new Date(deps.state.now().getTime() + 60_000)),
    });
  } catch (error) {
    if (!(error instanceof GitHubHttpError)) throw error;
    result = { status: error.status, body: error.body, headers: error.headers };
  }
  const problems = checkResponse(operation, result.status, result.body);
  deps.recorder.violate({ kind: "response", method: incoming.method, path: incoming.url.pathname, operation: operation.operationId, problems });
  return jsonResponse(result.status, result.body, result.headers);
}
