/**
 * The Pusher HTTP API's request signing (pusher.com/docs/channels/library_auth_reference/rest-api),
 * checked as the `pusher` SDKs produce it: the query carries `auth_key`,
 * `auth_timestamp` (seconds), `auth_version=1.0`, `body_md5` (hex MD5 of the
 * body, when there is one) and `auth_signature`, the hex HMAC-SHA256 under
 * the app's secret of `METHOD\nPATH\nQUERY`, where QUERY is every other
 * parameter with its key lower-cased, sorted by key, as `k=v` joined by `&`,
 * with the values as they read once decoded (the SDKs sign values unescaped).
 *
 * A signed request can be replayed unchanged inside the timestamp window, as
 * on Pusher; what it can do is only what its signer asked for.
 */
import { PUSHER_HTTP_LIMITS } from "@edgeroom/shared/pusher";
import { hmacSha256Hex, md5Hex, sameSignature } from "../signing/hmac.ts";
import { canonicalQuery, stringToSign } from "./signed-string.ts";

export interface SignedRequest {
  method: string;
  /** The path as it arrived (percent-encoded where the client encoded it). */
  path: string;
  query: URLSearchParams;
  body: Uint8Array;
}

export interface AppCredentials {
  key: string;
  secret: string;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

const REQUIRED = ["auth_key", "auth_timestamp", "auth_version", "auth_signature"] as const;

/** Checks one request against the app's key and secret at `nowSeconds`; the reason says what to fix. */
export async function checkSignature(
  request: SignedRequest,
  app: AppCredentials,
  nowSeconds: number,
): Promise<SignatureCheck> {
  const { query } = request;
  const missing = REQUIRED.filter((name) => !query.has(name));
  if (missing.length > 0) {
    return refuse(`Missing ${missing.join(", ")}: sign requests as the Pusher HTTP API requires.`);
  }
  const canonical = canonicalQuery(query);
  if (!canonical.ok) return refuse(canonical.reason);
  if (query.get("auth_key") !== app.key) return refuse("Unknown auth_key: it is not this app's key.");
  if (query.get("auth_version") !== "1.0") return refuse("Unsupported auth_version: use 1.0.");

  const timestamp = query.get("auth_timestamp") ?? "";
  if (!/^\d{1,12}$/.test(timestamp))
    return refuse("Invalid auth_timestamp: use whole seconds since the epoch.");
  const tolerance = PUSHER_HTTP_LIMITS.timestampToleranceSeconds;
  if (Math.abs(nowSeconds - Number(timestamp)) > tolerance) {
    return refuse(
      `Timestamp expired: Given timestamp (${isoSeconds(Number(timestamp))}) not within ${tolerance}s ` +
        `of server time (${isoSeconds(nowSeconds)}).`,
    );
  }

  const givenMd5 = query.get("body_md5");
  if (request.body.byteLength > 0 && givenMd5 === null) {
    return refuse("Missing body_md5: a request with a body signs the hex MD5 of it.");
  }
  if (givenMd5 !== null && !sameSignature(await md5Hex(request.body), givenMd5.toLowerCase())) {
    return refuse("Invalid body_md5: it is not the MD5 of the body that arrived.");
  }

  const given = (query.get("auth_signature") ?? "").toLowerCase();
  const signed = stringToSign(request.method, request.path, canonical.text);
  for (const path of pathSpellings(request.path)) {
    const candidate = stringToSign(request.method, path, canonical.text);
    if (sameSignature(await hmacSha256Hex(app.secret, candidate), given)) return { ok: true };
  }
  return refuse(
    `Invalid signature: expected the hex HMAC-SHA256, under the app's secret, of ${JSON.stringify(signed)}.`,
  );
}

/**
 * The SDKs sign the path as they built it, unescaped (a user id in
 * `/users/<id>/terminate_connections` goes in as it is), and the HTTP
 * client escapes it on the way; both spellings name the same request.
 */
function pathSpellings(path: string): string[] {
  if (!path.includes("%")) return [path];
  try {
    const decoded = decodeURIComponent(path);
    return decoded === path ? [path] : [path, decoded];
  } catch {
    return [path];
  }
}

function refuse(reason: string): SignatureCheck {
  return { ok: false, reason };
}

function isoSeconds(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? String(seconds) : date.toISOString().replace(/\.\d{3}Z$/, "Z");
}
