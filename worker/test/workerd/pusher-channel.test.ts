/**
 * The channel object's RPC (publish, info, users, terminate, setRoomMembers)
 * as the HTTP API and the bridge call it, seen from real subscribers through
 * the Worker, and its state across a restart of the object.
 */
import { PUSHER_LIMITS, PusherCloseCode } from "@edgeroom/shared/pusher";
import { runInDurableObject } from "cloudflare:test";
import type { PusherChannel } from "../../src/pusher/channel/pusher-channel.ts";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  pusherConnectClosedAfterEach,
  signUser,
  subscribePresence,
  subscribePrivate,
} from "../support/pusher-socket.ts";

const connect = pusherConnectClosedAfterEach();
const channelObject = (name: string) => env.PusherChannel.getByName(name);

describe("publish", () => {
  it("sends each event to every subscriber, less the excluded socket, and counts the sockets reached", async () => {
    const channel = "ch-publish";
    const a = await connect();
    const b = await connect();
    await a.subscribe(channel);
    await b.subscribe(channel);
    const reached = await channelObject(channel).publish([
      { event: "greeting", data: JSON.stringify({ text: "hello" }) },
      { event: "plain", data: "not json", exceptSocketId: a.socketId },
    ]);
    expect(reached).toBe(2);
    expect((await a.event("greeting", channel)).data).toEqual({ text: "hello" });
    expect((await b.event("plain", channel)).data).toBe("not json");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(a.frames.some((f) => f.event === "plain")).toBe(false);
  });

  it("never sends a control event a caller names (edgeroom_internal:)", async () => {
    const channel = "private-ch-control";
    const a = await connect();
    await subscribePrivate(a, channel);
    await channelObject(channel).publish([{ event: "edgeroom_internal:terminate", data: "{}" }]);
    await channelObject(channel).publish([{ event: "after", data: "{}" }]);
    await a.event("after", channel);
    expect(a.closed).toBeUndefined();
  });

  it("reaches nobody on a channel nobody joined", async () => {
    expect(await channelObject("ch-nobody").publish([{ event: "x", data: "{}" }])).toBe(0);
  });
});

describe("info and users", () => {
  it("counts subscriptions and distinct users", async () => {
    const channel = "presence-ch-info";
    const a = await connect();
    const b = await connect();
    const c = await connect();
    await subscribePresence(a, channel, "ada");
    await subscribePresence(b, channel, "bob");
    await subscribePresence(c, channel, "bob");
    expect(await channelObject(channel).info()).toEqual({
      occupied: true,
      subscription_count: 3,
      user_count: 2,
    });
    expect((await channelObject(channel).users()).sort()).toEqual(["ada", "bob"]);
    const pub = await connect();
    await pub.subscribe("ch-info-public");
    expect(await channelObject("ch-info-public").info()).toEqual({ occupied: true, subscription_count: 1 });
  });

  it("tells a vacated channel apart", async () => {
    const channel = "private-ch-vacated";
    const a = await connect();
    await subscribePrivate(a, channel);
    a.send({ event: "pusher:unsubscribe", data: { channel } });
    await expect
      .poll(() => channelObject(channel).info())
      .toEqual({ occupied: false, subscription_count: 0 });
  });
});

describe("terminate", () => {
  it("closes every connection signed in as the user with 4009", async () => {
    const a = await connect();
    const userData = JSON.stringify({ id: "term-user" });
    a.send({
      event: "pusher:signin",
      data: { auth: await signUser(a.socketId, userData), user_data: userData },
    });
    await a.event("pusher:signin_success");
    const reply = await a.subscribe("#server-to-user-term-user");
    expect(reply.event).toBe("pusher_internal:subscription_succeeded");
    expect(await channelObject("#server-to-user-term-user").terminate()).toBe(1);
    expect((await a.waitClosed()).code).toBe(PusherCloseCode.unauthorized);
  });
});

