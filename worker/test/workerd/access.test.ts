import { CloseCode, ErrorCode, readAwarenessUser } from "@edgeroom/shared";
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { connectClosedAfterEach, refusedClose, upgrade } from "../support/connect.ts";
import { TEST_EMBEDDER } from "../support/test-config.ts";
import { signRoomToken } from "../support/tokens.ts";

const connect = connectClosedAfterEach();

describe("origin check", () => {
  it("refuses a socket from a foreign page with 403, before the room", async () => {
    const response = await upgrade("origin-room", { headers: { Origin: "https://evil.example" } });
    expect(response.status).toBe(403);
    expect(response.webSocket).toBeNull();
  });

  it("lets in the app's own origin, an allowed embedder, and clients that send no Origin", async () => {
    for (const origin of ["http://edgeroom.test", TEST_EMBEDDER, undefined]) {
      const headers: Record<string, string> = origin ? { Origin: origin } : {};
      const response = await upgrade("origin-room", { headers });
      expect(response.status, String(origin)).toBe(101);
      response.webSocket?.accept();
      response.webSocket?.close(1000, "done");
    }
  });
});

describe("frame-ancestors", () => {
  it("names the allowed embedders on pages", async () => {
    const response = await SELF.fetch("http://edgeroom.test/r/some-room");
    expect(response.headers.get("Content-Security-Policy")).toBe(`frame-ancestors 'self' ${TEST_EMBEDDER}`);
  });

  it("tells the embed which origins it may talk to", async () => {
    const response = await SELF.fetch("http://edgeroom.test/embed-config.json");
    expect(await response.json()).toEqual({ allowedOrigins: [TEST_EMBEDDER] });
  });
});

