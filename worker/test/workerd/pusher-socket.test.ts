/**
 * The Pusher socket at `/app/<key>`, through the Worker inside workerd: the
 * handshake and its refusals, ping, subscriptions of every kind, client
 * events, sign-in, and what an attacker might try on each.
 */
import { PUSHER_LIMITS, PusherCloseCode, PusherErrorCode } from "@edgeroom/shared/pusher";
import { TEST_PUSHER_APP } from "@edgeroom/testkit";
import { describe, expect, it } from "vitest";
import {
  pusherConnectClosedAfterEach,
  PusherTestSocket,
  pusherUpgrade,
  signChannel,
  signUser,
  subscribePresence,
  subscribePrivate,
} from "../support/pusher-socket.ts";

const connect = pusherConnectClosedAfterEach();

describe("handshake", () => {
  it("sends connection_established with a <digits>.<digits> socket id and the activity timeout", async () => {
    const socket = await connect();
    const established = socket.frames[0];
    expect(established?.event).toBe("pusher:connection_established");
    expect(socket.socketId).toMatch(/^\d+\.\d+$/);
    expect(established?.data).toMatchObject({ activity_timeout: PUSHER_LIMITS.activityTimeoutSeconds });
    const other = await connect();
    expect(other.socketId).not.toBe(socket.socketId);
  });

  it("answers pusher:ping with pusher:pong", async () => {
    const socket = await connect();
    socket.send({ event: "pusher:ping", data: {} });
    await socket.event("pusher:pong");
  });

  it.each([
    ["an unknown key", "/app/not-the-key?protocol=7", PusherCloseCode.appDoesNotExist],
    ["no protocol", `/app/${TEST_PUSHER_APP.key}`, PusherCloseCode.noProtocolVersion],
    ["protocol 6", `/app/${TEST_PUSHER_APP.key}?protocol=6`, PusherCloseCode.unsupportedProtocolVersion],
  ])("refuses %s with pusher:error and a close with the same code", async (_label, path, code) => {
    const response = await pusherUpgrade(path);
    expect(response.status).toBe(101);
    const socket = new PusherTestSocket(response.webSocket as WebSocket);
    const error = await socket.event("pusher:error");
    expect(error.data).toMatchObject({ code });
    expect((await socket.waitClosed()).code).toBe(code);
  });

  it("refuses a foreign page's Origin with 403 before upgrading", async () => {
    const response = await pusherUpgrade(undefined, { headers: { Origin: "https://evil.example" } });
    expect(response.status).toBe(403);
    expect(response.webSocket).toBeNull();
  });

  it("lets in the app's own origin and clients without an Origin", async () => {
    const response = await pusherUpgrade(undefined, { headers: { Origin: "http://edgeroom.test" } });
    expect(response.status).toBe(101);
    response.webSocket?.accept();
    response.webSocket?.close(1000, "done");
  });

  it("answers other methods, plain GETs and deeper paths without a socket", async () => {
    expect((await SELFfetch(`/app/${TEST_PUSHER_APP.key}?protocol=7`, { method: "POST" })).status).toBe(405);
    expect((await SELFfetch(`/app/${TEST_PUSHER_APP.key}?protocol=7`)).status).toBe(426);
    expect((await pusherUpgrade(`/app/${TEST_PUSHER_APP.key}/more?protocol=7`)).status).toBe(404);
  });
});

async function SELFfetch(path: string, init: RequestInit = {}): Promise<Response> {
  const { SELF } = await import("cloudflare:test");
  return SELF.fetch(`http://edgeroom.test${path}`, init);
}

describe("public channels", () => {
  it("subscribes, and unsubscribing stops events", async () => {
    const socket = await connect();
    const ok = await socket.subscribe("ws-pub-basic");
    expect(ok.event).toBe("pusher_internal:subscription_succeeded");
  });
});

describe("private channels", () => {
  it("subscribes with a valid signature", async () => {
    const socket = await connect();
    expect((await subscribePrivate(socket, "private-ws-ok")).event).toBe(
      "pusher_internal:subscription_succeeded",
    );
  });

  it.each([
    ["no auth", async () => undefined],
    ["a signature for another socket id", async () => signChannel("123.456", "private-ws-bad")],
    ["a signature for another channel", async (id: string) => signChannel(id, "private-ws-other")],
    [
      "a signature with another secret",
      async (id: string) => signChannel(id, "private-ws-bad", undefined, "not-the-secret"),
    ],
    [
      "another key",
      async (id: string) => `other-key:${(await signChannel(id, "private-ws-bad")).split(":")[1]}`,
    ],
  ])("refuses %s with pusher:subscription_error", async (_label, sign) => {
    const socket = await connect();
    const auth = await sign(socket.socketId);
    const reply = await socket.subscribe("private-ws-bad", auth === undefined ? {} : { auth });
    expect(reply.event).toBe("pusher:subscription_error");
    expect(reply.data).toMatchObject({ type: "AuthError", status: 401 });
  });
});

