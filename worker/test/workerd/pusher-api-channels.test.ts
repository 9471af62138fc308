/**
 * The Pusher HTTP API acting on real channels inside workerd: raw Pusher
 * sockets through the Worker (support/pusher-socket.ts) subscribe, and
 * signed API calls publish to them, query them and terminate them; the
 * directory follows subscriptions through the channel objects' hooks.
 */
import { PUSHER_HTTP_LIMITS } from "@edgeroom/shared/pusher";
import { describe, expect, it } from "vitest";
import { pusherApi, type PusherCall } from "../support/pusher-api.ts";
import {
  pusherConnectClosedAfterEach,
  type PusherTestSocket,
  subscribePresence,
  subscribePrivate,
  signUser,
} from "../support/pusher-socket.ts";

const connect = pusherConnectClosedAfterEach();
let channels = 0;
const fresh = (prefix: string) => `${prefix}-${Date.now()}-${channels++}`;

async function ok(call: PusherCall): Promise<unknown> {
  const response = await pusherApi(call);
  const text = await response.text();
  expect(response.status, text).toBe(200);
  expect(response.headers.get("Content-Type")).toBe("application/json");
  return JSON.parse(text) as unknown;
}

/** Events named `event` that reached `socket` on `channel`, their data parsed. */
const received = (socket: PusherTestSocket, event: string, channel: string) =>
  socket.frames
    .filter((frame) => frame.event === event && frame.channel === channel)
    .map((frame) => frame.data);

describe("Pusher HTTP API on live channels", () => {
  it("publishes to every subscriber of each channel, less the socket named by socket_id", async () => {
    const news = fresh("news");
    const other = fresh("other");
    const [ada, bob] = await Promise.all([connect(), connect()]);
    await ada.subscribe(news);
    await bob.subscribe(news);
    await bob.subscribe(other);

    expect(
      await ok({ path: "/events", json: { name: "update", data: '{"n":1}', channels: [news, other] } }),
    ).toEqual({});
    await ok({
      path: "/events",
      json: { name: "update", data: "two", channel: news, socket_id: ada.socketId },
    });
    await ok({ path: "/events", json: { name: "update", data: '{"n":3}', channel: news } });
    await ada.until(() => received(ada, "update", news).length === 2);
    await bob.until(() => received(bob, "update", news).length === 3);
    expect(received(ada, "update", news)).toEqual([{ n: 1 }, { n: 3 }]);
    expect(received(bob, "update", news)).toEqual([{ n: 1 }, "two", { n: 3 }]);
    expect(received(bob, "update", other)).toEqual([{ n: 1 }]);
  });

  it("takes data of exactly 10 KB, and a batch in order per channel, with info where asked", async () => {
    const one = fresh("batch-one");
    const two = fresh("batch-two");
    const ada = await connect();
    await ada.subscribe(one);
    await ada.subscribe(two);
    const full = "x".repeat(PUSHER_HTTP_LIMITS.maxEventDataBytes);
    expect(await ok({ path: "/events", json: { name: "full", data: full, channel: one } })).toEqual({});
    const answer = await ok({
      path: "/batch_events",
      json: {
        batch: [
          { name: "step", data: "1", channel: one },
          { name: "step", data: "2", channel: two },
          { name: "step", data: "3", channel: one, info: "subscription_count" },
        ],
      },
    });
    expect(answer).toEqual({ batch: [{}, {}, { subscription_count: 1 }] });
    await ada.until(() => received(ada, "step", one).length === 2 && received(ada, "step", two).length === 1);
    expect(received(ada, "full", one)).toEqual([full]);
    expect(received(ada, "step", one)).toEqual([1, 3]);
  });

  it("answers a channel's counts and a presence channel's users, and trigger's info", async () => {
    const presence = `presence-${fresh("counts")}`;
    const [ada, adaAgain, bob] = await Promise.all([connect(), connect(), connect()]);
    await subscribePresence(ada, presence, "ada");
    await subscribePresence(adaAgain, presence, "ada");
    await subscribePresence(bob, presence, "bob");
    const info = { info: "subscription_count,user_count" };
    expect(await ok({ path: `/channels/${presence}`, params: info })).toEqual({
      occupied: true,
      subscription_count: 3,
      user_count: 2,
    });
    expect(await ok({ path: `/channels/${presence}` })).toEqual({ occupied: true });
    const users = (await ok({ path: `/channels/${presence}/users` })) as { users: Array<{ id: string }> };
    expect(users.users.map((user) => user.id).sort()).toEqual(["ada", "bob"]);
    expect(
      await ok({
        path: "/events",
        json: { name: "e", data: "d", channel: presence, info: "user_count,subscription_count" },
      }),
    ).toEqual({ channels: { [presence]: { user_count: 2, subscription_count: 3 } } });
    const empty = fresh("nobody");
    expect(await ok({ path: `/channels/${empty}`, params: { info: "subscription_count" } })).toEqual({
      occupied: false,
      subscription_count: 0,
    });
  });

  it("lists channels while occupied, with user_count under a presence- prefix", async () => {
    const stem = fresh("listed");
    const presence = `presence-${stem}`;
    const privateName = `private-${stem}`;
    const ada = await connect();
    await subscribePresence(ada, presence, "ada");
    await subscribePrivate(ada, privateName);
    const list = (params: Record<string, string>) => ok({ path: "/channels", params });
    await expect.poll(() => list({ filter_by_prefix: presence })).toEqual({ channels: { [presence]: {} } });
    expect(await list({ filter_by_prefix: presence, info: "user_count" })).toEqual({
      channels: { [presence]: { user_count: 1 } },
    });
    await expect
      .poll(() => list({ filter_by_prefix: privateName }))
      .toEqual({ channels: { [privateName]: {} } });
    ada.close();
    await expect.poll(() => list({ filter_by_prefix: presence })).toEqual({ channels: {} });
    await expect.poll(() => list({ filter_by_prefix: privateName })).toEqual({ channels: {} });
  });

  it("sends to a signed-in user and terminates their connections with 4009, no one else's", async () => {
    const user = fresh("user");
    const [ada, adaAgain, bystander] = await Promise.all([connect(), connect(), connect()]);
    for (const [socket, id] of [
      [ada, user],
      [adaAgain, user],
      [bystander, `${user}-other`],
    ] as const) {
      const userData = JSON.stringify({ id });
      socket.send({
        event: "pusher:signin",
        data: { auth: await signUser(socket.socketId, userData), user_data: userData },
      });
      await socket.event("pusher:signin_success");
      // As pusher-js does once signed in: the user's own channel, where sendToUser and terminate reach it.
      const joined = await socket.subscribe(`#server-to-user-${id}`);
      expect(joined.event).toBe("pusher_internal:subscription_succeeded");
    }
    await ok({ path: "/events", json: { name: "note", data: '"hi"', channel: `#server-to-user-${user}` } });
    await ada.event("note", `#server-to-user-${user}`);
    await adaAgain.event("note", `#server-to-user-${user}`);

    expect(await ok({ path: `/users/${user}/terminate_connections`, json: {} })).toEqual({});
    expect((await ada.waitClosed()).code).toBe(4009);
    expect((await adaAgain.waitClosed()).code).toBe(4009);
    expect(bystander.closed).toBeUndefined();
  });
});
