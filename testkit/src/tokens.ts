/** Signs room tokens the way a host's backend would (jose, HS256), with the secret every test server runs with. */
import type { RoomTokenClaims } from "@edgeroom/shared";
import { SignJWT } from "jose";
import { TEST_TOKEN_SECRET } from "./test-config.ts";

export interface SignOptions {
  /** Another secret, for a token the server must refuse. */
  secret?: string;
  /** Expiry in seconds since the epoch; five minutes from now unless given. */
  expiresAt?: number;
  /** `iat` in seconds since the epoch; now unless given (a revocation refuses tokens issued up to it). */
  issuedAt?: number;
}

export async function signRoomToken(
  claims: Partial<RoomTokenClaims> & { room: string },
  options: SignOptions = {},
): Promise<string> {
  const { exp: _ignored, ...rest } = claims;
  return new SignJWT({ sub: "person-0001", name: "Ada", color: "#1971c2", scope: "edit", ...rest })
    .setProtectedHeader({ alg: "HS256" })
    .setIssuedAt(options.issuedAt ?? secondsFromNow(0))
    .setExpirationTime(options.expiresAt ?? secondsFromNow(300))
    .sign(new TextEncoder().encode(options.secret ?? TEST_TOKEN_SECRET));
}

/** An expiry `seconds` from now, in the seconds-since-epoch a token's `exp` holds. */
export function secondsFromNow(seconds: number): number {
  return Math.floor(Date.now() / 1000) + seconds;
}
