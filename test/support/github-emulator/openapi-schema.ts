/**
 * Turns OpenAPI 3.0 schema objects into JSON Schema that Ajv understands, and owns the
 * single Ajv instance that holds GitHub's component schemas.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import * as ajvFormats from "ajv-formats";
import { loadSpec, type Json, type JsonObject } from "./openapi-spec.js";

/** Base of the `$id`s under which component schemas are registered with Ajv, one per component. */
const COMPONENT_ID_BASE = "https://emulator.invalid/components/";
const COMPONENT_REF = "#/components/schemas/";

// Annotations Ajv does not need; dropping them keeps the compiled code and memory small.
const DROPPED_KEYS = new Set(["example", "examples", "description", "title", "discriminator", "externalDocs", "deprecated", "readOnly", "writeOnly", "xml"]);

/**
 * Converts one OpenAPI 3.0 schema to JSON Schema:
 * - `nullable: true` becomes `anyOf: [null, schema]` (Ajv's own `nullable` refuses schemas without
 *   `type` and does not extend `enum`, both common in GitHub's description);
 * - `oneOf` becomes `anyOf`: GitHub's variants overlap (objects without `additionalProperties: false`),
 *   so a faithful body often matches two of them and `oneOf` would reject it;
 * - `$ref`s point at the component's own registered `$id`.
 */
export function toJsonSchema(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (schema === null || typeof schema !== "object") return schema;
  const ref = schema["$ref"];
  if (typeof ref === "string") {
    // OpenAPI 3.0 ignores siblings of `$ref`.
    if (!ref.startsWith(COMPONENT_REF)) throw new Error(`OpenAPI: unsupported schema reference ${ref}`);
    return { $ref: `${COMPONENT_ID_BASE}${ref.slice(COMPONENT_REF.length)}` };
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
const registered = new Set<string>();

/** The shared Ajv instance with GitHub's formats. */
export function getAjv(): Ajv {
  if (cachedAjv === undefined) {
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true, code: { optimize: false } });
    // ajv-formats is CommonJS; under NodeNext its default export is the module object.
    const addFormats = (ajvFormats as unknown as { default: (a: Ajv) => Ajv }).default;
    addFormats(ajv);
    // Formats GitHub uses that carry no checkable syntax beyond `type`.
    for (const format of ["int64", "int32", "double", "repo.nwo", "binary", "timestamp"]) ajv.addFormat(format, true);
    cachedAjv = ajv;
  }
  return cachedAjv;
}

/**
 * Registers (without compiling) every component schema `schema` reaches, each under its own `$id`.
 * Converting all ~1000 components up front costs over a second; an operation reaches a few dozen.
 */
function registerReferencedComponents(schema: Json): void {
  const pending = [...collectRefs(schema)];
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (registered.has(name)) continue;
    const component = loadSpec().components.schemas[name];
    if (component === undefined) throw new Error(`OpenAPI: unresolved schema ${COMPONENT_REF}${name}`);
    registered.add(name);
    // Wrapped so that `$id` never sits beside a `$ref` (draft-07 would ignore it there).
    getAjv().addSchema({ $id: `${COMPONENT_ID_BASE}${name}`, allOf: [toJsonSchema(component)] });
    pending.push(...collectRefs(component));
  }
}

function collectRefs(schema: Json, found = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) {
    for (const item of schema) collectRefs(item, found);
  } else if (schema !== null && typeof schema === "object") {
    const ref = schema["$ref"];
    if (typeof ref === "string" && ref.startsWith(COMPONENT_REF)) found.add(ref.slice(COMPONENT_REF.length));
    for (const value of Object.values(schema)) collectRefs(value, found);
  }
  return found;
}

const compiled = new Map<string, ValidateFunction>();

/** Compiles (once per cache key) an OpenAPI schema into a validator. */
export function compileSchema(cacheKey: string, openApiSchema: Json): ValidateFunction {
  let validate = compiled.get(cacheKey);
  if (validate === undefined) {
    registerReferencedComponents(openApiSchema);
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