describe("presence channels", () => {
  it("sends the member hash, member_added and member_removed once per user", async () => {
    const channel = "presence-ws-members";
    const ada = await connect();
    const first = await subscribePresence(ada, channel, "ada", { name: "Ada" });
    expect(first.data).toEqual({ presence: { ids: ["ada"], hash: { ada: { name: "Ada" } }, count: 1 } });
    const bob = await connect();
    const second = await subscribePresence(bob, channel, "bob", { name: "Bob" });
    expect(second.data).toEqual({
      presence: { ids: ["ada", "bob"], hash: { ada: { name: "Ada" }, bob: { name: "Bob" } }, count: 2 },
    });
    const added = await ada.event("pusher_internal:member_added", channel);
    expect(added.data).toEqual({ user_id: "bob", user_info: { name: "Bob" } });

    // Bob's second tab: no new member.
    const bobAgain = await connect();
    const third = await subscribePresence(bobAgain, channel, "bob", { name: "Bob" });
    expect((third.data as { presence: { count: number } }).presence.count).toBe(2);
    bobAgain.close();
    bob.close();
    const removed = await ada.event("pusher_internal:member_removed", channel);
    expect(removed.data).toEqual({ user_id: "bob" });
    expect(ada.frames.filter((f) => f.event === "pusher_internal:member_added")).toHaveLength(1);
    expect(ada.frames.filter((f) => f.event === "pusher_internal:member_removed")).toHaveLength(1);
  });
});

describe("client events", () => {
  it("relays a client event to the others on a private channel, not to the sender", async () => {
    const channel = "private-ws-client";
    const a = await connect();
    const b = await connect();
    await subscribePrivate(a, channel);
    await subscribePrivate(b, channel);
    a.send({ event: "client-hello", channel, data: { text: "hi" } });
    const got = await b.event("client-hello", channel);
    expect(got.data).toEqual({ text: "hi" });
    expect(got.user_id).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(a.frames.some((f) => f.event === "client-hello")).toBe(false);
  });

  it("adds the sender's user_id on presence channels", async () => {
    const channel = "presence-ws-client";
    const a = await connect();
    const b = await connect();
    await subscribePresence(a, channel, "ada");
    await subscribePresence(b, channel, "bob");
    a.send({ event: "client-typing", channel, data: {} });
    expect((await b.event("client-typing", channel)).user_id).toBe("ada");
  });

  it("drops client events over the rate limit with pusher:error 4301", async () => {
    const channel = "private-ws-rate";
    const a = await connect();
    const b = await connect();
    await subscribePrivate(a, channel);
    await subscribePrivate(b, channel);
    for (let i = 0; i < 30; i++) a.send({ event: "client-burst", channel, data: { i } });
    const error = await a.event("pusher:error");
    expect(error.data).toMatchObject({ code: PusherErrorCode.clientEventRateLimit });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const relayed = b.frames.filter((f) => f.event === "client-burst").length;
    expect(relayed).toBeGreaterThanOrEqual(PUSHER_LIMITS.clientEventsPerSecond);
    expect(relayed).toBeLessThan(30);
  });
});

describe("sign-in and the user's own channel", () => {
  async function signIn(socket: PusherTestSocket, id: string): Promise<void> {
    const userData = JSON.stringify({ id, user_info: { name: id } });
    socket.send({
      event: "pusher:signin",
      data: { auth: await signUser(socket.socketId, userData), user_data: userData },
    });
    const success = await socket.event("pusher:signin_success");
    expect(success.data).toEqual({ user_data: userData });
  }

  it("signs in and subscribes to #server-to-user-<own id>", async () => {
    const socket = await connect();
    await signIn(socket, "signin-ada");
    expect((await socket.subscribe("#server-to-user-signin-ada")).event).toBe(
      "pusher_internal:subscription_succeeded",
    );
  });

  it("refuses #server-to-user-<someone else>, signed in or not", async () => {
    const stranger = await connect();
    expect((await stranger.subscribe("#server-to-user-victim")).event).toBe("pusher:subscription_error");
    await signIn(stranger, "mallory");
    const reply = await stranger.subscribe("#server-to-user-victim");
    expect(reply.event).toBe("pusher:subscription_error");
    expect(reply.data).toMatchObject({ status: 403 });
  });

  it("refuses a sign-in signed for another socket, or with user data that has no id", async () => {
    const socket = await connect();
    const userData = JSON.stringify({ id: "signin-bob" });
    socket.send({
      event: "pusher:signin",
      data: { auth: await signUser("1.2", userData), user_data: userData },
    });
    expect((await socket.event("pusher:error")).data).toMatchObject({
      message: expect.stringMatching(/Invalid signature/),
    });
    const noId = JSON.stringify({ name: "nobody" });
    const from = socket.frames.length;
    socket.send({
      event: "pusher:signin",
      data: { auth: await signUser(socket.socketId, noId), user_data: noId },
    });
    expect((await socket.next((f) => f.event === "pusher:error", from)).data).toMatchObject({
      message: expect.stringMatching(/user_data\.id/),
    });
    expect(socket.frames.some((f) => f.event === "pusher:signin_success")).toBe(false);
    expect((await socket.subscribe("#server-to-user-signin-bob")).event).toBe("pusher:subscription_error");
  });
});
