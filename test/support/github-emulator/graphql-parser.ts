/**
 * A parser for the small part of GraphQL the emulator accepts: one operation with variable
 * definitions, fields with aliases, arguments and selection sets. Fragments and directives are
 * refused with a clear message rather than misread.
 */

/** A GraphQL input value. */
export type GraphQLValue =
  | { kind: "variable"; name: string }
  | { kind: "string"; value: string }
  | { kind: "number"; value: number }
  | { kind: "boolean"; value: boolean }
  | { kind: "null" }
  | { kind: "enum"; value: string }
  | { kind: "list"; values: GraphQLValue[] }
  | { kind: "object"; fields: Record<string, GraphQLValue> };

/** A field in a selection set. */
export interface GraphQLField {
  alias: string | undefined;
  name: string;
  args: Record<string, GraphQLValue>;
  selections: GraphQLField[];
}

/** A parsed operation. */
export interface GraphQLOperation {
  type: "query" | "mutation" | "subscription";
  name: string | undefined;
  selections: GraphQLField[];
}

const TOKEN = /\s+|,|#[^\n]*|(\.\.\.|[!$():=@[\]{}|])|("(?:[^"\\]|\\.)*")|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|([_A-Za-z][_0-9A-Za-z]*)/y;

function tokenize(source: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < source.length) {
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(source);
    if (match === null) throw new Error(`Syntax Error: unexpected character "${source[at] ?? ""}" at offset ${at}`);
    const token = match[1] ?? match[2] ?? match[3] ?? match[4];
    if (token !== undefined) tokens.push(token);
  }
  return tokens;
}

/** Parses a document holding exactly one operation. */
export function parseOperation(source: string): GraphQLOperation {
  const tokens = tokenize(source);
  let position = 0;
  const peek = (): string | undefined => tokens[position];
  const next = (): string => {
    const token = tokens[position++];
    if (token === undefined) throw new Error("Syntax Error: unexpected end of document");
    return token;
  };
  const expect = (token: string): void => {
    const got = next();
    if (got !== token) throw new Error(`Syntax Error: expected "${token}", found "${got}"`);
  };
  const name = (): string => {
    const token = next();
    if (!/^[_A-Za-z]/.test(token)) throw new Error(`Syntax Error: expected a name, found "${token}"`);
    return token;
  };

  const value = (): GraphQLValue => {
    const token = next();
    if (token === "$") return { kind: "variable", name: name() };
    if (token.startsWith('"')) return { kind: "string", value: JSON.parse(token) as string };
    if (/^-?\d/.test(token)) return { kind: "number", value: Number(token) };
    if (token === "true" || token === "false") return { kind: "boolean", value: token === "true" };
    if (token === "null") return { kind: "null" };
    if (token === "[") {
      const values: GraphQLValue[] = [];
      while (peek() !== "]") values.push(value());
      expect("]");
      return { kind: "list", values };
    }
    if (token === "{") {
      const fields: Record<string, GraphQLValue> = {};
      while (peek() !== "}") {
        const key = name();
        expect(":");
        fields[key] = value();
      }
      expect("}");
      return { kind: "object", fields };
    }
    if (/^[_A-Za-z]/.test(token)) return { kind: "enum", value: token };
    throw new Error(`Syntax Error: unexpected "${token}" in a value`);
  };

  const selectionSet = (): GraphQLField[] => {
    expect("{");
    const fields: GraphQLField[] = [];
    while (peek() !== "}") {
      if (peek() === "...") throw new Error("fragments are not supported by the emulator");
      let fieldName = name();
      let alias: string | undefined;
      if (peek() === ":") {
        next();
        alias = fieldName;
        fieldName = name();
      }
      const args: Record<string, GraphQLValue> = {};
      if (peek() === "(") {
        next();
        while (peek() !== ")") {
          const key = name();
          expect(":");
          args[key] = value();
        }
        expect(")");
      }
      if (peek() === "@") throw new Error("directives are not supported by the emulator");
      fields.push({ alias, name: fieldName, args, selections: peek() === "{" ? selectionSet() : [] });
    }
    expect("}");
    return fields;
  };

  let type: GraphQLOperation["type"] = "query";
  let operationName: string | undefined;
  if (peek() !== "{") {
    const keyword = next();
    if (keyword !== "query" && keyword !== "mutation" && keyword !== "subscription") throw new Error(`Syntax Error: unexpected "${keyword}"`);
    type = keyword;
    if (peek() !== "(" && peek() !== "{") operationName = name();
    if (peek() === "(") {
      // Variable definitions: their types are not checked; values come from `variables`.
      let depth = 0;
      do {
        const token = next();
        if (token === "(") depth += 1;
        if (token === ")") depth -= 1;
      } while (depth > 0);
    }
  }
  const selections = selectionSet();
  if (position !== tokens.length) throw new Error("the emulator accepts one operation per document");
  return { type, name: operationName, selections };
}

/** Resolves a value against the request's variables into plain JSON. */
export function resolveValue(value: GraphQLValue, variables: Record<string, unknown>): unknown {
  switch (value.kind) {
    case "variable":
      return variables[value.name];
    case "string":
    case "number":
    case "boolean":
    case "enum":
      return value.value;
    case "null":
      return null;
    case "list":
      return value.values.map((item) => resolveValue(item, variables));
    case "object":
      return Object.fromEntries(Object.entries(value.fields).map(([key, item]) => [key, resolveValue(item, variables)]));
  }
}
