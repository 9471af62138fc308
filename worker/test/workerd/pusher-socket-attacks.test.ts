/**
 * What a hostile Pusher client might send, through the Worker inside workerd:
 * forged or borrowed signatures, a spoofed presence user, reserved events,
 * client events where none are allowed, oversized and malformed frames, too
 * many channels. Each gets a clear error and changes nothing.
 */
import { PUSHER_LIMITS } from "@edgeroom/shared/pusher";
import { TEST_PUSHER_APP } from "@edgeroom/testkit";
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { PusherCloseCode } from "@edgeroom/shared/pusher";
import { routePusherSocket } from "../../src/pusher/connection/pusher-socket-route.ts";
import {
  pusherConnectClosedAfterEach,
  type PusherTestSocket,
  signChannel,
  subscribePresence,
  subscribePrivate,
} from "../support/pusher-socket.ts";

const connect = pusherConnectClosedAfterEach();
const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

async function lastError(
  socket: PusherTestSocket,
  from: number,
): Promise<{ message: string; code: number | null }> {
  return (await socket.next((f) => f.event === "pusher:error", from)).data as {
    message: string;
    code: number | null;
  };
}

describe("presence spoofing", () => {
  it("refuses channel_data changed after signing (another user_id)", async () => {
    const channel = "presence-atk-spoof";
    const socket = await connect();
    const signedData = JSON.stringify({ user_id: "mallory" });
    const auth = await signChannel(socket.socketId, channel, signedData);
    const reply = await socket.subscribe(channel, { auth, channelData: JSON.stringify({ user_id: "ceo" }) });
    expect(reply.event).toBe("pusher:subscription_error");
    expect(await env.PusherChannel.getByName(channel).users()).toEqual([]);
  });

  it("refuses a presence subscription signed without its channel_data, as a private one would be", async () => {
    const channel = "presence-atk-nodata";
    const socket = await connect();
    const reply = await socket.subscribe(channel, { auth: await signChannel(socket.socketId, channel) });
    expect(reply.event).toBe("pusher:subscription_error");
  });

  it("refuses channel_data that is signed but not member data", async () => {
    const channel = "presence-atk-baddata";
    const socket = await connect();
    const channelData = JSON.stringify({ user_info: { name: "no id" } });
    const reply = await socket.subscribe(channel, {
      auth: await signChannel(socket.socketId, channel, channelData),
      channelData,
    });
    expect(reply).toMatchObject({ event: "pusher:subscription_error", data: { status: 400 } });
  });

  it("relays a client event with the subscriber's own user_id, whatever the frame claims", async () => {
    const channel = "presence-atk-claim";
    const a = await connect();
    const b = await connect();
    await subscribePresence(a, channel, "mallory");
    await subscribePresence(b, channel, "bob");
    a.send({ event: "client-x", channel, data: {}, user_id: "bob" });
    expect((await b.event("client-x", channel)).user_id).toBe("mallory");
  });
});

describe("reserved and misplaced events", () => {
  it.each([
    "pusher_internal:member_added",
    "edgeroom_internal:terminate",
    "pusher:subscription_succeeded",
    "server-event",
  ])("never forwards %s from a client to a channel", async (event) => {
    const channel = "private-atk-reserved";
    const a = await connect();
    const b = await connect();
    await subscribePrivate(a, channel);
    await subscribePrivate(b, channel);
    const from = a.frames.length;
    a.send({ event, channel, data: JSON.stringify({ user_id: "ghost" }) });
    expect((await lastError(a, from)).message).toMatch(/Unknown event|client- events/);
    await settle();
    expect(b.frames.some((f) => f.event === event)).toBe(false);
    expect(b.closed).toBeUndefined();
  });

  it("refuses client events on public channels", async () => {
    const channel = "atk-public";
    const a = await connect();
    const b = await connect();
    await a.subscribe(channel);
    await b.subscribe(channel);
    a.send({ event: "client-x", channel, data: {} });
    expect((await lastError(a, 0)).message).toMatch(/only on private and presence/);
    await settle();
    expect(b.frames.some((f) => f.event === "client-x")).toBe(false);
  });

  it("refuses client events on a channel the connection is not subscribed to", async () => {
    const channel = "private-atk-notsub";
    const a = await connect();
    const b = await connect();
    await subscribePrivate(b, channel);
    a.send({ event: "client-x", channel, data: {} });
    expect((await lastError(a, 0)).message).toMatch(/not subscribed/);
    await settle();
    expect(b.frames.some((f) => f.event === "client-x")).toBe(false);
  });

  it("stops relaying after unsubscribe, both ways", async () => {
    const channel = "private-atk-unsub";
    const a = await connect();
    const b = await connect();
    await subscribePrivate(a, channel);
    await subscribePrivate(b, channel);
    a.send({ event: "pusher:unsubscribe", data: { channel } });
    await expect
      .poll(async () => (await env.PusherChannel.getByName(channel).info()).subscription_count)
      .toBe(1);
    b.send({ event: "client-after", channel, data: {} });
    a.send({ event: "client-from-a", channel, data: {} });
    expect((await lastError(a, 0)).message).toMatch(/not subscribed/);
    await settle();
    expect(a.frames.some((f) => f.event === "client-after")).toBe(false);
    expect(b.frames.some((f) => f.event === "client-from-a")).toBe(false);
  });
});

