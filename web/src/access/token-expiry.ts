/**
 * When a room token runs out, read from the JWT's payload without checking
 * its signature: the Worker verifies every token; the page only needs to know
 * when to ask for the next one.
 */
import { isCompactJws, LIMITS } from "@edgeroom/shared";
import { fromBase64UrlEncoded } from "lib0/buffer";

/** The token's `exp` in milliseconds since the epoch, or undefined for anything that is not a JWT with one. */
export function tokenExpiryMs(token: string): number | undefined {
  if (!isCompactJws(token)) return undefined;
  try {
    const payload = token.split(".")[1] ?? "";
    const json: unknown = JSON.parse(new TextDecoder().decode(fromBase64UrlEncoded(payload)));
    const exp = typeof json === "object" && json !== null ? (json as { exp?: unknown }).exp : undefined;
    return typeof exp === "number" && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * How long to wait before renewing a token that expires at `expiryMs`: a lead of
 * `LIMITS.roomTokenRenewLeadMs`, but at most a quarter of what is left, so a
 * short token (seconds) is still renewed before it lapses. Never sooner than
 * `LIMITS.roomTokenMinIntervalMs`: an endpoint that hands out stale tokens is not hammered.
 */
export function renewDelayMs(expiryMs: number, nowMs: number): number {
  const left = expiryMs - nowMs;
  const lead = Math.min(LIMITS.roomTokenRenewLeadMs, left / 4);
  return Math.max(LIMITS.roomTokenMinIntervalMs, left - lead);
}
