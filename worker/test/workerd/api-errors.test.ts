/**
 * Everything the API refuses, and how: a JSON error with the right status,
 * a message that names what was wrong, and no room object addressed (so
 * nothing anywhere changed).
 */
import { ApiErrorCode, LIMITS } from "@edgeroom/shared";
import { describe, expect, it } from "vitest";
import { api, apiErrorOf, apiWithEnv, roomObjectExists, roomObjectIds } from "../support/api-client.ts";

const bot = { id: "bot-00001", name: "Bot" };
const chatPost = { id: "msg-00000001", author: bot, text: "hello" };

async function expectError(response: Response, status: number, code: ApiErrorCode, message?: RegExp) {
  expect(response.status).toBe(status);
  const error = await apiErrorOf(response);
  expect(error.code).toBe(code);
  if (message) expect(error.message).toMatch(message);
  return error;
}

async function expectUntouched(...rooms: string[]): Promise<void> {
  const ids = await roomObjectIds();
  for (const room of rooms) expect(roomObjectExists(ids, room), room).toBe(false);
}

describe("API paths and methods", () => {
  it("answers unknown paths with a JSON 404", async () => {
    for (const path of [
      "/api/",
      "/api/v1",
      "/api/v1/",
      "/api/v1/nowhere",
      "/api/v2/rooms",
      "/api/v1/rooms/",
      "/api/v1//rooms",
      "/api/v1/rooms/err-404/unknown",
      "/api/v1/rooms/err-404/document/extra",
      "/api/v1/rooms/err-404/",
    ]) {
      await expectError(await api(path), 404, ApiErrorCode.notFound, /openapi\.json/);
    }
    await expectUntouched("err-404");
  });

  it("answers a method a path does not take with 405 and Allow", async () => {
    const cases: Array<[string, string, string]> = [
      ["PUT", "/api/v1/rooms/err-405", "GET, DELETE"],
      ["DELETE", "/api/v1/rooms", "GET"],
      ["POST", "/api/v1/rooms/err-405/people", "GET"],
      ["PATCH", "/api/v1/rooms/err-405/document", "GET, POST"],
      ["GET", "/api/v1/rooms/err-405/events", "POST"],
      ["HEAD", "/api/v1/rooms/err-405/revoke", "POST"],
    ];
    for (const [method, path, allow] of cases) {
      const response = await api(path, { method });
      expect(response.status, `${method} ${path}`).toBe(405);
      expect(response.headers.get("Allow")).toBe(allow);
      if (method !== "HEAD") expect((await apiErrorOf(response)).code).toBe(ApiErrorCode.methodNotAllowed);
    }
    await expectUntouched("err-405");
  });
});

describe("API room names", () => {
  it("refuses a bad room name with 400 before any room is addressed", async () => {
    const names = [
      "bad.name",
      "a".repeat(LIMITS.maxRoomIdLength + 1),
      "..%2f..%2fetc",
      "room%2Fother",
      "caf%C3%A9",
      "room%20x",
      "%00",
      "room%3F",
    ];
    for (const name of names) {
      await expectError(await api(`/api/v1/rooms/${name}`), 400, ApiErrorCode.badRequest, /^room: /);
      await expectError(
        await api(`/api/v1/rooms/${name}/chat`, { method: "POST", json: chatPost }),
        400,
        ApiErrorCode.badRequest,
        /^room: /,
      );
      await expectError(
        await api(`/api/v1/rooms/${name}`, { method: "DELETE" }),
        400,
        ApiErrorCode.badRequest,
      );
    }
    const ids = await roomObjectIds();
    for (const name of names) {
      for (const candidate of [name, decodeURIComponent(name)])
        expect(roomObjectExists(ids, candidate)).toBe(false);
    }
  });

  it("never reads dot segments as a room: the URL resolves them first", async () => {
    for (const path of [
      "/api/v1/rooms/%2e%2e",
      "/api/v1/rooms/%2E%2E/chat",
      "/api/v1/rooms/.%2e",
      "/api/v1/rooms/..",
    ]) {
      await expectError(await api(path), 404, ApiErrorCode.notFound);
    }
    await expectUntouched("..", ".", "%2e%2e");
  });

  it("takes the longest valid name", async () => {
    const response = await api(`/api/v1/rooms/${"a".repeat(LIMITS.maxRoomIdLength)}/chat?limit=1`);
    expect(response.status).toBe(200);
  });
});

