import { describe, expect, it } from "vitest";
import { matchOperation } from "../support/github-emulator/openapi-spec.js";
import { checkRequest, checkResponse } from "../support/github-emulator/openapi-validator.js";

function operationFor(method: string, path: string) {
  const match = matchOperation(method, path);
  if (match.kind !== "operation") throw new Error(`no operation for ${method} ${path}`);
  return match;
}

describe("openapi validator", () => {
  it("routes a literal segment before a templated one", () => {
    expect(operationFor("GET", "/repos/o/r/issues/comments").operation.operationId).toBe("issues/list-comments-for-repo");
    expect(operationFor("GET", "/repos/o/r/issues/7").operation.operationId).toBe("issues/get");
  });

  it("lets a multi-segment ref span slashes", () => {
    const match = operationFor("GET", "/repos/o/r/commits/feature/x/status");
    expect(match.operation.operationId).toBe("repos/get-combined-status-for-ref");
    expect(match.params["ref"]).toBe("feature/x");
  });

  it("tells a wrong verb from an unknown path", () => {
    expect(matchOperation("PUT", "/repos/o/r/statuses/abc").kind).toBe("wrong-method");
    expect(matchOperation("GET", "/repos/o/r/no-such-thing").kind).toBe("no-path");
  });

  it("rejects a status body whose state is not one of GitHub's", () => {
    const { operation, params } = operationFor("POST", "/repos/o/r/statuses/abc");
    const check = checkRequest(operation, { params, query: new URLSearchParams(), contentType: "application/json", rawBody: JSON.stringify({ state: "green" }) });
    expect(check.problems.join("\n")).toMatch(/state must be equal to one of the allowed values \(error, failure, pending, success\)/);
    expect(check.rejected).toBe(true);
  });

  it("flags unknown query parameters and misspelt body keys that GitHub would silently ignore", () => {
    const list = operationFor("GET", "/repos/o/r/issues");
    const check = checkRequest(list.operation, { params: list.params, query: new URLSearchParams("status=open"), contentType: undefined, rawBody: "" });
    expect(check.problems).toEqual(["query parameter 'status' is not defined for issues/list-for-repo"]);
    expect(check.rejected).toBe(false);
    const create = operationFor("POST", "/repos/o/r/issues");
    expect(checkRequest(create.operation, { params: create.params, query: new URLSearchParams(), contentType: "application/json", rawBody: '{"title":"t","lables":["x"]}' }).problems).toEqual([
      "body property 'lables' is not defined for issues/create",
    ]);
  });

  it("rejects a response missing required fields", () => {
    const { operation } = operationFor("POST", "/repos/o/r/statuses/abc");
    expect(checkResponse(operation, 201, { state: "success" }).join("\n")).toMatch(/must have required property 'url'/);
    expect(checkResponse(operation, 403, { message: "Resource not accessible by integration", documentation_url: "https://docs.github.com/rest" })).toEqual([]);
  });
});
