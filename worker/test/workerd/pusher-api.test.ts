/**
 * The Pusher HTTP API's door, inside workerd: requests signed here as the
 * `pusher` SDK signs them. Every refusal (Pusher off, another app, a bad or
 * replayed signature, another key, a body that is not the one signed, bad
 * and oversized bodies) answers with its status and a reason, and addresses
 * no channel object (addressing one creates it).
 */
import { PUSHER_HTTP_LIMITS } from "@edgeroom/shared/pusher";
import { TEST_PUSHER_APP } from "@edgeroom/testkit";
import { listDurableObjectIds, runInDurableObject, SELF } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { pusherApi, pusherApiWithEnv, signedRequest, type PusherCall } from "../support/pusher-api.ts";

const now = () => Math.floor(Date.now() / 1000);
const trigger = (overrides: Record<string, unknown> = {}) => ({
  name: "greeting",
  data: JSON.stringify({ hello: "world" }),
  channels: ["refused-only"],
  ...overrides,
});

async function channelObjectIds(): Promise<string[]> {
  return (await listDurableObjectIds(env.PusherChannel)).map((id) => id.toString());
}

/** Sends the call, expects `status` and a text reason matching `reason`, and that no channel object appeared. */
async function expectRefusal(call: PusherCall, status: number, reason: RegExp): Promise<void> {
  const before = await channelObjectIds();
  const response = await pusherApi(call);
  const text = await response.text();
  expect(response.status, text).toBe(status);
  expect(response.headers.get("Content-Type")).toBe("text/plain; charset=utf-8");
  expect(text).toMatch(reason);
  expect(await channelObjectIds()).toEqual(before);
}

/** One call per endpoint, each with what it needs to get past the door. */
const ENDPOINTS: PusherCall[] = [
  { path: "/events", json: trigger() },
  { path: "/batch_events", json: { batch: [{ name: "e", data: "d", channel: "refused-only" }] } },
  { path: "/channels" },
  { path: "/channels/refused-only" },
  { path: "/channels/presence-refused-only/users" },
  { path: "/users/ada/terminate_connections", json: {} },
];

describe("Pusher HTTP API: who may call", () => {
  it.each(ENDPOINTS)("$path answers 404 when the Pusher app is not configured", async (call) => {
    for (const off of [
      { PUSHER_APP_ID: undefined },
      { PUSHER_APP_KEY: "" },
      { PUSHER_APP_SECRET: undefined },
    ]) {
      const response = await pusherApiWithEnv(off, call);
      expect(response.status).toBe(404);
    }
  });

  it.each(ENDPOINTS)("$path answers 404 for another app id, even signed right", async (call) => {
    await expectRefusal({ ...call, path: `/apps/1000002${call.path}` }, 404, /Unknown app/);
  });

  it.each(ENDPOINTS)("$path: 401 for a signature under another secret", async (call) => {
    await expectRefusal({ ...call, secret: "not-the-secret" }, 401, /^Invalid signature: .*POST|GET/);
  });

  it.each(ENDPOINTS)("$path: 401 for another key", async (call) => {
    await expectRefusal({ ...call, key: "someone-elses-key" }, 401, /^Unknown auth_key/);
  });

  it.each(ENDPOINTS)(
    "$path: 401 for a timestamp over 600 s old or ahead, which a replay would carry",
    async (call) => {
      const tolerance = PUSHER_HTTP_LIMITS.timestampToleranceSeconds;
      await expectRefusal(
        { ...call, timestamp: now() - tolerance - 5 },
        401,
        /^Timestamp expired: .* not within 600s/,
      );
      await expectRefusal({ ...call, timestamp: now() + tolerance + 5 }, 401, /^Timestamp expired/);
    },
  );

  it("401 for a query changed after signing", async () => {
    await expectRefusal(
      {
        path: "/channels",
        params: { filter_by_prefix: "presence-" },
        tamper: { params: { filter_by_prefix: "private-" } },
      },
      401,
      /^Invalid signature/,
    );
    await expectRefusal(
      { path: "/channels", tamper: { params: { info: "subscription_count" } } },
      401,
      /^Invalid signature/,
    );
  });

  it("401 for a signature of another method or path", async () => {
    // Signed for GET /channels/a, sent as GET /channels/b: the signature names the path.
    const call: PusherCall = { path: "/channels/a" };
    const signed = await signedRequest(call);
    const moved = new Request(signed.url.replace("/channels/a?", "/channels/b?"), signed);
    const response = await SELF.fetch(moved);
    expect(response.status).toBe(401);
    expect(await response.text()).toMatch(/^Invalid signature/);
  });

  it("401 for a body that is not the one signed (body_md5), or a body without body_md5", async () => {
    const json = trigger();
    await expectRefusal(
      { path: "/events", json, tamper: { text: JSON.stringify({ ...json, data: "something else" }) } },
      401,
      /^Invalid body_md5/,
    );
    await expectRefusal({ path: "/events", json, bodyMd5: "0".repeat(32) }, 401, /^Invalid body_md5/);
    await expectRefusal({ path: "/events", json, bodyMd5: null }, 401, /^Missing body_md5/);
  });

  it("401 without the auth parameters, with another auth_version, or with a parameter given twice", async () => {
    const signed = new URL((await signedRequest({ path: "/channels" })).url);
    for (const name of ["auth_key", "auth_timestamp", "auth_version", "auth_signature"]) {
      const url = new URL(signed);
      url.searchParams.delete(name);
      const response = await SELF.fetch(url);
      expect(response.status).toBe(401);
      expect(await response.text()).toContain(`Missing ${name}`);
    }
    await expectRefusal({ path: "/channels", authVersion: "2.0" }, 401, /^Unsupported auth_version/);
    const twice = new URL(signed);
    twice.searchParams.append("auth_key", TEST_PUSHER_APP.key);
    const response = await SELF.fetch(twice);
    expect(response.status).toBe(401);
    expect(await response.text()).toMatch(/given more than once/);
  });

  it("404 for a path under the app that is no endpoint, 405 for another method", async () => {
    await expectRefusal({ path: "/nothing-here" }, 404, /no Pusher HTTP API endpoint/);
    await expectRefusal({ path: "/channels/a/b/c" }, 404, /no Pusher HTTP API endpoint/);
    await expectRefusal({ path: "/events", method: "GET" }, 405, /use POST/);
    await expectRefusal({ path: "/channels", method: "POST", json: {} }, 405, /use GET/);
  });
});