describe("API queries", () => {
  it("refuses bad, unknown, repeated and oversized parameters with 400 naming them", async () => {
    const room = "err-query";
    const cases: Array<[string, RegExp]> = [
      [`/api/v1/rooms/${room}/document?format=pdf`, /^format: /],
      [`/api/v1/rooms/${room}/document?format=`, /^format: /],
      [`/api/v1/rooms/${room}/document?formt=yjs`, /^formt: not a parameter/],
      [`/api/v1/rooms/${room}/document?format=text&format=yjs`, /^format: given more than once/],
      [`/api/v1/rooms/${room}/chat?limit=0`, /^limit: /],
      [`/api/v1/rooms/${room}/chat?limit=${LIMITS.apiChatPageMax + 1}`, /^limit: /],
      [`/api/v1/rooms/${room}/chat?limit=abc`, /^limit: must be a whole number/],
      [`/api/v1/rooms/${room}/chat?limit=1.5`, /^limit: /],
      [`/api/v1/rooms/${room}/chat?after=-1`, /^after: /],
      [`/api/v1/rooms/${room}/chat?after=1e3`, /^after: /],
      [`/api/v1/rooms/${room}/chat?after=${"9".repeat(17)}`, /^after: /],
      [`/api/v1/rooms/${room}/chat?after=${"1".repeat(10_000)}`, /^after: /],
      [`/api/v1/rooms/${room}?x=1`, /^x: not a parameter/],
      [`/api/v1/rooms/${room}/people?__proto__=1`, /^__proto__: not a parameter/],
      [`/api/v1/rooms?prefix=${"a".repeat(10_000)}`, /^prefix: /],
      [`/api/v1/rooms?prefix=a/b`, /^prefix: /],
      [`/api/v1/rooms?prefix=..`, /^prefix: /],
      [`/api/v1/rooms?cursor=${"c".repeat(2000)}`, /^cursor: /],
      [`/api/v1/rooms?cursor=`, /^cursor: /],
    ];
    for (const [path, message] of cases) {
      const error = await expectError(await api(path), 400, ApiErrorCode.badRequest, message);
      expect(error.message.length).toBeLessThanOrEqual(300);
    }
    const longName = await expectError(
      await api(`/api/v1/rooms/${room}?${"n".repeat(5000)}=1`),
      400,
      ApiErrorCode.badRequest,
    );
    expect(longName.message.length).toBeLessThan(200);
    await expectUntouched(room);
  });
});

