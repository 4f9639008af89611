/** Helpers shared by the JSON-lines adapters: parse a line, read own properties only. */
import type { AttrValue } from "../../../core/event.js";
import type { AdapterContext, LineParser } from "./types.js";

export type JsonObject = Record<string, unknown>;

/** Parses one line as a JSON object, or returns the reason it is not one. */
export function parseJsonObject(text: string): JsonObject | string {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    return `not valid JSON (${(err as Error).message})`;
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) return "expected a JSON object";
  return v as JsonObject;
}

/** An own property, never one reached through the prototype (`constructor`, `__proto__`). */
export function own(o: JsonObject, key: string): unknown {
  return Object.hasOwn(o, key) ? o[key] : undefined;
}

/** A JSON value as an attr value: scalars as they are, arrays of scalars joined by ",", the rest unset. */
export function toAttr(v: unknown): AttrValue | undefined {
  switch (typeof v) {
    case "string":
      return v;
    case "number":
      return Number.isFinite(v) ? v : undefined;
    case "boolean":
      return v;
    case "object":
      if (Array.isArray(v) && v.every((x) => typeof x === "string" || typeof x === "number" || typeof x === "boolean")) return v.join(",");
      return undefined;
    default:
      return undefined;
  }
}

/** A non-empty string property, else undefined. */
export function ownString(o: JsonObject, key: string): string | undefined {
  const v = own(o, key);
  return typeof v === "string" && v.length > 0 ? v : undefined;
}

/** True when a text is blank (only spaces, tabs or CR). */
export function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

/** The first non-blank line of a head of text. */
export function firstLine(head: string): string {
  for (const line of head.split("\n", 64)) if (!isBlank(line)) return line.trim();
  return "";
}

/**
 * A parser for JSON-lines formats: blank lines are skipped, a line that is not a JSON object is
 * rejected with its reason, and every object goes to `onObject`.
 */
export function jsonLineParser(ctx: AdapterContext, onObject: (o: JsonObject, text: string, lineNo: number) => void): LineParser {
  return {
    line(text, lineNo) {
      if (isBlank(text)) return;
      const o = parseJsonObject(text);
      if (typeof o === "string") ctx.reject(lineNo, o);
      else onObject(o, text, lineNo);
    },
    end() {},
  };
}
