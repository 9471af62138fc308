import { describe, expect, it } from "vitest";
import { tokenSubject } from "../src/access/token-subject.ts";

/** An unsigned compact JWS with these claims (the client reads `sub` only to tell people apart). */
function tokenWith(claims: object): string {
  const part = (value: object) =>
    btoa(JSON.stringify(value)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  return `${part({ alg: "HS256" })}.${part(claims)}.c2ln`;
}

describe("the person a room token names", () => {
  it("reads sub, so a host's sign-out of one person for another is told from a refresh", () => {
    expect(tokenSubject(tokenWith({ sub: "host-user-0001", name: "Tess" }))).toBe("host-user-0001");
    expect(tokenSubject(tokenWith({ sub: "host-user-0001", exp: 1 }))).toBe(
      tokenSubject(tokenWith({ sub: "host-user-0001", exp: 2 })),
    );
    expect(tokenSubject(tokenWith({ sub: "ü-user" }))).toBeDefined();
  });

  it("has no subject for no token, a malformed one, or a sub that is not a string", () => {
    expect(tokenSubject(undefined)).toBeUndefined();
    expect(tokenSubject("not-a-token")).toBeUndefined();
    expect(tokenSubject("a.%%%.c")).toBeUndefined();
    expect(tokenSubject(tokenWith({ sub: 42 }))).toBeUndefined();
  });
});