describe("Pusher HTTP API: what a call may say", () => {
  it.each([
    [{ text: "not json" }, /Invalid body: send JSON/],
    [{ json: [] }, /Invalid body/],
    [{ json: trigger({ name: undefined }) }, /name/],
    [{ json: trigger({ name: "" }) }, /name is empty/],
    [{ json: trigger({ name: "x".repeat(201) }) }, /at most 200 characters/],
    [{ json: trigger({ data: { not: "a string" } }) }, /data must be a string/],
    [{ json: trigger({ channel: "a" }) }, /either channel or channels/],
    [{ json: trigger({ channels: undefined }) }, /either channel or channels/],
    [{ json: trigger({ channels: [] }) }, /channels is empty/],
    [{ json: trigger({ channels: Array.from({ length: 101 }, (_, i) => `c${i}`) }) }, /at most 100/],
    [{ json: trigger({ channels: ["a", "a"] }) }, /a name twice/],
    [{ json: trigger({ channels: ["has space"] }) }, /Invalid channel name/],
    [{ json: trigger({ channels: ["x".repeat(201)] }) }, /Invalid channel name/],
    [{ json: trigger({ channels: ["private-encrypted-x"] }) }, /Encrypted channels .* are not supported/],
    [{ json: trigger({ channels: ["#server-to-user-"] }) }, /reserved/],
    [{ json: trigger({ channels: ["#other-internal"] }) }, /reserved/],
    [{ json: trigger({ socket_id: "abc" }) }, /socket_id/],
    [{ json: trigger({ info: "everything" }) }, /Invalid info/],
    [{ json: trigger({ name: "pusher:subscribe" }) }, /may not start with pusher:/],
    [{ json: trigger({ name: "pusher_internal:member_added" }) }, /may not start with/],
    [{ json: trigger({ name: "edgeroom_internal:terminate" }) }, /may not start with/],
  ])("POST /events refuses %j with 400", async (body, reason) => {
    await expectRefusal({ path: "/events", ...body }, 400, reason);
  });

  it.each([
    [{ batch: [] }, /batch is empty/],
    [{ batch: "no" }, /batch must be an array/],
    [
      { batch: Array.from({ length: 11 }, () => ({ name: "e", data: "d", channel: "a" })) },
      /at most 10 events/,
    ],
    [{ batch: [{ name: "e", data: "d", channels: ["a"] }] }, /channel/],
    [
      {
        batch: [
          { name: "e", data: "d", channel: "ok" },
          { name: "pusher:x", data: "d", channel: "ok" },
        ],
      },
      /may not start/,
    ],
    [
      {
        batch: [
          { name: "e", data: "d", channel: "ok" },
          { name: "e", data: "d", channel: "bad name" },
        ],
      },
      /Invalid channel/,
    ],
  ])("POST /batch_events refuses %j with 400, sending none of the batch", async (body, reason) => {
    await expectRefusal({ path: "/batch_events", json: body }, 400, reason);
  });

  it("413 for an event's data over 10 KB (in bytes, not characters), and for a body over the bound", async () => {
    const limit = PUSHER_HTTP_LIMITS.maxEventDataBytes;
    await expectRefusal(
      { path: "/events", json: trigger({ data: "x".repeat(limit + 1) }) },
      413,
      /at most 10240 bytes/,
    );
    // Under the limit in characters, over it in UTF-8 bytes.
    await expectRefusal(
      { path: "/events", json: trigger({ data: "é".repeat(limit / 2 + 1) }) },
      413,
      /10240 bytes/,
    );
    await expectRefusal(
      { path: "/batch_events", json: { batch: [{ name: "e", data: "x".repeat(limit + 1), channel: "a" }] } },
      413,
      /at most 10240 bytes/,
    );
    const huge = trigger({ data: "x", padding: "y".repeat(PUSHER_HTTP_LIMITS.maxBodyBytes) });
    await expectRefusal({ path: "/events", json: huge }, 413, /request body is at most/);
  });

  it("400 for bad channel names, info that does not fit, and users of a channel without users", async () => {
    await expectRefusal({ path: "/channels/has%20space" }, 400, /Invalid channel name/);
    await expectRefusal({ path: `/channels/${"x".repeat(201)}` }, 400, /Invalid channel name/);
    await expectRefusal({ path: "/channels/%23server-to-user-ada" }, 400, /Invalid channel name/);
    await expectRefusal(
      { path: "/channels/public-a", params: { info: "user_count" } },
      400,
      /only for presence/,
    );
    await expectRefusal({ path: "/channels/public-a", params: { info: "bogus" } }, 400, /Invalid info/);
    await expectRefusal({ path: "/channels/private-a/users" }, 400, /presence channels only/);
    await expectRefusal({ path: "/channels", params: { info: "user_count" } }, 400, /presence-/);
    await expectRefusal(
      { path: "/channels", params: { filter_by_prefix: "private-", info: "user_count" } },
      400,
      /presence-/,
    );
  });

  it("400 for a user id that cannot name a user", async () => {
    await expectRefusal(
      { path: "/users/has%20space/terminate_connections", json: {} },
      400,
      /Invalid user id/,
    );
    await expectRefusal(
      { path: `/users/${"u".repeat(190)}/terminate_connections`, json: {} },
      400,
      /Invalid user id/,
    );
    await expectRefusal({ path: "/users/ada/terminate_connections", json: [] }, 400, /Invalid body/);
  });
});

