/**
 * Verifies a room token (JWT, HS256) against the Worker secret and the room
 * it is presented to. Every way a token can be wrong maps to one close code:
 * an expired token can be replaced by the host, anything else cannot.
 */
import {
  CloseCode,
  LIMITS,
  parseRoomTokenClaims,
  type RoomTokenClaims,
  type VerifiedIdentity,
} from "@edgeroom/shared";
import { errors, jwtVerify } from "jose";

export type TokenCheck =
  | {
      ok: true;
      identity: VerifiedIdentity;
      makesPrivate: boolean;
      expiresAt: number;
      /** When the token was issued (epoch ms), if it says: a revocation refuses tokens issued before it. */
      issuedAt: number | undefined;
    }
  | { ok: false; code: typeof CloseCode.tokenInvalid | typeof CloseCode.tokenExpired };

export async function verifyRoomToken(
  token: string,
  secret: string | undefined,
  roomId: string,
): Promise<TokenCheck> {
  // Without a secret nothing can be verified; a weak one would make tokens guessable.
  if (!secret || secret.length < LIMITS.minTokenSecretLength)
    return { ok: false, code: CloseCode.tokenInvalid };
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
      algorithms: ["HS256"],
      requiredClaims: ["exp"],
    }));
  } catch (error) {
    const expired = error instanceof errors.JWTExpired;
    return { ok: false, code: expired ? CloseCode.tokenExpired : CloseCode.tokenInvalid };
  }
  const claims = parseRoomTokenClaims(payload);
  if (claims?.room !== roomId) return { ok: false, code: CloseCode.tokenInvalid };
  return {
    ok: true,
    identity: toIdentity(claims),
    makesPrivate: claims.private === true,
    // `exp` is in seconds; the room keeps it in ms to close the socket when it passes.
    expiresAt: claims.exp * 1000,
    issuedAt: issuedAtMs(payload),
  };
}

function issuedAtMs(payload: unknown): number | undefined {
  const iat = (payload as { iat?: unknown }).iat;
  return typeof iat === "number" && Number.isSafeInteger(iat) && iat > 0 ? iat * 1000 : undefined;
}

function toIdentity(claims: RoomTokenClaims): VerifiedIdentity {
  return { id: claims.sub, name: claims.name, color: claims.color, scope: claims.scope };
}