describe("room tokens", () => {
  it("accepts a valid token, selects the app subprotocol, and welcomes the token's identity", async () => {
    const token = await signRoomToken({ room: "token-ok", sub: "ada-000001", name: "Ada", scope: "edit" });
    const response = await upgrade("token-ok", { token });
    expect(response.status).toBe(101);
    expect(response.headers.get("Sec-WebSocket-Protocol")).toBe("edgeroom");
    response.webSocket?.accept();
    response.webSocket?.close(1000, "done");
    const client = await connect("token-ok", { token, user: { name: "Mallory", color: "#000000" } });
    await client.until(() => client.app.some((m) => m.type === "welcome"));
    const welcome = client.app.find((m) => m.type === "welcome");
    expect(welcome).toMatchObject({ identity: { id: "ada-000001", name: "Ada", scope: "edit" } });
  });

  it.each([
    ["signed with another secret", { secret: "another-secret-that-is-also-32-characters-long" }, {}],
    ["for another room", {}, { room: "other-room" }],
    ["with a bad scope", {}, { scope: "admin" as "edit" }],
  ])("refuses a token %s with tokenInvalid", async (_label, options, claims) => {
    const token = await signRoomToken({ room: "token-bad", ...claims }, options);
    expect((await refusedClose("token-bad", { token })).code).toBe(CloseCode.tokenInvalid);
  });

  it("refuses a forged token (payload changed after signing) and an unsigned one", async () => {
    const token = await signRoomToken({ room: "token-forged", name: "Ada" });
    const [header, , signature] = token.split(".");
    const payload = btoa(
      JSON.stringify({
        room: "token-forged",
        sub: "boss-000001",
        name: "Boss",
        color: "#000000",
        scope: "edit",
        exp: 4e9,
      }),
    )
      .replace(/=+$/, "")
      .replace(/\+/g, "-")
      .replace(/\//g, "_");
    expect((await refusedClose("token-forged", { token: `${header}.${payload}.${signature}` })).code).toBe(
      CloseCode.tokenInvalid,
    );
    const unsigned = `${btoa('{"alg":"none"}').replace(/=+$/, "")}.${payload}.x`;
    expect((await refusedClose("token-forged", { token: unsigned })).code).toBe(CloseCode.tokenInvalid);
  });

  it("refuses an expired token with tokenExpired and its reason", async () => {
    const token = await signRoomToken(
      { room: "token-old" },
      { expiresAt: Math.floor(Date.now() / 1000) - 60 },
    );
    const close = await refusedClose("token-old", { token });
    expect(close.code).toBe(CloseCode.tokenExpired);
    expect(close.reason).toMatch(/expired/);
  });

  it("ignores an identity header sent by the client itself", async () => {
    const forged = encodeURIComponent(
      JSON.stringify({ id: "boss-000001", name: "Boss", color: "#000000", scope: "edit" }),
    );
    const client = await connect("token-header", {
      headers: { "x-edgeroom-identity": forged },
      user: { name: "Eve", color: "#225588" },
    });
    await client.until(() => client.app.some((m) => m.type === "welcome"));
    expect(client.app.find((m) => m.type === "welcome")).not.toHaveProperty("identity");
  });
});

describe("view tokens", () => {
  it("read everything but cannot change the document or chat", async () => {
    const editor = await connect("view-room", { user: { name: "Ed", color: "#225588" } });
    await editor.type("hello");
    await editor.chat("msg-from-ed-1", "first");
    const token = await signRoomToken({ room: "view-room", sub: "viewer-0001", name: "Vi", scope: "view" });
    const viewer = await connect("view-room", { token });
    expect(viewer.text.toString()).toBe("hello");
    const history = await viewer.history();
    expect(history.messages.map((m) => m.text)).toEqual(["first"]);

    viewer.text.insert(0, "defaced ");
    await viewer.until(() => viewer.app.some((m) => m.type === "doc-reject"));
    expect(viewer.app.find((m) => m.type === "doc-reject")).toMatchObject({ code: ErrorCode.readOnly });
    viewer.sendApp({ type: "chat-send", id: "msg-from-vi-1", text: "spam" });
    await viewer.until(() => viewer.app.some((m) => m.type === "chat-reject"));
    expect(viewer.app.find((m) => m.type === "chat-reject")).toMatchObject({ code: ErrorCode.readOnly });

    // The editor still writes, and nothing the viewer sent reached it or the room.
    await editor.type("!");
    expect(editor.text.toString()).toBe("hello!");
    expect(editor.chatReceived).toEqual([]);
    expect((await editor.history()).messages.map((m) => m.text)).toEqual(["first"]);
  });
});

describe("identity from the token", () => {
  it("overrides the name in hello, chat and presence", async () => {
    const watcher = await connect("spoof-room", { user: { name: "Wat", color: "#225588" } });
    const token = await signRoomToken({
      room: "spoof-room",
      sub: "ada-000001",
      name: "Ada",
      color: "#1971c2",
    });
    const ada = await connect("spoof-room", { token, user: { name: "Mallory", color: "#000000" } });
    await ada.until(() => ada.app.some((m) => m.type === "welcome"));

    ada.setAwareness(777, 1, {
      user: { name: "Mallory", color: "#000000", id: "boss-000001" },
      status: "active",
    });
    await watcher.until(() => watcher.awareness.has(777));
    const seen = readAwarenessUser(JSON.parse(watcher.awareness.get(777)?.stateJson ?? "null"));
    expect(seen).toMatchObject({ name: "Ada", color: "#1971c2", id: "ada-000001" });

    const sent = await ada.chat("msg-from-ada-1", "hi");
    expect(sent.author).toEqual({ name: "Ada", color: "#1971c2" });
    await watcher.until(() => watcher.chatReceived.length === 1);
    expect(watcher.chatReceived[0]?.author.name).toBe("Ada");
  });
});

describe("private rooms", () => {
  it("a private token makes the room refuse tokenless sockets from then on", async () => {
    const before = await connect("private-room", { user: { name: "Early", color: "#225588" } });
    before.socket.close(1000, "done");
    const token = await signRoomToken({ room: "private-room", private: true });
    await connect("private-room", { token });
    const refused = await refusedClose("private-room", { user: { name: "Eve", color: "#225588" } });
    expect(refused.code).toBe(CloseCode.tokenRequired);
    // A later token without the flag still gets in: the room stays private, tokens still open it.
    const plain = await signRoomToken({ room: "private-room", sub: "bo-0000001", name: "Bo" });
    const bo = await connect("private-room", { token: plain });
    expect(bo.text.toString()).toBe("");
  });

  it("a public room stays open to everyone", async () => {
    const token = await signRoomToken({ room: "public-room" });
    await connect("public-room", { token });
    await connect("public-room", { user: { name: "Anyone", color: "#225588" } });
  });
});