describe("Pusher HTTP API: the directory of occupied channels", () => {
  const directory = () => env.PusherDirectory.getByName(TEST_PUSHER_APP.appId);

  async function listed(params: Record<string, string> = {}): Promise<unknown> {
    const response = await pusherApi({ path: "/channels", params });
    expect(response.status, await response.clone().text()).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/json");
    return response.json();
  }

  it("lists occupied channels, under a prefix, and forgets vacated ones", async () => {
    await directory().occupied("dir-a-one");
    await directory().occupied("dir-a-two");
    await directory().occupied("dir-b-one");
    // Told twice (a retry after a lost answer): still one entry.
    await directory().occupied("dir-a-one");
    expect(await listed({ filter_by_prefix: "dir-a-" })).toEqual({
      channels: { "dir-a-one": {}, "dir-a-two": {} },
    });
    expect(await listed({ filter_by_prefix: "dir-" })).toEqual({
      channels: { "dir-a-one": {}, "dir-a-two": {}, "dir-b-one": {} },
    });
    await directory().vacated("dir-a-one");
    await directory().vacated("dir-a-one");
    expect(await listed({ filter_by_prefix: "dir-a" })).toEqual({ channels: { "dir-a-two": {} } });
    expect(await listed({ filter_by_prefix: "nothing-under-this-" })).toEqual({ channels: {} });
  });

  it("refuses a listing past its bound with 400 and a hint, rather than reading without end", async () => {
    const count = PUSHER_HTTP_LIMITS.maxListedChannels + 1;
    await runInDurableObject(directory(), async (object) => {
      for (let i = 0; i < count; i++) await object.occupied(`many-${String(i).padStart(5, "0")}`);
    });
    await expectRefusal(
      { path: "/channels", params: { filter_by_prefix: "many-" } },
      400,
      /narrow filter_by_prefix/,
    );
    expect(await listed({ filter_by_prefix: "many-0000" })).toEqual({
      channels: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`many-0000${i}`, {}])),
    });
    // With info each channel is asked for its counts, so fewer may be covered.
    await expectRefusal(
      { path: "/channels", params: { filter_by_prefix: "many-00", info: "subscription_count" } },
      400,
      /Too many channels for info/,
    );
  });
});
