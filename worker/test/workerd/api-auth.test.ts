/**
 * The API's door: without this deployment's secret nothing gets past it,
 * nothing is validated, and no room object is addressed (addressing one
 * creates it).
 */
import { ApiErrorCode } from "@edgeroom/shared";
import { TEST_API_SECRET } from "@edgeroom/testkit";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { API_ROUTES } from "../../src/api/routes.ts";
import { api, apiErrorOf, apiWithEnv, roomObjectExists, roomObjectIds } from "../support/api-client.ts";
import { exampleCalls } from "../support/api-examples.ts";

const guarded = API_ROUTES.filter((route) => !route.public).map((route) => route.operationId);

async function r2Keys(): Promise<string[]> {
  return (await env.SNAPSHOTS.list({ prefix: "rooms/" })).objects.map((object) => object.key);
}

describe("API authentication", () => {
  it("has an example call for every route the router serves", () => {
    expect(Object.keys(exampleCalls("x")).sort()).toEqual(API_ROUTES.map((r) => r.operationId).sort());
  });

  it.each(guarded)(
    "%s: 401 without a secret, with a wrong one, or with a near miss, and no room is touched",
    async (operation) => {
      const room = `auth-never-${operation}`;
      const r2Before = await r2Keys();
      const { method, path, init } = exampleCalls(room)[operation]!;
      const attempts = [
        { secret: null },
        { secret: "wrong-secret" },
        { secret: `${TEST_API_SECRET}x` },
        { secret: TEST_API_SECRET.slice(0, -1) },
        { secret: "" },
        { secret: null, headers: { Authorization: `Basic ${TEST_API_SECRET}` } },
        { secret: null, headers: { Authorization: TEST_API_SECRET } },
        { secret: null, headers: { Authorization: `Bearer ${TEST_API_SECRET} extra` } },
      ];
      for (const attempt of attempts) {
        const response = await api(path, { method, ...init, ...attempt });
        expect(response.status, JSON.stringify(attempt)).toBe(401);
        expect(response.headers.get("WWW-Authenticate")).toMatch(/^Bearer/);
        expect((await apiErrorOf(response)).code).toBe(ApiErrorCode.unauthorized);
      }
      expect(roomObjectExists(await roomObjectIds(), room)).toBe(false);
      expect(await r2Keys()).toEqual(r2Before);
    },
  );

  it.each(guarded)(
    "%s: 401 api-disabled when no secret is configured, even with the right bearer",
    async (operation) => {
      const room = `auth-disabled-${operation}`;
      const { method, path, init } = exampleCalls(room)[operation]!;
      for (const secret of [undefined, "", "   "]) {
        const response = await apiWithEnv({ EDGEROOM_API_SECRET: secret }, path, { method, ...init });
        expect(response.status).toBe(401);
        expect((await apiErrorOf(response)).code).toBe(ApiErrorCode.apiDisabled);
      }
      expect(roomObjectExists(await roomObjectIds(), room)).toBe(false);
    },
  );

  it("checks the secret before the room name, the path, the method, the query and the body", async () => {
    const refusedFirst = [
      api("/api/v1/rooms/bad.name", { secret: null }),
      api("/api/v1/rooms/%2e%2e%2fother", { secret: "nope" }),
      api("/api/v1/nowhere", { secret: null }),
      api("/api/v2/rooms", { secret: null }),
      api("/api/v1/rooms/auth-order", { method: "PUT", secret: null }),
      api("/api/v1/rooms/auth-order/document?format=pdf", { secret: null }),
      api("/api/v1/rooms/auth-order/chat", { method: "POST", secret: null, json: { nonsense: true } }),
      api("/api/v1/rooms/auth-order/chat", {
        method: "POST",
        secret: null,
        headers: { "Content-Type": "text/plain" },
        body: "x".repeat(3 * 1024 * 1024),
      }),
    ];
    for (const response of await Promise.all(refusedFirst)) {
      expect(response.status).toBe(401);
      expect((await apiErrorOf(response)).code).toBe(ApiErrorCode.unauthorized);
    }
    expect(roomObjectExists(await roomObjectIds(), "auth-order")).toBe(false);
  });

  it("lets the right secret through, which does address the room (so the checks above can fail)", async () => {
    expect(roomObjectExists(await roomObjectIds(), "auth-granted")).toBe(false);
    const response = await api("/api/v1/rooms/auth-granted");
    expect(roomObjectExists(await roomObjectIds(), "auth-granted")).toBe(true);
    expect(response.status).toBe(200);
    const lowerCaseScheme = await api("/api/v1/rooms/auth-granted", {
      secret: null,
      headers: { Authorization: `bearer ${TEST_API_SECRET}` },
    });
    expect(lowerCaseScheme.status).toBe(200);
  });

  it("serves the OpenAPI document without a secret, and even with the API off", async () => {
    expect((await api("/api/v1/openapi.json", { secret: null })).status).toBe(200);
    expect((await api("/api/v1/openapi.json", { secret: "wrong" })).status).toBe(200);
    expect((await apiWithEnv({ EDGEROOM_API_SECRET: undefined }, "/api/v1/openapi.json")).status).toBe(200);
  });
});
