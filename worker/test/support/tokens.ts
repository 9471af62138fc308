/** Signs room tokens the way a host's backend would (jose, HS256). */
import type { RoomTokenClaims } from "@edgeroom/shared";
import { SignJWT } from "jose";
import { TEST_TOKEN_SECRET } from "./test-config.ts";

export async function signRoomToken(
  claims: Partial<RoomTokenClaims> & { room: string },
  options: { secret?: string; expiresAt?: number } = {},
): Promise<string> {
  const { exp: _ignored, ...rest } = claims;
  return new SignJWT({ sub: "person-0001", name: "Ada", color: "#1971c2", scope: "edit", ...rest })
    .setProtectedHeader({ alg: "HS256" })
    .setIssuedAt()
    .setExpirationTime(options.expiresAt ?? Math.floor(Date.now() / 1000) + 300)
    .sign(new TextEncoder().encode(options.secret ?? TEST_TOKEN_SECRET));
}
