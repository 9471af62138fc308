/**
 * The API's one credential: `Authorization: Bearer <EDGEROOM_API_SECRET>`.
 * Both sides are hashed first so the comparison takes the same time
 * whatever the caller sent (timingSafeEqual needs equal lengths, and a
 * length check alone would tell an attacker the secret's length).
 */
import { ApiErrorCode } from "@edgeroom/shared";
import { apiError } from "./api-response.ts";

const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;

/** Undefined when the request carries the secret; otherwise the 401 to answer with. */
export async function refuseUnauthorized(request: Request, env: Env): Promise<Response | undefined> {
  const secret = env.EDGEROOM_API_SECRET?.trim();
  if (!secret) {
    return apiError(
      ApiErrorCode.apiDisabled,
      "The API is off: set EDGEROOM_API_SECRET (wrangler secret put EDGEROOM_API_SECRET, or .dev.vars locally).",
    );
  }
  const given = BEARER.exec(request.headers.get("Authorization") ?? "")?.[1];
  if (given !== undefined && (await sameSecret(given, secret))) return undefined;
  return apiError(
    ApiErrorCode.unauthorized,
    given === undefined
      ? "Send Authorization: Bearer <EDGEROOM_API_SECRET>."
      : "The bearer token is not this deployment's API secret.",
    { "WWW-Authenticate": 'Bearer realm="edgeroom-api"' },
  );
}

async function sameSecret(given: string, secret: string): Promise<boolean> {
  const encoder = new TextEncoder();
  const [a, b] = await Promise.all([
    crypto.subtle.digest("SHA-256", encoder.encode(given)),
    crypto.subtle.digest("SHA-256", encoder.encode(secret)),
  ]);
  return crypto.subtle.timingSafeEqual(a, b);
}
