import { LIMITS } from "@edgeroom/shared";
import { toBase64UrlEncoded } from "lib0/buffer";
import { describe, expect, it } from "vitest";
import { renewDelayMs, tokenExpiryMs } from "../src/access/token-expiry.ts";

function jwt(payload: unknown): string {
  const part = (value: unknown): string =>
    toBase64UrlEncoded(new TextEncoder().encode(JSON.stringify(value)));
  return `${part({ alg: "HS256", typ: "JWT" })}.${part(payload)}.c2lnbmF0dXJl`;
}

describe("room token expiry", () => {
  it("reads exp from the payload without checking the signature", () => {
    expect(tokenExpiryMs(jwt({ room: "r", exp: 1_900_000_000 }))).toBe(1_900_000_000_000);
  });

  it("knows no expiry for anything that is not a JWT with a numeric exp", () => {
    for (const token of [
      "",
      "not-a-jwt",
      "a.b",
      jwt({ room: "r" }),
      jwt({ exp: "1900000000" }),
      jwt(null),
      `${jwt({ exp: 1 })}.extra`,
      "x".repeat(5000),
      "e30.!!!.c2ln",
    ]) {
      expect(tokenExpiryMs(token), token.slice(0, 40)).toBeUndefined();
    }
  });

  it("renews a long token a minute early and a short one with a quarter of its time left", () => {
    const now = 1_000_000;
    expect(renewDelayMs(now + 10 * 60_000, now)).toBe(10 * 60_000 - LIMITS.roomTokenRenewLeadMs);
    expect(renewDelayMs(now + 40_000, now)).toBe(30_000);
  });

  it("never renews sooner than the endpoint's minimum interval, even for a token already expired", () => {
    const now = 1_000_000;
    expect(renewDelayMs(now + 5_000, now)).toBe(LIMITS.roomTokenMinIntervalMs);
    expect(renewDelayMs(now - 60_000, now)).toBe(LIMITS.roomTokenMinIntervalMs);
  });
});
