/** The Pusher protocol's parsers and rules in shared/src/pusher: every client frame, channel names, member data. */
import {
  allowsClientEvents,
  classifyChannel,
  parseChannelData,
  parseClientFrame,
  parseUserData,
  PUSHER_LIMITS,
  readClientEvent,
  readPresenceMembers,
  readSubscriber,
} from "@edgeroom/shared/pusher";
import { describe, expect, it } from "vitest";
import { TokenBucket } from "../../src/pusher/connection/rate-limit.ts";
import { readChannelFrame } from "../../src/pusher/connection/channel-frames.ts";

const frame = (value: unknown) => parseClientFrame(JSON.stringify(value));

describe("client frames", () => {
  it("reads ping, pong, subscribe, unsubscribe, signin and client events", () => {
    expect(frame({ event: "pusher:ping", data: {} })).toEqual({ ok: true, frame: { type: "ping" } });
    expect(frame({ event: "pusher:pong" })).toEqual({ ok: true, frame: { type: "pong" } });
    expect(
      frame({ event: "pusher:subscribe", data: { channel: "c", auth: "k:s", channel_data: "{}" } }),
    ).toEqual({
      ok: true,
      frame: { type: "subscribe", channel: "c", auth: "k:s", channelData: "{}" },
    });
    expect(frame({ event: "pusher:unsubscribe", data: { channel: "c" } })).toEqual({
      ok: true,
      frame: { type: "unsubscribe", channel: "c" },
    });
    expect(frame({ event: "pusher:signin", data: { auth: "k:s", user_data: '{"id":"1"}' } })).toEqual({
      ok: true,
      frame: { type: "signin", auth: "k:s", userData: '{"id":"1"}' },
    });
    expect(frame({ event: "client-x", channel: "private-c", data: { a: 1 } })).toEqual({
      ok: true,
      frame: { type: "client-event", event: "client-x", channel: "private-c", data: { a: 1 } },
    });
  });

  it("reads data sent as a JSON string, as some clients do", () => {
    expect(frame({ event: "pusher:subscribe", data: JSON.stringify({ channel: "c" }) })).toMatchObject({
      ok: true,
      frame: { type: "subscribe", channel: "c" },
    });
  });

  it.each([
    ["not JSON", "{nope", /not JSON/],
    ["no event", JSON.stringify({ data: {} }), /event/],
    ["a subscribe without a channel", JSON.stringify({ event: "pusher:subscribe", data: {} }), /channel/],
    [
      "a subscribe with a numeric auth",
      JSON.stringify({ event: "pusher:subscribe", data: { channel: "c", auth: 1 } }),
      /auth/,
    ],
    [
      "a signin without user_data",
      JSON.stringify({ event: "pusher:signin", data: { auth: "x" } }),
      /user_data/,
    ],
    [
      "a pusher_internal: event",
      JSON.stringify({ event: "pusher_internal:member_added", channel: "c" }),
      /Unknown event/,
    ],
    [
      "an edgeroom_internal: event",
      JSON.stringify({ event: "edgeroom_internal:terminate", channel: "c" }),
      /Unknown event/,
    ],
    [
      "another pusher: event",
      JSON.stringify({ event: "pusher:subscription_succeeded", channel: "c" }),
      /Unknown event/,
    ],
    ["a plain event", JSON.stringify({ event: "my-event", channel: "c" }), /client- events/],
    ["a client event without a channel", JSON.stringify({ event: "client-x", data: {} }), /channel/],
    [
      "a client event with a long name",
      JSON.stringify({ event: `client-${"x".repeat(200)}`, channel: "c" }),
      /200/,
    ],
  ])("refuses %s with a reason", (_label, text, reason) => {
    const parsed = parseClientFrame(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(reason);
  });
});

describe("channel names", () => {
  it.each([
    ["my-channel", "public"],
    ["private-room", "private"],
    ["presence-room", "presence"],
    ["a_b-c=d@e,f.g;h", "public"],
  ])("%s is %s", (name, kind) => {
    expect(classifyChannel(name)).toEqual({ ok: true, kind });
  });

  it("reads the user of #server-to-user-<id>", () => {
    expect(classifyChannel("#server-to-user-42")).toEqual({ ok: true, kind: "server-to-user", userId: "42" });
  });

  it.each([
    ["empty", ""],
    ["too long", "x".repeat(PUSHER_LIMITS.maxChannelNameLength + 1)],
    ["with a space", "a b"],
    ["with a slash", "a/b"],
    ["another # name", "#server-to-everyone"],
    ["an empty user channel", "#server-to-user-"],
    ["encrypted", "private-encrypted-secret"],
  ])("refuses a name %s", (_label, name) => {
    expect(classifyChannel(name).ok).toBe(false);
  });

  it("says encrypted channels are not supported", () => {
    expect(classifyChannel("private-encrypted-x")).toMatchObject({
      message: expect.stringMatching(/not supported/),
    });
  });

  it("allows client events only on private and presence channels", () => {
    expect(allowsClientEvents("private")).toBe(true);
    expect(allowsClientEvents("presence")).toBe(true);
    expect(allowsClientEvents("public")).toBe(false);
    expect(allowsClientEvents("server-to-user")).toBe(false);
  });

  it("accepts names up to the limit", () => {
    expect(classifyChannel("x".repeat(PUSHER_LIMITS.maxChannelNameLength)).ok).toBe(true);
  });
});

describe("member data", () => {
  it("reads channel_data, turning a numeric user_id into a string", () => {
    expect(parseChannelData('{"user_id":7,"user_info":{"name":"Ada"}}')).toEqual({
      ok: true,
      value: { user_id: "7", user_info: { name: "Ada" } },
    });
  });

  it.each([
    ["not JSON", "nope"],
    ["without user_id", '{"user_info":{}}'],
    ["with an empty user_id", '{"user_id":""}'],
    ["with an object user_id", '{"user_id":{}}'],
    ["with a long user_id", JSON.stringify({ user_id: "x".repeat(PUSHER_LIMITS.maxUserIdLength + 1) })],
    [
      "with user_info over 1 KB",
      JSON.stringify({ user_id: "a", user_info: { bio: "x".repeat(PUSHER_LIMITS.maxUserInfoBytes) } }),
    ],
  ])("refuses channel_data %s", (_label, text) => {
    expect(parseChannelData(text).ok).toBe(false);
  });

  it("reads user_data with a non-empty string id and refuses others", () => {
    expect(parseUserData('{"id":"u1","watchlist":["u2"]}')).toMatchObject({ ok: true, value: { id: "u1" } });
    expect(parseUserData('{"id":""}').ok).toBe(false);
    expect(parseUserData('{"id":1}').ok).toBe(false);
    expect(parseUserData("[]").ok).toBe(false);
    expect(
      parseUserData(JSON.stringify({ id: "u", pad: "x".repeat(PUSHER_LIMITS.maxUserDataBytes) })).ok,
    ).toBe(false);
  });
});

describe("internal frames", () => {
  it("reads a subscriber and refuses a malformed one", () => {
    expect(readSubscriber(JSON.stringify({ channel: "c", socketId: "1.2", userId: "u" }))).toEqual({
      channel: "c",
      socketId: "1.2",
      userId: "u",
    });
    expect(readSubscriber(JSON.stringify({ channel: "c", socketId: "abc" }))).toBeUndefined();
    expect(readSubscriber("nope")).toBeUndefined();
    expect(readSubscriber(null)).toBeUndefined();
  });

  it("reads only client- events from the Worker", () => {
    expect(readClientEvent('{"event":"client-a","data":1}')).toEqual({ event: "client-a", data: 1 });
    expect(readClientEvent('{"event":"pusher_internal:member_added","data":1}')).toBeUndefined();
  });

  it("bounds room members", () => {
    const many = Array.from({ length: 150 }, (_, i) => ({ user_id: `p${i}` }));
    expect(readPresenceMembers(many)).toHaveLength(PUSHER_LIMITS.maxPresenceMembers);
    expect(readPresenceMembers([{ user_id: "" }])).toBeUndefined();
  });

  it("tells control frames from the channel apart from frames to forward", () => {
    expect(readChannelFrame('{"event":"edgeroom_internal:terminate","data":"{}"}')).toEqual({
      kind: "terminate",
    });
    expect(readChannelFrame('{"event":"edgeroom_internal:other","data":"{}"}')).toEqual({ kind: "ignore" });
    const text = '{"event":"client-a","channel":"c","data":1}';
    expect(readChannelFrame(text)).toEqual({ kind: "forward", text });
  });
});

describe("the client event budget", () => {
  it("allows a burst of the rate, then one per tenth of a second", () => {
    let now = 0;
    const bucket = new TokenBucket(10, () => now);
    for (let i = 0; i < 10; i++) expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
    now += 100;
    expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
    now += 5000;
    for (let i = 0; i < 10; i++) expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
  });
});
