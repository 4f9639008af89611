/**
 * Turns OpenAPI 3.0 schema objects into JSON Schema that Ajv understands, and owns the
 * single Ajv instance that holds GitHub's component schemas.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import * as ajvFormats from "ajv-formats";
import { loadSpec, type Json, type JsonObject } from "./openapi-spec.js";

/** `$id` under which the converted `components.schemas` are registered with Ajv. */
const COMPONENTS_ID = "https://emulator.invalid/api.github.com";

// Annotations Ajv does not need; dropping them keeps the compiled code and memory small.
const DROPPED_KEYS = new Set(["example", "examples", "description", "title", "discriminator", "externalDocs", "deprecated", "readOnly", "writeOnly", "xml"]);

/**
 * Converts one OpenAPI 3.0 schema to JSON Schema:
 * - `nullable: true` becomes `anyOf: [null, schema]` (Ajv's own `nullable` refuses schemas without
 *   `type` and does not extend `enum`, both common in GitHub's description);
 * - `oneOf` becomes `anyOf`: GitHub's variants overlap (objects without `additionalProperties: false`),
 *   so a faithful body often matches two of them and `oneOf` would reject it;
 * - local `$ref`s point into the registered components document.
 */
export function toJsonSchema(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (schema === null || typeof schema !== "object") return schema;
  const ref = schema["$ref"];
  if (typeof ref === "string") {
    // OpenAPI 3.0 ignores siblings of `$ref`.
    return { $ref: ref.startsWith("#/") ? `${COMPONENTS_ID}${ref}` : ref };
  }
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DROPPED_KEYS.has(key) || key.startsWith("x-") || key === "nullable") continue;
    if (key === "properties" || key === "patternProperties") {
      const properties: JsonObject = {};
      for (const [name, sub] of Object.entries(value as JsonObject)) properties[name] = toJsonSchema(sub);
      out[key] = properties;
    } else if (key === "oneOf") {
      out["anyOf"] = toJsonSchema(value);
    } else if (key === "enum" || key === "required" || key === "default" || key === "const") {
      out[key] = value;
    } else {
      out[key] = toJsonSchema(value);
    }
  }
  if (schema["nullable"] === true) return { anyOf: [{ type: "null" }, out] };
  return out;
}

let cachedAjv: Ajv | undefined;

/** The shared Ajv instance, with GitHub's component schemas registered (not compiled) on first use. */
export function getAjv(): Ajv {
  if (cachedAjv === undefined) {
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true, code: { optimize: false } });
    // ajv-formats is CommonJS; under NodeNext its default export is the module object.
    const addFormats = (ajvFormats as unknown as { default: (a: Ajv) => Ajv }).default;
    addFormats(ajv);
    // Formats GitHub uses that carry no checkable syntax beyond `type`.
    for (const format of ["int64", "int32", "double", "repo.nwo", "binary", "timestamp"]) ajv.addFormat(format, true);
    const schemas: JsonObject = {};
    for (const [name, schema] of Object.entries(loadSpec().components.schemas)) schemas[name] = toJsonSchema(schema);
    ajv.addSchema({ $id: COMPONENTS_ID, components: { schemas } } as object);
    cachedAjv = ajv;
  }
  return cachedAjv;
}

const compiled = new Map<string, ValidateFunction>();

/** Compiles (once per cache key) an OpenAPI schema into a validator. */
export function compileSchema(cacheKey: string, openApiSchema: Json): ValidateFunction {
  let validate = compiled.get(cacheKey);
  if (validate === undefined) {
    validate = getAjv().compile(toJsonSchema(openApiSchema) as object);
    compiled.set(cacheKey, validate);
  }
  return validate;
}

/** Compiles a hand-written JSON Schema (for the non-REST services) once per key. */
export function compileJsonSchema(cacheKey: string, schema: object): ValidateFunction {
  let validate = compiled.get(cacheKey);
  if (validate === undefined) {
    validate = getAjv().compile(schema);
    compiled.set(cacheKey, validate);
  }
  return validate;
}

/** Ajv errors as short lines like `/state must be equal to one of the allowed values (error, failure, pending, success)`. */
export function describeErrors(errors: readonly ErrorObject[] | null | undefined, limit = 8): string[] {
  const lines = (errors ?? []).map((error) => {
    const where = error.instancePath === "" ? "(root)" : error.instancePath;
    const allowed = error.keyword === "enum" ? ` (${(error.params as { allowedValues: unknown[] }).allowedValues.join(", ")})` : "";
    const extra = error.keyword === "additionalProperties" ? ` '${String((error.params as { additionalProperty: string }).additionalProperty)}'` : "";
    return `${where} ${error.message ?? error.keyword}${allowed}${extra}`;
  });
  const unique = [...new Set(lines)];
  return unique.length > limit ? [...unique.slice(0, limit), `… and ${unique.length - limit} more`] : unique;
}
