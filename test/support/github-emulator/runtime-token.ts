/**
 * `ACTIONS_RUNTIME_TOKEN` for tests: a JWT whose `scp` claim carries
 * `Actions.Results:<workflowRunBackendId>:<workflowJobRunBackendId>`, which is all
 * @actions/artifact reads from it (lib/internal/shared/util.js `getBackendIdsFromToken`,
 * via `jwt-decode`, without verifying). The emulator does verify: it signs with its own secret.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

/** Claims the emulator puts in a runtime token. */
export interface RuntimeTokenClaims {
  /** Space-separated scopes; the artifact client looks for `Actions.Results:<run>:<job>`. */
  scp: string;
  /** Issued-at, epoch seconds. */
  iat: number;
  /** Expiry, epoch seconds. */
  exp: number;
  iss: string;
  aud: string;
}

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString("base64url");
}

/** Signs an HS256 JWT carrying the results scope for one run and job. */
export function mintRuntimeToken(secret: string, ids: { runBackendId: string; jobBackendId: string }, nowSeconds: number): string {
  const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const claims: RuntimeTokenClaims = {
    scp: `Actions.ExampleScope Actions.Results:${ids.runBackendId}:${ids.jobBackendId}`,
    iat: nowSeconds,
    exp: nowSeconds + 6 * 3600,
    iss: "vstoken.actions.githubusercontent.com",
    aud: "vso:emulator",
  };
  const payload = base64url(JSON.stringify(claims));
  const signature = createHmac("sha256", secret).update(`${header}.${payload}`).digest("base64url");
  return `${header}.${payload}.${signature}`;
}

/** The run and job a valid token grants, or a reason it is refused. */
export type RuntimeTokenCheck =
  | { ok: true; runBackendId: string; jobBackendId: string }
  | { ok: false; reason: string };

/** Verifies signature and expiry of a bearer token and extracts its `Actions.Results` scope. */
export function verifyRuntimeToken(secret: string, token: string | undefined, nowSeconds: number): RuntimeTokenCheck {
  if (token === undefined) return { ok: false, reason: "missing bearer token" };
  const [header, payload, signature] = token.split(".");
  if (header === undefined || payload === undefined || signature === undefined) return { ok: false, reason: "token is not a JWT" };
  const expected = Buffer.from(createHmac("sha256", secret).update(`${header}.${payload}`).digest("base64url"));
  const actual = Buffer.from(signature);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return { ok: false, reason: "token signature is invalid" };
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Partial<RuntimeTokenClaims>;
  if (typeof claims.exp !== "number" || claims.exp < nowSeconds) return { ok: false, reason: "token expired" };
  for (const scope of (claims.scp ?? "").split(" ")) {
    const parts = scope.split(":");
    if (parts[0] === "Actions.Results" && parts.length === 3 && parts[1] !== undefined && parts[2] !== undefined) {
      return { ok: true, runBackendId: parts[1], jobBackendId: parts[2] };
    }
  }
  return { ok: false, reason: "token has no Actions.Results scope" };
}
