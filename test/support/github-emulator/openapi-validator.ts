/**
 * Checks requests and responses against GitHub's OpenAPI description, per operation, with
 * schemas compiled lazily on first use and cached for the life of the process.
 */
import { compileSchema, describeErrors } from "./openapi-schema.js";
import { resolveResponse, type Json, type JsonObject, type SpecOperation } from "./openapi-spec.js";

/** What the request carried, already decoded. */
export interface IncomingRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  contentType: string | undefined;
  rawBody: string;
}

/** Request validation outcome: decoded, typed inputs, and every problem found. */
export interface RequestCheck {
  /** Query parameters coerced to their declared types (integers, booleans). */
  query: Record<string, unknown>;
  /** Path parameters coerced to their declared types. */
  params: Record<string, unknown>;
  /** Parsed JSON body, or `undefined` when none was sent. */
  body: unknown;
  /** Empty when the request conforms. */
  problems: string[];
  /**
   * True when GitHub itself would refuse the request (schema errors). Unknown query parameters and
   * body keys are problems too, but GitHub ignores them, so the emulator still answers normally.
   */
  rejected: boolean;
}

function parameterList(operation: SpecOperation): JsonObject[] {
  return (operation.operation["parameters"] as JsonObject[] | undefined) ?? [];
}

function coerce(raw: string, schema: JsonObject | undefined): unknown {
  const type = schema?.["type"];
  if (type === "integer" || type === "number") return /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
  if (type === "boolean") return raw === "true" ? true : raw === "false" ? false : raw;
  return raw;
}

function checkParameter(operation: SpecOperation, parameter: JsonObject, raw: string, problems: string[]): unknown {
  const name = String(parameter["name"]);
  const schema = parameter["schema"] as JsonObject | undefined;
  const value = coerce(raw, schema);
  if (schema !== undefined) {
    const validate = compileSchema(`${operation.operationId}:param:${String(parameter["in"])}:${name}`, schema);
    if (!validate(value)) problems.push(`${String(parameter["in"])} parameter '${name}': ${describeErrors(validate.errors).join("; ")}`);
  }
  return value;
}

/** Validates path, query and body of a request for one operation. */
export function checkRequest(operation: SpecOperation, request: IncomingRequest): RequestCheck {
  const problems: string[] = [];
  const ignoredByGitHub: string[] = [];
  const params: Record<string, unknown> = {};
  const query: Record<string, unknown> = {};
  const declaredQuery = new Set<string>();
  for (const parameter of parameterList(operation)) {
    const name = String(parameter["name"]);
    if (parameter["in"] === "path") {
      params[name] = checkParameter(operation, parameter, request.params[name] ?? "", problems);
    } else if (parameter["in"] === "query") {
      declaredQuery.add(name);
      const raw = request.query.get(name);
      if (raw === null) {
        if (parameter["required"] === true) problems.push(`query parameter '${name}' is required`);
        continue;
      }
      query[name] = checkParameter(operation, parameter, raw, problems);
    }
  }
  // GitHub ignores unknown query parameters silently, which hides typos like `?status=`; the emulator does not.
  for (const name of new Set(request.query.keys())) {
    if (!declaredQuery.has(name)) ignoredByGitHub.push(`query parameter '${name}' is not defined for ${operation.operationId}`);
  }
  const body = checkBody(operation, request, problems, ignoredByGitHub);
  return { query, params, body, problems: [...problems, ...ignoredByGitHub], rejected: problems.length > 0 };
}

function checkBody(operation: SpecOperation, request: IncomingRequest, problems: string[], ignoredByGitHub: string[]): unknown {
  const requestBody = operation.operation["requestBody"] as JsonObject | undefined;
  const hasBody = request.rawBody.trim() !== "";
  if (requestBody === undefined) {
    if (hasBody) problems.push(`${operation.operationId} takes no request body`);
    return undefined;
  }
  if (!hasBody) {
    if (requestBody["required"] === true) problems.push(`${operation.operationId} requires a JSON body`);
    return undefined;
  }
  if (request.contentType !== undefined && !request.contentType.includes("json")) {
    problems.push(`content-type must be application/json, got ${request.contentType}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(request.rawBody);
  } catch {
    problems.push("body is not valid JSON");
    return undefined;
  }
  const schema = ((requestBody["content"] as JsonObject | undefined)?.["application/json"] as JsonObject | undefined)?.["schema"] as JsonObject | undefined;
  if (schema === undefined) return body;
  const validate = compileSchema(`${operation.operationId}:request`, schema);
  if (!validate(body)) problems.push(...describeErrors(validate.errors).map((line) => `body ${line}`));
  // GitHub drops unknown body keys without a word; a misspelt key would go unnoticed, so flag it.
  const properties = schema["properties"] as JsonObject | undefined;
  if (properties !== undefined && body !== null && typeof body === "object" && !Array.isArray(body)) {
    for (const key of Object.keys(body)) {
      if (!(key in properties)) ignoredByGitHub.push(`body property '${key}' is not defined for ${operation.operationId}`);
    }
  }
  return body;
}

const BASIC_ERROR: Json = { $ref: "#/components/schemas/basic-error" };

/** Validates a response the emulator is about to send; returns the problems (empty when it conforms). */
export function checkResponse(operation: SpecOperation, status: number, body: unknown): string[] {
  const responses = (operation.operation["responses"] as JsonObject | undefined) ?? {};
  const declared = responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses["default"];
  if (declared === undefined) {
    // GitHub answers 401/403/404/422/429/5xx on any operation though few declare them: they must still look like GitHub errors.
    if (status >= 400) return validateAgainst(`basic-error`, BASIC_ERROR, body, status);
    return [`status ${status} is not a documented response of ${operation.operationId}`];
  }
  const response = resolveResponse(declared as JsonObject);
  const content = response["content"] as JsonObject | undefined;
  const schema = (content?.["application/json"] as JsonObject | undefined)?.["schema"];
  if (schema === undefined) {
    if (status >= 400) return body === undefined ? [] : validateAgainst("basic-error", BASIC_ERROR, body, status);
    return body === undefined ? [] : [`status ${status} of ${operation.operationId} has no body in the description`];
  }
  return validateAgainst(`${operation.operationId}:response:${status}`, schema, body, status);
}

function validateAgainst(cacheKey: string, schema: Json, body: unknown, status: number): string[] {
  const validate = compileSchema(cacheKey, schema);
  return validate(body) ? [] : describeErrors(validate.errors).map((line) => `response ${status} ${line}`);
}