describe("API bodies", () => {
  it("refuses malformed JSON and bodies that fail their schema with 400 naming the field", async () => {
    const room = "err-bodies";
    const post = (path: string, body: BodyInit, type = "application/json") =>
      api(`/api/v1/rooms/${room}/${path}`, { method: "POST", headers: { "Content-Type": type }, body });
    const cases: Array<[string, BodyInit, RegExp]> = [
      ["chat", "{", /^body: must be valid JSON/],
      ["chat", "", /^body: must be valid JSON/],
      ["chat", new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), /^body: must be valid JSON in UTF-8/],
      ["chat", "[]", /^id: /],
      ["chat", "null", /^body: /],
      ["chat", '"text"', /^body: /],
      ["chat", JSON.stringify({ ...chatPost, id: "short" }), /^id: /],
      ["chat", JSON.stringify({ ...chatPost, text: "   " }), /^text: must not be empty/],
      ["chat", JSON.stringify({ ...chatPost, text: "x".repeat(LIMITS.maxChatMessageLength + 1) }), /^text: /],
      ["chat", JSON.stringify({ id: chatPost.id, text: "hi" }), /^author: /],
      ["chat", JSON.stringify({ ...chatPost, author: { id: "bot-00001" } }), /^author\.name: /],
      ["chat", JSON.stringify({ ...chatPost, author: { ...bot, color: "red" } }), /^author\.color: /],
      ["chat", JSON.stringify({ ...chatPost, author: { ...bot, id: "bot/1" } }), /^author\.id: /],
      ["chat", JSON.stringify({ ...chatPost, author: { ...bot, name: "a\u202eb" } }), /^author\.name: /],
      ["document", JSON.stringify({ text: "x" }), /^mode: /],
      ["document", JSON.stringify({ text: 5, mode: "append" }), /^text: /],
      ["document", JSON.stringify({ text: "x", mode: "insert" }), /^mode: /],
      ["events", JSON.stringify({ data: 1 }), /^type: /],
      ["events", JSON.stringify({ type: "-starts-with-dash" }), /^type: /],
      ["events", JSON.stringify({ type: "x".repeat(65) }), /^type: /],
      [
        "events",
        JSON.stringify({ type: "big", data: "x".repeat(LIMITS.maxCustomEventBytes) }),
        /^data: must be at most 4096 bytes/,
      ],
      ["revoke", JSON.stringify({}), /^sub: /],
      ["revoke", JSON.stringify({ sub: "x" }), /^sub: /],
      ["revoke", JSON.stringify({ sub: "person-0001", scope: "edit" }), /^scope: /],
      [
        "chat",
        JSON.stringify({ __proto__: { polluted: true }, constructor: { prototype: { polluted: true } } }),
        /^id: /,
      ],
    ];
    for (const [path, body, message] of cases) {
      await expectError(await post(path, body), 400, ApiErrorCode.badRequest, message);
    }
    await expectError(
      await post("document", new Uint8Array(0), "application/octet-stream"),
      400,
      ApiErrorCode.badRequest,
      /^body: /,
    );
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    await expectUntouched(room);
  });

  it("refuses other content types with 415", async () => {
    const room = "err-media";
    const cases: Array<[string, string | undefined]> = [
      ["chat", "text/plain"],
      ["chat", undefined],
      ["chat", "application/x-www-form-urlencoded"],
      ["chat", "application/jsonx"],
      ["chat", "application/octet-stream"],
      ["events", "multipart/form-data; boundary=x"],
      ["revoke", "text/json"],
      ["document", "text/plain"],
      ["document", "application/yjs"],
    ];
    for (const [path, type] of cases) {
      const headers: Record<string, string> = type ? { "Content-Type": type } : {};
      const response = await api(`/api/v1/rooms/${room}/${path}`, {
        method: "POST",
        headers,
        body: new TextEncoder().encode(JSON.stringify(chatPost)),
      });
      await expectError(
        response,
        415,
        ApiErrorCode.unsupportedMediaType,
        /^Content-Type: must be application\/json/,
      );
    }
    await expectUntouched(room);
  });

  it("refuses a body over the limit with 413, whether declared or streamed, without reading it all", async () => {
    const room = "err-large";
    const big = new Uint8Array(LIMITS.maxApiBodyBytes + 1).fill(0x20);
    for (const [path, type] of [
      ["chat", "application/json"],
      ["events", "application/json"],
      ["revoke", "application/json"],
      ["document", "application/json"],
      ["document", "application/octet-stream"],
    ] as const) {
      const response = await api(`/api/v1/rooms/${room}/${path}`, {
        method: "POST",
        headers: { "Content-Type": type },
        body: big,
      });
      await expectError(response, 413, ApiErrorCode.payloadTooLarge, new RegExp(`${LIMITS.maxApiBodyBytes}`));
    }
    // No Content-Length: the read itself must stop soon after the limit.
    let produced = 0;
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (produced >= 64 * 1024 * 1024) return controller.close();
        produced += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const streamed = await api(`/api/v1/rooms/${room}/document`, {
      method: "POST",
      headers: { "Content-Type": "application/octet-stream" },
      body: endless,
    });
    await expectError(streamed, 413, ApiErrorCode.payloadTooLarge);
    expect(produced).toBeLessThan(LIMITS.maxApiBodyBytes + 4 * 1024 * 1024);
    await expectUntouched(room);
  });

  it("reads a body just under the limit (so the limit is the limit, not less)", async () => {
    const padded = `{"type":"edge"${" ".repeat(LIMITS.maxApiBodyBytes - 20)}}`;
    expect(padded.length).toBeLessThanOrEqual(LIMITS.maxApiBodyBytes);
    const response = await api("/api/v1/rooms/err-limit-edge/events", {
      method: "POST",
      headers: { "Content-Type": "application/json; charset=utf-8" },
      body: padded,
    });
    expect(response.status).toBe(200);
  });
});

describe("API failures", () => {
  it("answers an internal failure with a JSON 500 that tells nothing", async () => {
    const failing = {
      idFromName: () => {
        throw new Error("secret detail from deep inside");
      },
    } as unknown as Env["Room"];
    const response = await apiWithEnv({ Room: failing }, "/api/v1/rooms/err-500");
    const error = await expectError(response, 500, ApiErrorCode.internal);
    expect(error.message).not.toMatch(/secret detail/);
  });
});