describe("room members (the bridge)", () => {
  it("merges room people with Pusher subscribers and announces the difference once per user", async () => {
    const channel = "presence-ch-room-members";
    const a = await connect();
    await subscribePresence(a, channel, "ada", { name: "Ada" });
    await channelObject(channel).setRoomMembers([
      { user_id: "room-1", user_info: { name: "Rita", color: "#ff0000" } },
      { user_id: "ada", user_info: { name: "Ada in the room" } },
    ]);
    const added = await a.event("pusher_internal:member_added", channel);
    expect(added.data).toEqual({ user_id: "room-1", user_info: { name: "Rita", color: "#ff0000" } });
    expect(await channelObject(channel).info()).toMatchObject({ user_count: 2, subscription_count: 1 });

    const b = await connect();
    const snapshot = await subscribePresence(b, channel, "bob");
    expect(snapshot.data).toMatchObject({ presence: { count: 3 } });

    await channelObject(channel).setRoomMembers([{ user_id: "ada" }]);
    expect((await a.event("pusher_internal:member_removed", channel)).data).toEqual({ user_id: "room-1" });
    // Ada is still subscribed, so her leaving the room removes nobody.
    await channelObject(channel).setRoomMembers([]);
    await channelObject(channel).publish([{ event: "marker", data: "{}" }]);
    await a.event("marker", channel);
    expect(a.frames.filter((f) => f.event === "pusher_internal:member_removed")).toHaveLength(1);
  });

  it("tells subscribers of a room person's new name with member_added again, which pusher-js takes as an update", async () => {
    const channel = "presence-ch-rename";
    const a = await connect();
    await subscribePresence(a, channel, "ada");
    await channelObject(channel).setRoomMembers([{ user_id: "room-1", user_info: { name: "Rita" } }]);
    await a.event("pusher_internal:member_added", channel);
    await channelObject(channel).setRoomMembers([{ user_id: "room-1", user_info: { name: "Rita R." } }]);
    await a.until(() => a.frames.filter((f) => f.event === "pusher_internal:member_added").length === 2);
    expect(a.frames.filter((f) => f.event === "pusher_internal:member_added").at(-1)?.data).toEqual({
      user_id: "room-1",
      user_info: { name: "Rita R." },
    });
    // The same list again changes nothing and says nothing.
    await channelObject(channel).setRoomMembers([{ user_id: "room-1", user_info: { name: "Rita R." } }]);
    await channelObject(channel).publish([{ event: "marker", data: "{}" }]);
    await a.event("marker", channel);
    expect(a.frames.filter((f) => f.event === "pusher_internal:member_added")).toHaveLength(2);
    expect(await channelObject(channel).info()).toMatchObject({ user_count: 2 });
  });

  it("refuses the 101st user on a presence channel, but not another socket of a member", async () => {
    const channel = "presence-ch-full";
    const members = Array.from({ length: PUSHER_LIMITS.maxPresenceMembers - 1 }, (_, i) => ({
      user_id: `room-${i}`,
    }));
    await channelObject(channel).setRoomMembers(members);
    const a = await connect();
    expect((await subscribePresence(a, channel, "last")).event).toBe(
      "pusher_internal:subscription_succeeded",
    );
    const b = await connect();
    const refused = await subscribePresence(b, channel, "one-too-many");
    expect(refused.event).toBe("pusher:subscription_error");
    expect(refused.data).toMatchObject({ status: 403 });
    const c = await connect();
    expect((await subscribePresence(c, channel, "last")).event).toBe(
      "pusher_internal:subscription_succeeded",
    );
  });
});

describe("hibernation", () => {
  it("a fresh instance (as after a wake) knows its name, subscribers, users and room people from storage alone", async () => {
    const channel = "presence-ch-wake";
    const a = await connect();
    const b = await connect();
    await subscribePresence(a, channel, "ada", { name: "Ada" });
    await subscribePresence(b, channel, "bob");
    await channelObject(channel).setRoomMembers([{ user_id: "room-1", user_info: { name: "Rita" } }]);
    await runInDurableObject(channelObject(channel), async (instance: PusherChannel, state) => {
      const woken = new (instance.constructor as typeof PusherChannel)(state, env);
      expect(await woken.info()).toEqual({ occupied: true, subscription_count: 2, user_count: 3 });
      expect((await woken.users()).sort()).toEqual(["ada", "bob", "room-1"]);
      expect(await woken.publish([{ event: "after-wake", data: "{}" }])).toBe(2);
    });
    await a.event("after-wake", channel);
    await b.event("after-wake", channel);
  });
});
