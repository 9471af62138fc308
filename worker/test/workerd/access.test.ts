import { CloseCode, ErrorCode, readAwarenessUser } from "@edgeroom/shared";
import { runDurableObjectAlarm, runInDurableObject, SELF } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Room } from "../../src/durable/room-server.ts";
import { connectClosedAfterEach, refusedClose, upgrade } from "../support/connect.ts";
import { type HeadlessClient, signRoomToken, TEST_EMBEDDER } from "@edgeroom/testkit";

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

  it("answers a refused token with a socket that names the app subprotocol, so a browser keeps it to read the close code", async () => {
    const token = await signRoomToken(
      { room: "token-refused-protocol" },
      { secret: "another-secret-that-is-also-32-characters-long" },
    );
    const response = await upgrade("token-refused-protocol", { token });
    expect(response.status).toBe(101);
    expect(response.headers.get("Sec-WebSocket-Protocol")).toBe("edgeroom");
    const closed = new Promise<number>((resolve) =>
      response.webSocket?.addEventListener("close", (e) => resolve(e.code)),
    );
    response.webSocket?.accept();
    expect(await closed).toBe(CloseCode.tokenInvalid);
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

const roomStub = (room: string) => env.Room.get(env.Room.idFromName(room));

function roomText(room: string): Promise<string> {
  return runInDurableObject(roomStub(room), (instance: Room) =>
    instance.room.document.doc.getText("content").toString(),
  );
}

/** Sends without caring whether the socket is still open: a closed one may throw. */
function trySend(action: () => void): void {
  try {
    action();
  } catch {
    // the socket was already closed on this side
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits (bounded) for a socket's close, or reports that none came. */
function closeWithin(client: HeadlessClient, ms: number): Promise<{ code: number } | "still open"> {
  return Promise.race([client.closed, sleep(ms).then(() => "still open" as const)]);
}

describe("private from the moment it turns private", () => {
  it("closes every tokenless socket with tokenRequired when a private token arrives, and hears nothing more from it", async () => {
    const room = "turns-private";
    const early = await connect(room, { user: { name: "Early", color: "#225588" } });
    await early.type("public start");
    const token = await signRoomToken({ room, sub: "owner-00001", private: true });
    const owner = await connect(room, { token });
    // In the same event that made the room private: no frame of the owner's comes first.
    expect(await closeWithin(early, 2_000)).toMatchObject({ code: CloseCode.tokenRequired });

    // Whatever the old socket still sends is not read: no write, no chat, no presence.
    trySend(() => early.text.insert(early.text.length, " defaced"));
    trySend(() => early.sendApp({ type: "chat-send", id: "msg-from-early-1", text: "still here" }));
    await owner.type(", now private");
    expect(early.text.toString()).not.toContain("now private");
    expect(await roomText(room)).toBe("public start, now private");
    expect((await owner.history()).messages).toEqual([]);
  });

  it("keeps sockets that came with a token, view or edit", async () => {
    const room = "turns-private-tokens";
    const viewerToken = await signRoomToken({ room, sub: "viewer-0001", scope: "view" });
    const viewer = await connect(room, { token: viewerToken });
    const owner = await connect(room, {
      token: await signRoomToken({ room, sub: "owner-00002", private: true }),
    });
    await owner.type("for invited eyes");
    await viewer.until(() => viewer.text.toString() === "for invited eyes");
  });
});

describe("token expiry", () => {
  /** A token whose `exp` (whole seconds) is 1–2 s ahead. */
  async function shortToken(room: string, sub: string): Promise<{ token: string; expMs: number }> {
    const exp = Math.floor(Date.now() / 1000) + 2;
    return { token: await signRoomToken({ room, sub }, { expiresAt: exp }), expMs: exp * 1000 };
  }

  it("the room's alarm is due by the earliest exp and closes the socket with tokenExpired", async () => {
    const room = "token-expires-alarm";
    const { token, expMs } = await shortToken(room, "short-00001");
    const ada = await connect(room, { token });
    await ada.type("before");
    const alarm = await runInDurableObject(roomStub(room), (_i, state) => state.storage.getAlarm());
    expect(alarm).not.toBeNull();
    expect(alarm ?? Infinity).toBeLessThanOrEqual(expMs);
    await sleep(expMs - Date.now() + 50);
    await runDurableObjectAlarm(roomStub(room));
    expect(await closeWithin(ada, 2_000)).toMatchObject({ code: CloseCode.tokenExpired });
  });

  it("refuses every frame from a socket whose token expired, even before the alarm runs", async () => {
    const room = "token-expires-frame";
    const { token, expMs } = await shortToken(room, "short-00002");
    // A later expiry the client claims for itself changes nothing: only the Worker sets it.
    const ada = await connect(room, {
      token,
      headers: { "x-edgeroom-token-expires": String(expMs + 3_600_000) },
    });
    await ada.type("before");
    // Take the alarm away: only the check on each incoming frame is left to notice.
    await runInDurableObject(roomStub(room), (_i, state) => state.storage.deleteAlarm());
    await sleep(expMs - Date.now() + 50);
    trySend(() => ada.text.insert(ada.text.length, " after"));
    trySend(() => ada.sendApp({ type: "chat-send", id: "msg-from-ada-late", text: "late" }));
    expect(await closeWithin(ada, 2_000)).toMatchObject({ code: CloseCode.tokenExpired });
    expect(await roomText(room)).toBe("before");
    const fresh = await connect(room, { token: await signRoomToken({ room, sub: "fresh-00001" }) });
    expect(fresh.text.toString()).toBe("before");
    expect((await fresh.history()).messages).toEqual([]);
  });
});
