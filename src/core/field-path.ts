/**
 * Field paths name a value of an event: `signal`, `name`, `source`, `value`, `severity`,
 * `scope.<service|region|pop|host>` or `attrs.<key>`. Matchers, fingerprints, `on`, `equal`
 * and action targets all use them, and all resolve them the same way.
 */
import { z } from "zod";
import { FORBIDDEN_KEYS, SCOPE_KEYS, type AttrValue, type NormalizedEvent } from "./event.js";

const TOP = new Set(["signal", "name", "source", "value", "severity"]);
const SCOPE = new Set<string>(SCOPE_KEYS);

/** True when `path` names an event value. */
export function isFieldPath(path: string): boolean {
  if (TOP.has(path)) return true;
  if (path.startsWith("scope.")) return SCOPE.has(path.slice(6));
  if (path.startsWith("attrs.")) {
    const key = path.slice(6);
    return key.length > 0 && !FORBIDDEN_KEYS.has(key);
  }
  return false;
}

export const FIELD_PATH_HINT = "a field path: signal, name, source, value, severity, scope.service|region|pop|host, or attrs.<key>";

export const fieldPathSchema = z.string().refine(isFieldPath, { message: `expected ${FIELD_PATH_HINT}` });

/** A compiled accessor; resolving once at compile time keeps the per-event path to one property read. */
export type FieldGetter = (e: NormalizedEvent) => AttrValue | undefined;

/** Compiles a field path (already validated) to a getter. Own properties only: no prototype reads. */
export function compileFieldPath(path: string): FieldGetter {
  switch (path) {
    case "signal":
      return (e) => e.signal;
    case "name":
      return (e) => e.name;
    case "source":
      return (e) => e.source;
    case "value":
      return (e) => e.value;
    case "severity":
      return (e) => e.severity;
  }
  if (path.startsWith("scope.")) {
    // The four scope keys are not Object.prototype names, so a plain read cannot reach the prototype.
    switch (path.slice(6)) {
      case "service":
        return (e) => e.scope.service;
      case "region":
        return (e) => e.scope.region;
      case "pop":
        return (e) => e.scope.pop;
      default:
        return (e) => e.scope.host;
    }
  }
  const key = path.slice(6);
  return (e) => (e.attrs !== undefined && Object.hasOwn(e.attrs, key) ? e.attrs[key] : undefined);
}