describe("malformed and oversized frames", () => {
  it.each([
    ["unparsable", "{not json", /not JSON/],
    ["binary", new Uint8Array([1, 2, 3]), /Binary/],
    [
      "oversized",
      JSON.stringify({ event: "pusher:ping", data: { pad: "x".repeat(PUSHER_LIMITS.maxMessageBytes) } }),
      /too large/,
    ],
  ])("answers a %s frame with pusher:error and stays open", async (_label, payload, reason) => {
    const socket = await connect();
    socket.socket.send(payload);
    expect((await lastError(socket, 0)).message).toMatch(reason);
    socket.send({ event: "pusher:ping", data: {} });
    await socket.event("pusher:pong");
    expect(socket.closed).toBeUndefined();
  });

  it("drops a client event whose data makes the frame over 10 KB", async () => {
    const channel = "private-atk-big";
    const a = await connect();
    const b = await connect();
    await subscribePrivate(a, channel);
    await subscribePrivate(b, channel);
    a.send({ event: "client-big", channel, data: "x".repeat(PUSHER_LIMITS.maxMessageBytes) });
    expect((await lastError(a, 0)).message).toMatch(/too large/);
    await settle();
    expect(b.frames.some((f) => f.event === "client-big")).toBe(false);
  });

  it.each([
    ["#server-to-everyone", 400],
    ["private-encrypted-x", 400],
    ["bad name", 400],
  ])("refuses a subscription to %s", async (channel, status) => {
    const socket = await connect();
    expect(
      await socket.subscribe(channel, { auth: await signChannel(socket.socketId, channel) }),
    ).toMatchObject({
      event: "pusher:subscription_error",
      data: { status },
    });
  });
});

describe("bounds", () => {
  it(`refuses subscriptions past ${PUSHER_LIMITS.maxChannelsPerConnection} channels, even sent all at once`, async () => {
    const socket = await connect();
    const extra = 5;
    for (let i = 0; i < PUSHER_LIMITS.maxChannelsPerConnection + extra; i++) {
      socket.send({ event: "pusher:subscribe", data: { channel: `atk-many-${i}` } });
    }
    const count = (event: string) => socket.frames.filter((f) => f.event === event).length;
    await socket.until(
      () =>
        count("pusher_internal:subscription_succeeded") + count("pusher:subscription_error") ===
        PUSHER_LIMITS.maxChannelsPerConnection + extra,
      20_000,
    );
    expect(count("pusher_internal:subscription_succeeded")).toBe(PUSHER_LIMITS.maxChannelsPerConnection);
    expect(socket.frames.filter((f) => f.event === "pusher:subscription_error")).toEqual(
      Array.from({ length: extra }, () =>
        expect.objectContaining({ data: expect.objectContaining({ status: 403 }) }),
      ),
    );
  }, 30_000);
});

describe("connection and channel lifetimes", () => {
  it("removes a member when its connection closes", async () => {
    const channel = "presence-atk-gone";
    const a = await connect();
    const b = await connect();
    await subscribePresence(a, channel, "ada");
    await subscribePresence(b, channel, "bob");
    b.close();
    expect((await a.event("pusher_internal:member_removed", channel)).data).toEqual({ user_id: "bob" });
    expect(await env.PusherChannel.getByName(channel).info()).toEqual({
      occupied: true,
      subscription_count: 1,
      user_count: 1,
    });
  });

  it("closes the client with 4200 when a channel link breaks, so pusher-js reconnects", async () => {
    const channel = "private-atk-broken";
    const a = await connect();
    await subscribePrivate(a, channel);
    await runInDurableObject(env.PusherChannel.getByName(channel), (_instance, state) => {
      for (const socket of state.getWebSockets()) socket.close(1011, "gone");
    });
    expect((await a.waitClosed()).code).toBe(PusherCloseCode.reconnect);
  });

  it("answers 404 when no Pusher app is configured", async () => {
    const off = { ...env, PUSHER_APP_KEY: "" } as Env;
    const request = new Request(`http://edgeroom.test/app/${TEST_PUSHER_APP.key}?protocol=7`, {
      headers: { Upgrade: "websocket" },
    });
    expect(routePusherSocket(request, off, new URL(request.url)).status).toBe(404);
  });
});
