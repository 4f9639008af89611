/**
 * Loads GitHub's official OpenAPI description (from the `@octokit/openapi` dev dependency)
 * once per process and indexes its operations for routing.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/** A JSON value as found in the description. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** A JSON object as found in the description. */
export type JsonObject = { [key: string]: Json };

/** The subset of an OpenAPI 3.0 description the emulator reads. */
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, JsonObject>>;
  components: {
    schemas: Record<string, JsonObject>;
    parameters: Record<string, JsonObject>;
    responses: Record<string, JsonObject>;
    headers?: Record<string, JsonObject>;
  };
}

/** One REST operation of the description, ready to be matched against a request path. */
export interface SpecOperation {
  /** e.g. `issues/create-comment`. */
  operationId: string;
  /** Upper-case HTTP verb. */
  method: string;
  /** Path template as written in the description, e.g. `/repos/{owner}/{repo}/statuses/{sha}`. */
  template: string;
  /** The operation object itself (parameters, requestBody, responses). */
  operation: JsonObject;
  pattern: RegExp;
  paramNames: readonly string[];
  /** Literal segments count: more literal segments win over templated ones (`issues/comments` vs `issues/{issue_number}`). */
  literalSegments: number;
}

const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

let cachedDocument: OpenApiDocument | undefined;
let cachedOperations: SpecOperation[] | undefined;

/** The parsed api.github.com description, read from disk on first use (13 MB, ~150 ms). */
export function loadSpec(): OpenApiDocument {
  if (cachedDocument === undefined) {
    const require = createRequire(import.meta.url);
    const packageJson = require.resolve("@octokit/openapi/package.json");
    const file = path.join(path.dirname(packageJson), "generated", "api.github.com.json");
    cachedDocument = JSON.parse(readFileSync(file, "utf8")) as OpenApiDocument;
  }
  return cachedDocument;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function compileTemplate(template: string, operation: JsonObject): { pattern: RegExp; paramNames: string[]; literalSegments: number } {
  const multiSegment = new Set<string>();
  for (const parameter of (operation["parameters"] as JsonObject[] | undefined) ?? []) {
    if (parameter["x-multi-segment"] === true && typeof parameter["name"] === "string") multiSegment.add(parameter["name"]);
  }
  const paramNames: string[] = [];
  let literalSegments = 0;
  const source = template
    .split("/")
    .map((segment) => {
      let literal = true;
      const regex = segment.replace(/\{([^}]+)\}|[^{]+/g, (match, name: string | undefined) => {
        if (name === undefined) return escapeRegExp(match);
        literal = false;
        paramNames.push(name);
        // GitHub lets a ref or a sha span slashes where the description says so (`x-multi-segment`).
        return multiSegment.has(name) ? "(.+)" : "([^/]+)";
      });
      if (literal && segment !== "") literalSegments += 1;
      return regex;
    })
    .join("/");
  return { pattern: new RegExp(`^${source}$`), paramNames, literalSegments };
}

/** Every operation of the description, most specific templates first. */
export function listOperations(): readonly SpecOperation[] {
  if (cachedOperations === undefined) {
    const document = loadSpec();
    const operations: SpecOperation[] = [];
    for (const [template, item] of Object.entries(document.paths)) {
      for (const method of HTTP_METHODS) {
        const operation = item[method];
        if (operation === undefined) continue;
        const pathParameters = (item["parameters"] as unknown as JsonObject[] | undefined) ?? [];
        const merged: JsonObject = {
          ...operation,
          parameters: [...pathParameters, ...((operation["parameters"] as JsonObject[] | undefined) ?? [])].map((p) => resolveParameter(document, p)),
        };
        operations.push({
          operationId: String(operation["operationId"]),
          method: method.toUpperCase(),
          template,
          operation: merged,
          ...compileTemplate(template, merged),
        });
      }
    }
    operations.sort(byLiteralSegmentsDescending);
    cachedOperations = operations;
  }
  return cachedOperations;
}

function byLiteralSegmentsDescending(a: SpecOperation, b: SpecOperation): number {
  return b.literalSegments - a.literalSegments || (a.template < b.template ? -1 : a.template > b.template ? 1 : 0);
}

function resolveParameter(document: OpenApiDocument, parameter: JsonObject): JsonObject {
  const ref = parameter["$ref"];
  if (typeof ref !== "string") return parameter;
  const name = ref.replace("#/components/parameters/", "");
  const resolved = document.components.parameters[name];
  if (resolved === undefined) throw new Error(`OpenAPI: unresolved parameter ${ref}`);
  return resolved;
}

/** Resolves a `#/components/responses/...` reference, or returns the object itself. */
export function resolveResponse(response: JsonObject): JsonObject {
  const ref = response["$ref"];
  if (typeof ref !== "string") return response;
  const resolved = loadSpec().components.responses[ref.replace("#/components/responses/", "")];
  if (resolved === undefined) throw new Error(`OpenAPI: unresolved response ${ref}`);
  return resolved;
}

/** Result of matching a request path against the description. */
export type RouteMatch =
  | { kind: "operation"; operation: SpecOperation; params: Record<string, string> }
  | { kind: "wrong-method"; allowed: readonly string[] }
  | { kind: "no-path" };

/** Finds the operation a request addresses, as GitHub's router would. */
export function matchOperation(method: string, pathname: string): RouteMatch {
  const allowed: string[] = [];
  for (const candidate of listOperations()) {
    const match = candidate.pattern.exec(pathname);
    if (match === null) continue;
    if (candidate.method !== method) {
      allowed.push(`${candidate.method} ${candidate.template}`);
      continue;
    }
    const params: Record<string, string> = {};
    candidate.paramNames.forEach((name, index) => {
      params[name] = decodeURIComponent(match[index + 1] ?? "");
    });
    return { kind: "operation", operation: candidate, params };
  }
  return allowed.length > 0 ? { kind: "wrong-method", allowed } : { kind: "no-path" };
}

/** The operation with this method and template, or an error naming the typo (used to check fault rules). */
export function findOperationByTemplate(method: string, template: string): SpecOperation {
  const found = listOperations().find((op) => op.method === method && op.template === template);
  if (found === undefined) throw new Error(`OpenAPI: no operation ${method} ${template} in api.github.com`);
  return found;
}
