/**
 * `POST /graphql`, limited to the `minimizeComment` mutation (how the action hides outdated
 * comments). Anything else gets a GraphQL error naming what is supported, and a violation.
 */
import { hasPermission, type TokenRecord } from "../auth.js";
import { parseOperation, resolveValue, type GraphQLField } from "../graphql-parser.js";
import { compileJsonSchema, describeErrors } from "../openapi-schema.js";
import { parseNodeId } from "../representations.js";
import type { EmulatorState } from "../state.js";

/** Classifiers the `ReportedContentClassifiers` enum allows, and how `minimizedReason` spells each. */
const CLASSIFIERS: Record<string, string> = { SPAM: "spam", ABUSE: "abuse", OFF_TOPIC: "off-topic", OUTDATED: "outdated", DUPLICATE: "duplicate", RESOLVED: "resolved", LOW_QUALITY: "low-quality" };

const REQUEST_SCHEMA = {
  type: "object",
  required: ["query"],
  additionalProperties: false,
  properties: { query: { type: "string", minLength: 1 }, variables: { type: ["object", "null"] }, operationName: { type: ["string", "null"] } },
} as const;

/** GraphQL over HTTP: `data` and/or `errors`, each error with a message (the GraphQL spec's response format). */
const RESPONSE_SCHEMA = {
  type: "object",
  additionalProperties: false,
  minProperties: 1,
  properties: {
    data: { type: ["object", "null"] },
    errors: { type: "array", minItems: 1, items: { type: "object", required: ["message"], properties: { message: { type: "string" }, path: { type: "array" }, type: { type: "string" } } } },
  },
} as const;

/** Problems with a GraphQL response body the emulator is about to send (empty when it conforms). */
export function checkGraphQLResponse(status: number, body: unknown): string[] {
  if (status !== 200) return [];
  const validate = compileJsonSchema("graphql:response", RESPONSE_SCHEMA);
  return validate(body) ? [] : describeErrors(validate.errors).map((line) => `graphql response ${line}`);
}

/** Outcome of a GraphQL request: HTTP answer and what broke the contract. */
export interface GraphQLOutcome {
  status: number;
  body: unknown;
  /** Request problems (malformed body, unsupported operation). */
  problems: string[];
}

class GraphQLError extends Error {
  constructor(
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly unsupported = false,
  ) {
    super(message);
  }
}

function fail(error: GraphQLError, data: unknown = undefined): GraphQLOutcome {
  return {
    status: 200,
    body: { ...(data === undefined ? {} : { data }), errors: [{ message: error.message, ...error.extra }] },
    problems: error.unsupported ? [error.message] : [],
  };
}

/** Answers one authenticated GraphQL request. */
export function handleGraphQL(state: EmulatorState, token: TokenRecord, raw: unknown): GraphQLOutcome {
  const validate = compileJsonSchema("graphql:request", REQUEST_SCHEMA);
  if (!validate(raw)) {
    const message = `Problems parsing JSON: ${describeErrors(validate.errors).join("; ")}`;
    return { status: 400, body: { message, documentation_url: "https://docs.github.com/graphql" }, problems: [message] };
  }
  const request = raw as { query: string; variables?: Record<string, unknown> | null };
  const variables = request.variables ?? {};
  try {
    let operation;
    try {
      operation = parseOperation(request.query);
    } catch (error) {
      throw new GraphQLError((error as Error).message, { extensions: { code: "parseError" } }, true);
    }
    const field = operation.selections[0];
    if (operation.type !== "mutation" || operation.selections.length !== 1 || field?.name !== "minimizeComment") {
      const what = `${operation.type} { ${operation.selections.map((f) => f.name).join(", ")} }`;
      throw new GraphQLError(`The GitHub emulator supports only the minimizeComment mutation; got ${what}`, { extensions: { code: "undefinedField" } }, true);
    }
    return minimizeComment(state, token, field, variables);
  } catch (error) {
    if (error instanceof GraphQLError) return fail(error);
    throw error;
  }
}

function minimizeComment(state: EmulatorState, token: TokenRecord, field: GraphQLField, variables: Record<string, unknown>): GraphQLOutcome {
  const key = field.alias ?? field.name;
  const inputValue = field.args["input"];
  const input = (inputValue === undefined ? undefined : resolveValue(inputValue, variables)) as { subjectId?: unknown; classifier?: unknown; clientMutationId?: unknown } | undefined;
  if (input === undefined || typeof input.subjectId !== "string" || typeof input.classifier !== "string") {
    throw new GraphQLError("Argument 'input' on Field 'minimizeComment' has an invalid value: subjectId (ID!) and classifier (ReportedContentClassifiers!) are required.", { extensions: { code: "argumentLiteralsIncompatible" } }, true);
  }
  const reason = CLASSIFIERS[input.classifier];
  if (reason === undefined) {
    throw new GraphQLError(`Argument 'classifier' on InputObject 'MinimizeCommentInput' has an invalid value (${input.classifier}). Expected type 'ReportedContentClassifiers!'.`, {}, true);
  }
  if (!hasPermission(token, { anyOf: ["issues", "pull_requests"], level: "write" })) {
    return fail(new GraphQLError("Resource not accessible by integration", { type: "FORBIDDEN", path: [key], locations: [{ line: 1, column: 1 }] }), { [key]: null });
  }
  const id = parseNodeId("IC", input.subjectId);
  const found = id === undefined ? undefined : state.findComment(id);
  if (found === undefined) {
    return fail(new GraphQLError(`Could not resolve to a node with the global id of '${input.subjectId}'`, { type: "NOT_FOUND", path: [key], locations: [{ line: 1, column: 1 }] }), { [key]: null });
  }
  found.comment.minimizedReason = reason;
  const payload: Record<string, unknown> = {};
  for (const selection of field.selections) {
    const name = selection.alias ?? selection.name;
    if (selection.name === "clientMutationId") payload[name] = typeof input.clientMutationId === "string" ? input.clientMutationId : null;
    else if (selection.name === "__typename") payload[name] = "MinimizeCommentPayload";
    else if (selection.name === "minimizedComment") payload[name] = renderMinimized(selection, reason);
    else throw new GraphQLError(`Field '${selection.name}' doesn't exist on type 'MinimizeCommentPayload'`, { extensions: { code: "undefinedField" } }, true);
  }
  return { status: 200, body: { data: { [key]: payload } }, problems: [] };
}

function renderMinimized(field: GraphQLField, reason: string): Record<string, unknown> {
  const values: Record<string, unknown> = { isMinimized: true, minimizedReason: reason, viewerCanMinimize: true, __typename: "IssueComment" };
  const out: Record<string, unknown> = {};
  for (const selection of field.selections) {
    if (!(selection.name in values)) throw new GraphQLError(`Field '${selection.name}' is not emulated on 'Minimizable' (emulated: ${Object.keys(values).join(", ")})`, {}, true);
    out[selection.alias ?? selection.name] = values[selection.name];
  }
  return out;
}
